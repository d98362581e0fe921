"""Fixtures for the API tests: a small published content graph with unpublished items linked in."""

from types import SimpleNamespace

import pytest

from content_app import models as m
from tests import factories as f


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """Rate limits are tested on their own (test_api_keys.py); elsewhere they only add noise."""
    settings.API_RATE_ANON = None
    settings.API_RATE_PARTNER = None


@pytest.fixture
def graph(db):
    """A published cause linked to one item of every kind, plus a draft of every kind."""
    source = f.SourceFactory(slug="nhs-article", title="NHS article", url="https://example.org/a")
    draft_source = f.SourceFactory(slug="draft-source", status=m.Status.DRAFT)
    hamstrings = f.AnatomyStructureFactory(
        slug="hamstrings", name="Hamstrings", kind=m.AnatomyKind.REGION, sources=[source]
    )
    biceps = f.AnatomyStructureFactory(
        slug="biceps-femoris",
        name="Biceps femoris",
        parent=hamstrings,
        latin_name="Musculus biceps femoris",
        sources=[source, draft_source],
    )
    cause = f.CauseFactory(
        slug="hamstring-tendinopathy",
        name="Hamstring tendinopathy",
        prevalence=m.Prevalence.COMMON,
        onset=m.Onset.OVERUSE,
        sources=[source, draft_source],
    )
    symptom = f.SymptomFactory(slug="ache-when-running", name="Ache when running", sources=[source])
    risk = f.RiskFactorFactory(
        slug="sudden-training-increase",
        name="Sudden training increase",
        category=m.RiskFactorCategory.TRAINING,
        modifiable=True,
        sources=[source],
    )
    routine = f.RedFlagFactory(
        slug="pain-lasting-weeks",
        name="Pain lasting weeks",
        urgency=m.Urgency.ROUTINE,
        sources=[source],
    )
    emergency = f.RedFlagFactory(
        slug="calf-swelling-and-breathlessness",
        name="Calf swelling and breathlessness",
        urgency=m.Urgency.EMERGENCY,
        action="Call an ambulance.",
        sources=[source],
    )
    bridge = f.ExerciseFactory(
        slug="glute-bridge",
        name="Glute bridge",
        sets=2,
        reps=8,
        times_per_day=2,
        times_per_day_max=3,
        target_sets=3,
        target_reps=15,
        sources=[source],
    )
    single_leg_bridge = f.ExerciseFactory(
        slug="single-leg-bridge",
        name="Single-leg bridge",
        difficulty=m.Difficulty.INTERMEDIATE,
        sets=None,
        reps=None,
        times_per_day=None,
        dosage_note="As often as you can.",
        sources=[source],
    )
    stretch = f.ExerciseFactory(
        slug="hamstring-stretch",
        name="Hamstring stretch",
        category=m.ExerciseCategory.STRETCH,
        equipment=m.Equipment.CHAIR,
        sets=None,
        reps=3,
        hold_seconds=30,
        times_per_day=1,
        sources=[source],
    )
    massage = f.TreatmentFactory(slug="massage", name="Massage", sources=[source])

    drafts = SimpleNamespace(
        structure=f.AnatomyStructureFactory(
            slug="draft-structure", status=m.Status.DRAFT, parent=hamstrings
        ),
        symptom=f.SymptomFactory(slug="draft-symptom", status=m.Status.IN_REVIEW),
        risk=f.RiskFactorFactory(slug="draft-risk", status=m.Status.ARCHIVED),
        red_flag=f.RedFlagFactory(slug="draft-red-flag", status=m.Status.DRAFT),
        exercise=f.ExerciseFactory(slug="draft-exercise", status=m.Status.DRAFT),
        treatment=f.TreatmentFactory(slug="draft-treatment", status=m.Status.DRAFT),
        cause=f.CauseFactory(slug="draft-cause", status=m.Status.DRAFT),
        source=draft_source,
    )

    f.CauseStructureFactory(cause=cause, structure=biceps, order=1)
    f.CauseStructureFactory(
        cause=cause, structure=hamstrings, order=2, role=m.StructureRole.INVOLVED
    )
    f.CauseStructureFactory(cause=cause, structure=drafts.structure, order=0)
    f.CauseSymptomFactory(cause=cause, symptom=symptom)
    f.CauseSymptomFactory(cause=cause, symptom=drafts.symptom)
    f.CauseRiskFactorFactory(cause=cause, risk_factor=risk, note="Build up slowly.")
    f.CauseRiskFactorFactory(cause=cause, risk_factor=drafts.risk)
    f.CauseRedFlagFactory(cause=cause, red_flag=routine, order=0)
    f.CauseRedFlagFactory(cause=cause, red_flag=emergency, order=5)
    f.CauseRedFlagFactory(cause=cause, red_flag=drafts.red_flag)
    f.CauseExerciseFactory(cause=cause, exercise=stretch, order=2)
    f.CauseExerciseFactory(cause=cause, exercise=bridge, order=1)
    f.CauseExerciseFactory(cause=cause, exercise=drafts.exercise, order=0)
    f.CauseExerciseFactory(
        cause=cause, exercise=single_leg_bridge, order=3, role=m.ExerciseRole.AVOID
    )
    f.CauseTreatmentFactory(cause=cause, treatment=massage)
    f.CauseTreatmentFactory(cause=cause, treatment=drafts.treatment)
    f.CauseStructureFactory(cause=drafts.cause, structure=biceps)
    f.ExerciseTargetFactory(exercise=bridge, structure=biceps, order=1)
    f.ExerciseTargetFactory(exercise=bridge, structure=drafts.structure, order=0)
    f.ExerciseProgressionFactory(easier=bridge, harder=single_leg_bridge, note="When 3x15 is easy.")
    f.ExerciseProgressionFactory(easier=bridge, harder=drafts.exercise)
    f.ExerciseStepFactory(exercise=bridge, order=2, text="Lift your hips.")
    f.ExerciseStepFactory(exercise=bridge, order=1, text="Lie on your back, knees bent.")
    f.TreatmentTargetFactory(treatment=massage, structure=biceps)
    f.TreatmentTargetFactory(treatment=massage, structure=drafts.structure)
    f.SymptomRedFlagFactory(symptom=symptom, red_flag=routine, order=0)
    f.SymptomRedFlagFactory(symptom=symptom, red_flag=emergency, order=5)
    f.SymptomRedFlagFactory(symptom=symptom, red_flag=drafts.red_flag)
    disclaimer = f.DisclaimerFactory(slug="general-information", name="About this information")
    f.DraftDisclaimerFactory(slug="draft-disclaimer")

    return SimpleNamespace(
        source=source,
        hamstrings=hamstrings,
        biceps=biceps,
        cause=cause,
        symptom=symptom,
        risk=risk,
        routine=routine,
        emergency=emergency,
        bridge=bridge,
        single_leg_bridge=single_leg_bridge,
        stretch=stretch,
        massage=massage,
        disclaimer=disclaimer,
        drafts=drafts,
    )


def slugs(items):
    return [item["slug"] for item in items]
