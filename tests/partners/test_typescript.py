"""openapi-typescript reads the committed contract, and tsc --strict accepts a partner's code
and every real response typed by it (issue 12).

The tools are pinned in tests/partners/ts/package.json + package-lock.json and installed from
the npm registry with `npm ci` by the fixture below when the lock file changed (node_modules is
not committed). Without npm the tests skip, unless KNEECARE_REQUIRE_NODE=1 (CI, .ci/run):
then they fail.
"""

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from content_app import models as m
from content_app import notices

TS = Path(__file__).resolve().parent / "ts"
SCHEMA = Path(settings.BASE_DIR) / "openapi" / "v1.yaml"
MARKER = TS / "node_modules" / ".kneecare-lock-sha256"

pytestmark = pytest.mark.django_db


def _run(command, cwd, timeout=300):
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def node_tools():
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        problem = "npm/node are missing (apt-get install nodejs npm)"
        if os.environ.get("KNEECARE_REQUIRE_NODE") == "1":
            pytest.fail(f"KNEECARE_REQUIRE_NODE=1 but {problem}")
        pytest.skip(problem)
    lock = hashlib.sha256((TS / "package-lock.json").read_bytes()).hexdigest()
    if not MARKER.exists() or MARKER.read_text() != lock:
        installed = _run([npm, "ci", "--no-audit", "--no-fund"], TS, timeout=600)
        assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr[-2000:]
        MARKER.write_text(lock)
    return TS / "node_modules" / ".bin"


@pytest.fixture(scope="session")
def typescript(node_tools, tmp_path_factory):
    """A folder with api.ts generated from openapi/v1.yaml and the partner's code."""
    folder = tmp_path_factory.mktemp("typescript")
    generated = _run(
        [node_tools / "openapi-typescript", str(SCHEMA), "--output", str(folder / "api.ts")], TS
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    output = generated.stdout + generated.stderr
    assert "warn" not in output.lower() and "error" not in output.lower(), output
    shutil.copy(TS / "partner.ts", folder)
    return folder


def _tsc(node_tools, folder, *files):
    config = json.loads((TS / "tsconfig.json").read_text())
    config["files"] = list(files)
    (folder / "tsconfig.json").write_text(json.dumps(config))
    return _run([node_tools / "tsc", "--project", "tsconfig.json"], folder)


def test_the_partners_code_type_checks_strictly(node_tools, typescript):
    checked = _tsc(node_tools, typescript, "partner.ts")

    assert checked.returncode == 0, checked.stdout + checked.stderr


def _get_paths():
    paths = ["/api/v1/", "/api/v1/search/?q=hamstring", "/api/v1/sync/", "/api/v1/bundle/"]
    paths += ["/api/v1/changes/", "/api/v1/self-check/ruleset/", "/api/v1/self-check/vectors/"]
    for api_type, model in m.MODELS_BY_API_TYPE.items():
        paths.append(f"/api/v1/{api_type}/")
        paths += [obj.get_absolute_url() for obj in model.objects.published()]
    return paths


def _template(path):
    bare = path.split("?")[0]
    for api_type in m.MODELS_BY_API_TYPE:
        prefix = f"/api/v1/{api_type}/"
        if bare.startswith(prefix) and bare != prefix:
            return prefix + "{slug}/"
    return bare


HEADER = """import type { paths } from "./api";
type Json<P extends keyof paths, M extends "get" | "post" = "get"> = paths[P][M] extends {
  responses: { 200: { content: { "application/json": infer Body } } };
}
  ? Body
  : never;
"""


def test_every_real_response_is_assignable_to_its_generated_type(
    node_tools, typescript, api_client, graph, settings
):
    """Each response as an object literal of its operation's type: tsc's excess-property check
    refuses undeclared keys, and null, enums and types are checked as declared."""
    settings.API_RATE_ANON = None
    notices.record_changes.call()
    lines = [HEADER]
    for index, path in enumerate(_get_paths()):
        response = api_client.get(path)
        assert response.status_code == 200, path
        lines.append(
            f'export const r{index}: Json<"{_template(path)}"> = {response.content.decode()};'
        )
    answer = api_client.post(
        "/api/v1/self-check/", {"symptoms": ["ache-when-running"]}, format="json"
    )
    assert answer.status_code == 200, answer.content
    lines.append(
        f'export const answer: Json<"/api/v1/self-check/", "post"> = {answer.content.decode()};'
    )
    (typescript / "responses.ts").write_text("\n".join(lines) + "\n")

    checked = _tsc(node_tools, typescript, "responses.ts")

    assert checked.returncode == 0, (checked.stdout + checked.stderr)[-4000:]
    assert len(lines) > 20


def test_a_response_the_schema_does_not_describe_fails_the_check(
    node_tools, typescript, api_client, graph
):
    """The check above can fail: a served key the schema lacks, or a null it does not allow."""
    detail = api_client.get("/api/v1/anatomy/biceps-femoris/").json()
    wrong = [{**detail, "undeclared": 1}, {**detail, "slug": None}]
    lines = [HEADER] + [
        f'export const w{i}: Json<"/api/v1/anatomy/{{slug}}/"> = {json.dumps(v)};'
        for i, v in enumerate(wrong)
    ]
    (typescript / "wrong.ts").write_text("\n".join(lines) + "\n")

    checked = _tsc(node_tools, typescript, "wrong.ts")

    assert checked.returncode != 0
    assert "'\"undeclared\"' does not exist" in checked.stdout
    assert "Type 'null' is not assignable to type 'string'" in checked.stdout
