"""Safety invariants over the launch content (issue 8 and the clinical audit): the same rules
publish validation enforces for editors (content_app/safety.py), plus the audit's relation
defects, each with its test."""

import datetime

import pytest
from django.conf import settings

from content_app import models as m
from content_app import safety, services

pytestmark = [pytest.mark.django_db, pytest.mark.launch_content]

DVT = safety.DVT_FLAG
NUMBNESS = safety.NUMBNESS_FLAG
# Seed 001, "When to Seek Professional Medical Advice": general to posterior knee pain.
GENERAL_FLAGS = {DVT, NUMBNESS, "severe-pain", "swelling-redness-or-warmth", "persistent-pain"}
STRATEGY_TREATMENTS_OF_SEED_001 = {
    "rice",
    "gradual-progression",
    "warm-up-and-cool-down",
    "form-and-technique",
    "appropriate-footwear",
    "cross-training",
    "rest-nutrition-and-sleep",
}


def flags_of(item):
    return set(item.red_flags.values_list("slug", flat=True))


def link(model, cause, other, **kwargs):
    field = "exercise" if model is m.CauseExercise else "treatment"
    return model.objects.get(cause__slug=cause, **{f"{field}__slug": other}, **kwargs)


# --- The publish rules hold for every launch item ---------------------------------------------


def test_every_launch_item_passes_publish_validation(shared_launch_content):
    reviewed_on = datetime.date(2026, 12, 2)  # the review due date is checked in its own test
    for model in m.CONTENT_MODELS:
        for item in model.objects.all():
            assert services.publish_problems(item, today=reviewed_on) == [], item


def test_every_cause_and_symptom_about_the_calf_swelling_or_redness_reaches_the_dvt_flag(
    shared_launch_content,
):
    rule = safety.RED_FLAG_RULES[0]
    about_the_calf = [
        item
        for model in (m.Cause, m.Symptom)
        for item in model.objects.all()
        if rule.pattern.search(f"{item.name} {item.summary}")
    ]
    assert {"pain-in-the-calf", "calf-tightness", "swelling-of-the-leg"} <= {
        item.slug for item in about_the_calf
    }
    for item in about_the_calf:
        assert DVT in flags_of(item), item
    calf_symptoms = [item for item in about_the_calf if isinstance(item, m.Symptom)]
    for cause in m.Cause.objects.filter(symptoms__in=calf_symptoms).distinct():
        assert DVT in flags_of(cause), cause


def test_symptoms_that_name_calf_pain_swelling_redness_tightness_or_tenderness_show_dvt(
    shared_launch_content,
):
    for slug in (
        "pain-in-the-calf",
        "swelling-of-the-leg",
        "redness-of-the-leg",
        "tight-muscles-behind-the-knee",
        "pain-when-pushing-off",
        "calf-or-foot-cramping-during-exercise",
        "localized-tenderness-behind-the-knee",
        "pain-behind-the-knee",
    ):
        assert DVT in flags_of(m.Symptom.objects.get(slug=slug)), slug
    for slug in (
        "numbness-tingling-or-weakness",
        "pain-spreading-from-the-lower-back",
        "calf-or-foot-cramping-during-exercise",
    ):
        assert NUMBNESS in flags_of(m.Symptom.objects.get(slug=slug)), slug


def test_the_general_flags_of_seed_001_reach_every_cause(shared_launch_content):
    for cause in m.Cause.objects.all():
        expected = GENERAL_FLAGS - ({"persistent-pain"} if cause.slug == "thrombosis" else set())
        assert expected <= flags_of(cause), cause


def test_red_flags_are_emergency_first_wherever_they_are_listed(shared_launch_content):
    for model, links in ((m.Cause, "red_flag_links"), (m.Symptom, "red_flag_links")):
        for item in model.objects.all():
            ranks = [row.red_flag.urgency_rank for row in getattr(item, links).all()]
            assert ranks == sorted(ranks), item
            if ranks and DVT in flags_of(item):
                assert ranks[0] == 1, item


