"""Invariants the database guards on its own, whatever path a write takes."""

import pytest
from django.db import IntegrityError, transaction

from content_app.models import Cause, Exercise, RedFlag
from tests.factories import (
    CauseExerciseFactory,
    CauseFactory,
    ExerciseFactory,
    ExerciseProgressionFactory,
    RedFlagFactory,
)

pytestmark = pytest.mark.django_db


def _violates(**changes):
    exercise = ExerciseFactory()
    for field, value in changes.items():
        setattr(exercise, field, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        exercise.save()


@pytest.mark.parametrize(
    "changes",
    [
        {"reps": 0},
        {"reps": 101},
        {"sets": 11},
        {"hold_seconds": 601},
        {"times_per_day": 0},
        {"times_per_day": 2, "times_per_day_max": 1},
        {"times_per_day": None, "times_per_day_max": 3},
        {"reps": 20, "target_reps": 10},
        {"sets": 3, "target_sets": 2},
        {"hold_seconds": 30, "target_hold_seconds": 20},
        {"category": "yoga"},
        {"status": "live"},
    ],
)
def test_exercise_dosage_and_enumerations_are_guarded(changes):
    _violates(**changes)


def test_a_valid_dosage_range_is_accepted():
    exercise = ExerciseFactory(sets=3, reps=10, target_sets=3, target_reps=20, times_per_day=2)
    exercise.times_per_day_max = 3
    exercise.save()
    assert Exercise.objects.get(pk=exercise.pk).times_per_day_max == 3


def test_slugs_are_unique_per_type():
    CauseFactory(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        CauseFactory(slug="same")


def test_a_relation_pair_is_stored_once():
    link = CauseExerciseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CauseExerciseFactory(cause=link.cause, exercise=link.exercise)


def test_an_exercise_cannot_progress_to_itself():
    exercise = ExerciseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ExerciseProgressionFactory(easier=exercise, harder=exercise)


def test_every_save_bumps_the_revision():
    cause = CauseFactory()
    first = cause.revision
    cause.summary = "Changed."
    cause.save()
    assert Cause.objects.get(pk=cause.pk).revision == first + 1


def test_red_flags_order_by_urgency_not_by_name():
    RedFlagFactory(name="A routine one", urgency="routine")
    RedFlagFactory(name="B emergency", urgency="emergency")
    RedFlagFactory(name="C soon", urgency="soon")
    RedFlagFactory(name="D urgent", urgency="urgent")
    assert [f.urgency for f in RedFlag.objects.all()] == ["emergency", "urgent", "soon", "routine"]
