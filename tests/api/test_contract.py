"""Contract test: schemathesis (every check) against the live app, empty and with content.

Runs the schemathesis CLI against pytest-django's live server on 127.0.0.1, over every
operation in the served schema, with bounded examples and a fixed seed: 0 server errors and
0 responses that break the schema (status codes, content types, headers, bodies) allowed.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIRequestHandler
from django.db import connection

from content_app import models as m
from content_app.api.v1 import representations as rep
from content_app.api.v1 import sync
from tests import factories as f

# Django's test server writes headers and body separately; with Nagle's algorithm on, every
# kept-alive response then waits ~40 ms for a delayed ACK. 20x faster without it.
WSGIRequestHandler.disable_nagle_algorithm = True

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
MAX_EXAMPLES = int(os.environ.get("CONTRACT_MAX_EXAMPLES", "5"))


def contract_content():
    """One published item per collection under the slugs the schema's examples use."""
    source = f.SourceFactory(slug="posterior-knee-pain-during-exercise", title="Knee pain")
    knee = f.AnatomyStructureFactory(
        slug="knee-joint", name="Knee joint", kind=m.AnatomyKind.REGION, sources=[source]
    )
    muscle = f.AnatomyStructureFactory(slug="gastrocnemius", parent=knee, sources=[source])
    cause = f.CauseFactory(slug="bakers-cyst", name="Baker's cyst", sources=[source])
    squat = f.ExerciseFactory(slug="squat", name="Squat", sources=[source])
    lunge = f.ExerciseFactory(slug="lunge", name="Lunge", sources=[source], sets=None)
    f.CauseStructureFactory(cause=cause, structure=muscle)
    f.CauseSymptomFactory(
        cause=cause, symptom=f.SymptomFactory(slug="pain-behind-the-knee", sources=[source])
    )
    f.CauseRiskFactorFactory(
        cause=cause,
        risk_factor=f.RiskFactorFactory(slug="sudden-training-increase", sources=[source]),
    )
    f.CauseRedFlagFactory(
        cause=cause, red_flag=f.RedFlagFactory(slug="severe-pain", sources=[source])
    )
    f.CauseExerciseFactory(cause=cause, exercise=squat)
    f.CauseTreatmentFactory(
        cause=cause, treatment=f.TreatmentFactory(slug="foam-rolling", sources=[source])
    )
    f.ExerciseTargetFactory(exercise=squat, structure=muscle)
    f.ExerciseProgressionFactory(easier=squat, harder=lunge)
    f.ExerciseStepFactory(exercise=squat, text="Stand tall.")
    f.TreatmentTargetFactory(treatment=cause.treatments.get(), structure=muscle)
    f.CauseFactory(slug="draft-cause", status=m.Status.DRAFT)
    f.DisclaimerFactory(slug="general-information")  # the schema's example slug
    # The self-check: one question and one triage rule (schemathesis posts answers to them).
    pain = m.Symptom.objects.get(slug="pain-behind-the-knee")
    question = m.SelfCheckQuestion.objects.create(
        slug="lump",
        name="A lump?",
        summary="Behind the knee.",
        body="Asked.",
        order=1,
        status=m.Status.PUBLISHED,
    )
    m.SelfCheckOption.objects.create(question=question, value="yes", label="Yes", symptom=pain)
    m.SelfCheckOption.objects.create(question=question, value="no", label="No", order=2)
    rule = m.TriageRule.objects.create(
        slug="pain-rule",
        name="Pain",
        summary="Pain.",
        body="Pain.",
        status=m.Status.PUBLISHED,
        red_flag=m.RedFlag.objects.get(slug="severe-pain"),
    )
    m.TriageRuleSymptom.objects.create(rule=rule, symptom=pain)


def _config(tmp_path) -> Path:
    """schemathesis.toml plus, per operation, `fields` fixed to every field.

    Every served field is required in the schema, and `?fields=` trims items on request by
    design; the trimming itself is tested in tests/api (test_shapes.py and the resources).
    """
    blocks = [(Path(__file__).resolve().parents[2] / "schemathesis.toml").read_text()]
    every = {"sync": sync.ALL_DETAIL_FIELDS, "bundle": sync.ALL_DETAIL_FIELDS}
    for api_type in rep.LIST_FIELDS:
        every[f"{api_type.replace('-', '_')}_list"] = rep.LIST_FIELDS[api_type]
        every[f"{api_type.replace('-', '_')}_retrieve"] = rep.DETAIL_FIELDS[api_type]
    for operation_id, fields in every.items():
        names = ", ".join(f'"{name}"' for name in fields)
        blocks.append(
            f'[[operations]]\ninclude-operation-id = "{operation_id}"\n'
            f'parameters = {{ "query.fields" = [{names}] }}\n'
        )
    path = tmp_path / "schemathesis.toml"
    path.write_text("\n".join(blocks))
    return path


def run_schemathesis(live_server, tmp_path, phases):
    command = [
        str(SCHEMATHESIS),
        "--config-file",  # per-operation settings (sync cursors, fields), see _config
        str(_config(tmp_path)),
        "run",
        f"{live_server.url.replace('localhost', '127.0.0.1')}/api/v1/schema/?format=json",
        "--checks",
        "all",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--workers",
        # The live server shares the test's single in-memory SQLite connection with every
        # request thread; two concurrent requests would interleave on it and read mixed rows.
        "1" if connection.vendor == "sqlite" else "2",
        "--seed",
        "20261122",
        "--phases",
        phases,
        "--no-color",
    ]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,  # keeps schemathesis' run data out of the tree
        env={**os.environ, "SCHEMATHESIS_TELEMETRY": "false"},
    )


# The coverage phase (boundaries, missing, malformed and duplicate parameters, undeclared
# methods: ~1,900 requests) validates input before any query, so it runs once, with content.
@pytest.mark.parametrize(
    ("with_content", "phases"),
    [(False, "examples,fuzzing,stateful"), (True, "examples,coverage,fuzzing,stateful")],
    ids=["empty-db", "with-content"],
)
def test_schemathesis_finds_nothing(live_server, transactional_db, tmp_path, with_content, phases):
    if with_content:
        contract_content()

    result = run_schemathesis(live_server, tmp_path, phases)

    report = result.stdout[-12000:] + result.stderr[-2000:]
    assert result.returncode == 0, report
    selected = re.search(r"Selected: (\d+)/(\d+)", result.stdout)
    # Every operation but the HEADs (one per GET), which test_openapi_core.py checks instead.
    heads = sum("head" in operations for operations in _served_paths().values())
    assert heads and selected and int(selected[2]) - int(selected[1]) == heads, report


def _served_paths() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator(api_version="v1").get_schema(request=None, public=True)["paths"]