def test_no_exercise_is_a_treatment_where_the_seeds_give_it_for_prevention_only(
    shared_launch_content,
):
    prevention_only = set(
        m.Exercise.objects.filter(prevention_only=True).values_list("slug", flat=True)
    )
    assert prevention_only == {"nordic-hamstring-curl", "glute-ham-raise"}
    links = m.CauseExercise.objects.filter(exercise__prevention_only=True)
    assert links.exists()
    for row in links:
        assert row.phase == m.RecommendationPhase.PREVENTION or row.role == m.ExerciseRole.AVOID
        assert row.caution, row
    assert not m.CauseExercise.objects.filter(
        phase=m.RecommendationPhase.ACUTE, role=m.ExerciseRole.RECOMMENDED
    ).exists()


def test_every_published_item_has_review_provenance_and_none_claims_a_clinical_review(
    shared_launch_content,
):
    for model in m.CITING_MODELS:
        for item in model.objects.all():
            assert item.reviewer_name == "KneeCare editorial team", item
            assert item.reviewer_role == m.ReviewerRole.EDITORIAL, item
            assert item.reviewed_at and item.review_due, item
            assert item.reviewed_by is None, item  # a named editorial role, not an account


def test_every_exercise_has_a_stop_rule_and_the_seed_supported_cautions(shared_launch_content):
    for exercise in m.Exercise.objects.all():
        assert "pain worse" in exercise.stop_rule, exercise
    for slug in ("squat", "lunge"):
        assert any("comfortable" in c for c in m.Exercise.objects.get(slug=slug).caution_list)
    for slug in ("calf-stretch", "calf-raise", "hamstring-stretch"):
        assert any("DVT" in c for c in m.Exercise.objects.get(slug=slug).caution_list), slug
    hamstring = m.Exercise.objects.get(slug="hamstring-stretch").caution_list
    assert any("gently" in c for c in hamstring)  # audit #146
    assert any("tingling" in c for c in hamstring)


def test_massage_foam_rolling_and_stretching_carry_the_ruled_out_caveat(shared_launch_content):
    # Audit S4: wherever the calf or the back of the knee is massaged or stretched.
    treatments = m.CauseTreatment.objects.filter(
        treatment__slug__in=["massage-back-of-knee", "foam-rolling"]
    )
    exercises = m.CauseExercise.objects.filter(
        exercise__category=m.ExerciseCategory.STRETCH, role=m.ExerciseRole.RECOMMENDED
    )
    assert treatments.count() >= 8 and exercises.count() >= 6
    for row in [*treatments, *exercises]:
        assert "ruled out" in row.caution and "clot" in row.caution, row


def test_seed_001_strategies_apply_once_serious_conditions_are_ruled_out(shared_launch_content):
    # Audit #141: the caveat of seed 001 travels with its strategies, as a caution or a role.
    rows = m.CauseTreatment.objects.filter(treatment__slug__in=STRATEGY_TREATMENTS_OF_SEED_001)
    assert rows.count() > 15
    for row in rows:
        assert row.role == m.TreatmentRole.ONLY_AFTER_DIAGNOSIS or "ruled out" in row.caution, row


# --- The audit's relation defects ------------------------------------------------------------


def test_u1_hamstring_strain_gets_eccentric_work_only_as_prevention(shared_launch_content):
    for slug in ("nordic-hamstring-curl", "glute-ham-raise"):
        row = link(m.CauseExercise, "hamstring-strain", slug)
        assert row.phase == m.RecommendationPhase.PREVENTION
        assert "not a treatment" in row.caution


def test_m2_tendinopathy_gets_eccentric_work_only_as_prevention(shared_launch_content):
    for slug in ("nordic-hamstring-curl", "glute-ham-raise"):
        row = link(m.CauseExercise, "distal-hamstring-tendinopathy", slug)
        assert row.phase == m.RecommendationPhase.PREVENTION


def test_m3_leg_swings_are_not_a_treatment_for_a_strained_hamstring(shared_launch_content):
    row = link(m.CauseExercise, "hamstring-strain", "dynamic-warm-up")
    assert row.phase == m.RecommendationPhase.PREVENTION
    assert "leg swings" in row.caution.lower()


