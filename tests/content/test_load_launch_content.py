"""`manage.py load_launch_content`: loads the launch fixture into an empty database, once."""

import importlib.util
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from content_app import models as m

pytestmark = [pytest.mark.django_db, pytest.mark.launch_content]

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
RELATION_MODELS = [
    m.CauseStructure,
    m.CauseSymptom,
    m.CauseRiskFactor,
    m.CauseRedFlag,
    m.CauseExercise,
    m.CauseTreatment,
    m.ExerciseTarget,
    m.ExerciseProgression,
    m.ExerciseStep,
    m.TreatmentTarget,
]


def counts():
    return {
        model.__name__: model.objects.count() for model in (*m.CONTENT_MODELS, *RELATION_MODELS)
    }


def test_loads_into_an_empty_database():
    assert not any(counts().values())

    call_command("load_launch_content", verbosity=0)

    assert all(counts().values()), counts()


def test_loading_twice_duplicates_nothing_and_the_second_run_only_checks_the_marker(
    launch_content, django_assert_max_num_queries
):
    before = counts()

    with django_assert_max_num_queries(1):  # SELECT the marker Source
        call_command("load_launch_content", verbosity=0)

    assert counts() == before


def test_forced_reload_updates_in_place_without_duplicates(launch_content):
    before = counts()
    m.Cause.objects.filter(slug="overuse").update(summary="edited")

    call_command("load_launch_content", force=True, verbosity=0)

    assert counts() == before
    assert m.Cause.objects.get(slug="overuse").summary != "edited"


def test_fixture_is_the_output_of_its_generator():
    spec = importlib.util.spec_from_file_location(
        "build_launch_content", FIXTURES / "build_launch_content.py"
    )
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)

    committed = (FIXTURES / "launch_content.json").read_text(encoding="utf-8")

    assert committed == generator.render(), "run: python fixtures/build_launch_content.py"


def test_fixture_uses_explicit_integer_primary_keys():
    objects = json.loads((FIXTURES / "launch_content.json").read_text(encoding="utf-8"))

    assert all(isinstance(obj["pk"], int) for obj in objects)
    assert len({(obj["model"], obj["pk"]) for obj in objects}) == len(objects)


def test_every_launch_row_has_a_first_history_version_to_revert_to():
    call_command("load_launch_content", verbosity=0)

    for model in (*m.CONTENT_MODELS, *RELATION_MODELS):
        with_history = set(model.history.values_list("id", flat=True))
        rows = set(model.objects.values_list("pk", flat=True))
        assert rows and rows <= with_history, model.__name__