def test_m4_and_h23_no_loading_while_a_strain_is_fresh(shared_launch_content):
    for cause, exercise in (
        ("gastrocnemius-strain-or-tendinopathy", "calf-stretch"),
        ("gastrocnemius-strain-or-tendinopathy", "calf-raise"),
        ("hamstring-strain", "glute-bridge"),
        ("hamstring-strain", "hip-thrust"),
        ("hamstring-strain", "band-walk"),
    ):
        row = link(m.CauseExercise, cause, exercise)
        assert row.phase == m.RecommendationPhase.RECOVERY, row
        assert "fresh" in row.caution, row


def test_m6_pain_on_straightening_is_the_bakers_cyst_sign_not_the_meniscus(
    shared_launch_content,
):
    meniscus = set(
        m.Cause.objects.get(slug="posterior-meniscus-injury").symptoms.values_list(
            "slug", flat=True
        )
    )
    cyst = set(m.Cause.objects.get(slug="bakers-cyst").symptoms.values_list("slug", flat=True))

    assert "pain-at-full-bend-or-straightening" not in meniscus
    assert "pain-when-the-knee-bends-fully" in meniscus
    assert {"pain-at-full-bend-or-straightening", "pain-when-the-knee-bends-fully"} <= cyst


def test_m7_weak_leg_muscles_are_not_a_risk_factor_of_osteoarthritis(shared_launch_content):
    osteoarthritis = m.Cause.objects.get(slug="osteoarthritis")
    assert not osteoarthritis.risk_factors.filter(slug="weak-leg-muscles").exists()
    assert m.Cause.objects.filter(risk_factors__slug="weak-leg-muscles").exists()


def test_h8_h9_avoided_exercises_say_what_the_seed_names(shared_launch_content):
    squat = link(m.CauseExercise, "posterior-meniscus-injury", "squat")
    stretch = link(m.CauseExercise, "distal-hamstring-tendinopathy", "hamstring-stretch")
    assert squat.role == stretch.role == m.ExerciseRole.AVOID
    assert "Deep squats" in squat.caution and "shallow" in squat.caution
    assert "professional" in stretch.caution


def test_bakers_cyst_gets_rice_only_once_diagnosed(shared_launch_content):
    # Audit §5: seed 000 knows no treatment for the cyst; seed 001 gives RICE for acute pain.
    rows = m.CauseTreatment.objects.filter(cause__slug="bakers-cyst")
    assert [(r.treatment.slug, r.role, r.phase) for r in rows] == [
        ("rice", m.TreatmentRole.ONLY_AFTER_DIAGNOSIS, m.RecommendationPhase.ACUTE)
    ]
    assert not m.CauseExercise.objects.filter(cause__slug="bakers-cyst").exists()


def test_causes_that_need_a_diagnosis_get_treatments_only_after_it(shared_launch_content):
    for row in m.CauseTreatment.objects.select_related("cause"):
        if row.cause.self_care == m.SelfCare.AFTER_DIAGNOSIS:
            assert row.role == m.TreatmentRole.ONLY_AFTER_DIAGNOSIS, row
    assert not m.CauseTreatment.objects.filter(cause__self_care=m.SelfCare.NOT_SUITABLE).exists()


# --- The disclaimer ---------------------------------------------------------------------------


def test_the_launch_disclaimer_is_published_in_the_projects_words(shared_launch_content):
    disclaimer = m.Disclaimer.objects.published().get()

    assert disclaimer.body == settings.LAUNCH_DISCLAIMER  # also the OpenAPI description's
    assert settings.LAUNCH_DISCLAIMER in settings.SPECTACULAR_SETTINGS["DESCRIPTION"]
    for words in ("general information", "not a diagnosis", "not a substitute", "emergency"):
        assert words in disclaimer.body, words
    assert "exercise with an injury" in disclaimer.body
    assert "not a diagnosis" in disclaimer.summary and "emergency" in disclaimer.summary
