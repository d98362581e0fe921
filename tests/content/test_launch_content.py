"""The launch content (fixtures/launch_content.json) holds together and says what the two seed
articles say, with their exact dosages and urgencies. Loading it: test_load_launch_content.py."""

import re

import pytest

from content_app import models as m

pytestmark = [pytest.mark.django_db, pytest.mark.launch_content]

PT = "back-of-knee-pain-massage-and-four-exercises"  # seed 000, by a physical therapist
EX = "posterior-knee-pain-during-exercise"  # seed 001, by Alex

CITING_MODELS = m.CITING_MODELS
RELATIONS = m.ENTITY_RELATIONS


def source_slugs(item):
    return {source.slug for source in item.sources.all()}


def exercise(slug):
    return m.Exercise.objects.get(slug=slug)


# --- Integrity --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "minimum"),
    [
        (m.Source, 2),
        (m.AnatomyStructure, 15),
        (m.Cause, 15),
        (m.Symptom, 12),
        (m.RiskFactor, 12),
        (m.RedFlag, 6),
        (m.Exercise, 10),
        (m.Treatment, 10),
    ],
)
def test_shared_launch_content_has_at_least_the_expected_number_of_items(
    shared_launch_content, model, minimum
):
    assert model.objects.count() >= minimum


def test_every_item_is_published_at_revision_one(shared_launch_content):
    for model in m.CONTENT_MODELS:
        for item in model.objects.all():
            assert item.status == m.Status.PUBLISHED, item
            assert item.revision == 1, item
            assert item.published_at is not None, item
            assert item.created_at is not None and item.updated_at is not None, item


def test_every_content_item_is_reviewed_and_cited(shared_launch_content):
    for model in CITING_MODELS:
        for item in model.objects.prefetch_related("sources"):
            # The editorial read of 2026-12-02 is the one the current texts had; they were
            # first published on 2026-11-20 and changed after it (see test_launch_safety.py).
            assert item.reviewed_at.isoformat() == "2026-12-02T05:45:00+00:00", item
            assert item.published_at.isoformat() == "2026-11-20T09:00:00+00:00", item
            assert item.published_at < item.reviewed_at == item.updated_at, item
            assert item.review_due.isoformat() == "2027-12-02", item
            assert source_slugs(item) and source_slugs(item) <= {PT, EX}, item
            assert item.summary.strip() and item.body.strip(), item


def test_summaries_are_one_or_two_plain_sentences(shared_launch_content):
    for model in CITING_MODELS:
        for item in model.objects.all():
            sentences = re.findall(r"[.!?](?:\s|$)", item.summary)
            assert 1 <= len(sentences) <= 2, item.summary
            assert "\n" not in item.summary and "**" not in item.summary, item


def test_every_cause_has_a_structure_a_symptom_and_a_red_flag(shared_launch_content):
    for cause in m.Cause.objects.all():
        assert cause.structure_links.exists(), cause
        assert cause.symptom_links.exists(), cause
        assert cause.red_flag_links.exists(), cause


def test_every_red_flag_has_an_urgency_and_an_action(shared_launch_content):
    for flag in m.RedFlag.objects.all():
        assert flag.urgency in m.Urgency.values, flag
        assert len(flag.action.strip()) > 20, flag


def test_every_exercise_has_a_valid_dosage_ordered_steps_and_a_target(shared_launch_content):
    for item in m.Exercise.objects.all():
        numbers = {field: getattr(item, field) for field in m.EXERCISE_DOSAGE_LIMITS}
        for field, value in numbers.items():
            low, high = m.EXERCISE_DOSAGE_LIMITS[field]
            assert value is None or low <= value <= high, (item, field)
        assert item.has_dosage, item
        assert item.dosage_note.strip(), item
        assert list(item.steps.values_list("order", flat=True)) == list(
            range(1, item.steps.count() + 1)
        ), item
        assert item.steps.count() >= 3, item
        assert item.target_links.exists(), item


@pytest.mark.parametrize(("relation", "first", "second"), RELATIONS)
def test_no_relation_points_at_a_missing_or_unpublished_item(
    shared_launch_content, relation, first, second
):
    rows = relation.objects.select_related(first, second)
    assert rows.exists()
    for row in rows:
        for end in (first, second):
            assert getattr(row, end).status == m.Status.PUBLISHED, row


def test_every_symptom_risk_factor_red_flag_and_treatment_belongs_to_a_cause(shared_launch_content):
    for model in (m.Symptom, m.RiskFactor, m.RedFlag, m.Treatment):
        orphans = model.objects.filter(cause_links__isnull=True)
        if model is m.Symptom:  # or raises a red flag in the self-check (a triage rule)
            orphans = orphans.filter(triage_rule_links__isnull=True)
        assert not orphans.exists(), list(orphans)


def test_every_exercise_is_linked_to_a_cause_or_reached_by_a_progression(shared_launch_content):
    orphans = m.Exercise.objects.filter(cause_links__isnull=True, regression_links__isnull=True)
    assert not orphans.exists(), list(orphans)


# --- Sources ----------------------------------------------------------------------------------


def test_both_seed_articles_are_recorded_as_published_sources(shared_launch_content):
    pt = m.Source.objects.get(slug=PT)
    ex = m.Source.objects.get(slug=EX)

    assert pt.title == "Back of knee pain cause and treatment | Massage and 4 Exercises"
    assert "physical therapist" in pt.author.lower()
    assert ex.title == "Posterior Knee Pain During Exercise: Causes, Symptoms, and Management"
    assert ex.author == "Alex"
    assert "Pain Management" in ex.note
    for source in (pt, ex):
        assert source.status == m.Status.PUBLISHED
        assert source.url == ""
        assert "Used for" in source.note


@pytest.mark.parametrize(
    ("model", "slug"),
    [
        (m.Cause, "bakers-cyst"),
        (m.Cause, "overuse"),
        (m.Cause, "thrombosis"),
        (m.RedFlag, "signs-of-deep-vein-thrombosis"),
        (m.AnatomyStructure, "popliteal-fossa"),
        (m.AnatomyStructure, "hamstrings"),
        (m.AnatomyStructure, "gastrocnemius"),
        (m.Exercise, "hamstring-stretch"),
        (m.Exercise, "calf-stretch"),
        (m.Treatment, "foam-rolling"),
    ],
)
def test_items_supported_by_both_seeds_cite_both(shared_launch_content, model, slug):
    assert source_slugs(model.objects.get(slug=slug)) == {PT, EX}


def test_seed_001_exercises_cite_only_seed_001_and_seed_000_exercises_cite_seed_000(
    shared_launch_content,
):
    for slug in ("nordic-hamstring-curl", "glute-ham-raise", "glute-bridge", "band-walk"):
        assert source_slugs(exercise(slug)) == {EX}
    for slug in ("lying-straight-leg-raise", "single-leg-stand"):
        assert source_slugs(exercise(slug)) == {PT}
    # The lunge is seed 000's; its depth limit comes from seed 001 (full flexion provokes pain).
    assert source_slugs(exercise("lunge")) == {PT, EX}


def test_bakers_cyst_is_one_cause(shared_launch_content):
    matches = m.Cause.objects.filter(name__icontains="baker")

    assert matches.count() == 1
    cyst = matches.get()
    assert "surgic" in cyst.body and "comes back" in cyst.body
    assert {rf.slug for rf in cyst.risk_factors.all()} == {
        "existing-osteoarthritis",
        "meniscal-tear",
    }


# --- Anatomy ----------------------------------------------------------------------------------


def children(slug):
    return set(m.AnatomyStructure.objects.filter(parent__slug=slug).values_list("slug", flat=True))


def test_hamstrings_group_holds_its_three_muscles(shared_launch_content):
    assert children("hamstrings") == {"semimembranosus", "semitendinosus", "biceps-femoris"}
    assert m.AnatomyStructure.objects.get(slug="hamstrings").kind == m.AnatomyKind.MUSCLE


def test_calf_group_menisci_and_nerves_have_their_members(shared_launch_content):
    assert children("calf-muscles") == {"gastrocnemius", "soleus"}
    assert children("menisci") == {"medial-meniscus", "lateral-meniscus"}
    assert children("nerves-behind-the-knee") == {"tibial-nerve", "common-peroneal-nerve"}
    assert "two heads" in m.AnatomyStructure.objects.get(slug="gastrocnemius").summary


def test_popliteal_fossa_contains_its_vessels_nerves_and_popliteus(shared_launch_content):
    assert {
        "popliteus",
        "popliteal-artery",
        "popliteal-vein",
        "nerves-behind-the-knee",
        "posterior-knee-bursae",
    } <= children("popliteal-fossa")


@pytest.mark.parametrize(
    ("slug", "kind"),
    [
        ("femur", "bone"),
        ("tibia", "bone"),
        ("knee-joint-capsule", "capsule"),
        ("knee-cartilage", "cartilage"),
        ("posterior-cruciate-ligament", "ligament"),
        ("semimembranosus-bursa", "bursa"),
        ("tibial-nerve", "nerve"),
        ("common-peroneal-nerve", "nerve"),
        ("popliteal-artery", "vessel"),
        ("popliteal-vein", "vessel"),
        ("popliteus", "muscle"),
        ("quadriceps", "muscle"),
        ("gluteal-muscles", "muscle"),
        ("hamstring-tendons", "tendon"),
        ("lumbar-spine", "region"),
        ("popliteal-fossa", "region"),
    ],
)
def test_every_named_structure_is_present_with_its_kind(shared_launch_content, slug, kind):
    assert m.AnatomyStructure.objects.get(slug=slug).kind == kind


# --- Causes -----------------------------------------------------------------------------------


def test_overuse_is_the_most_common_cause(shared_launch_content):
    overuse = m.Cause.objects.get(slug="overuse")

    assert overuse.prevalence == m.Prevalence.COMMON
    assert overuse.onset == m.Onset.OVERUSE
    assert overuse.self_care == m.SelfCare.SUITABLE
    assert "most common" in overuse.summary


@pytest.mark.parametrize(
    ("slug", "prevalence", "onset", "self_care"),
    [
        ("osteoarthritis", "not_stated", "degenerative", "after_diagnosis"),  # audit M5
        ("excess-body-weight", "not_stated", "overuse", "suitable"),  # audit M5
        ("bakers-cyst", "common", "degenerative", "after_diagnosis"),
        # 001's key takeaways: tight hamstrings (and calves) are common contributing factors.
        ("calf-tightness", "common", "overuse", "suitable"),
        ("hamstring-tightness", "common", "overuse", "suitable"),
        ("thrombosis", "uncommon", "vascular", "not_suitable"),
        ("distal-hamstring-tendinopathy", "common", "overuse", "after_diagnosis"),
        ("hamstring-strain", "common", "acute", "after_diagnosis"),
        ("gastrocnemius-strain-or-tendinopathy", "common", "overuse", "after_diagnosis"),
        ("popliteus-tendinopathy", "common", "overuse", "after_diagnosis"),
        ("posterior-meniscus-injury", "common", "acute", "after_diagnosis"),
        ("pcl-sprain", "uncommon", "acute", "after_diagnosis"),
        # 001 lists radiculopathy and bursitis among its "most frequent culprits".
        ("lumbar-radiculopathy", "common", "referred", "not_suitable"),
        ("popliteal-artery-entrapment-syndrome", "rare", "vascular", "not_suitable"),
        ("posterior-knee-bursitis", "common", "inflammatory", "after_diagnosis"),
    ],
)
def test_cause_attributes_follow_the_seeds(
    shared_launch_content, slug, prevalence, onset, self_care
):
    cause = m.Cause.objects.get(slug=slug)

    assert (cause.prevalence, cause.onset, cause.self_care) == (prevalence, onset, self_care)


def test_pcl_sprain_is_described_as_less_common_than_acl_injuries(shared_launch_content):
    pcl = m.Cause.objects.get(slug="pcl-sprain")

    assert "less common than ACL" in pcl.summary + pcl.body
    assert set(pcl.structures.values_list("slug", flat=True)) >= {"posterior-cruciate-ligament"}


def test_thrombosis_carries_the_emergency_flag_and_the_prevention_advice(shared_launch_content):
    thrombosis = m.Cause.objects.get(slug="thrombosis")

    assert thrombosis.red_flags.order_by("urgency_rank").first().urgency == m.Urgency.EMERGENCY
    assert "as soon as possible" in thrombosis.body
    for advice in ("regular exercise", "healthy eating", "stress"):
        assert advice in thrombosis.body.lower()
    assert set(thrombosis.risk_factors.values_list("slug", flat=True)) == {
        "sedentary-lifestyle",
        "overweight",
        "diabetes",
        "smoking",
    }
    assert not thrombosis.exercises.exists() and not thrombosis.treatments.exists()


def test_exercises_are_avoided_only_where_a_seed_says_they_hurt(shared_launch_content):
    avoided = set(
        m.CauseExercise.objects.filter(role=m.ExerciseRole.AVOID).values_list(
            "cause__slug", "exercise__slug"
        )
    )

    assert avoided == {
        ("distal-hamstring-tendinopathy", "hamstring-stretch"),
        ("posterior-meniscus-injury", "squat"),
    }
    assert all(link.note for link in m.CauseExercise.objects.filter(role=m.ExerciseRole.AVOID))


def test_the_four_seed_000_exercises_are_recommended_in_order_for_overuse(shared_launch_content):
    recommended = list(
        m.CauseExercise.objects.filter(cause__slug="overuse", role=m.ExerciseRole.RECOMMENDED)
        .order_by("order")
        .values_list("exercise__slug", flat=True)
    )

    assert recommended[:4] == [
        "lying-straight-leg-raise",
        "single-leg-stand",
        "hamstring-stretch",
        "calf-stretch",
    ]


# --- Red flags --------------------------------------------------------------------------------


def test_dvt_is_an_emergency_citing_both_seeds(shared_launch_content):
    dvt = m.RedFlag.objects.get(slug="signs-of-deep-vein-thrombosis")

    assert dvt.urgency == m.Urgency.EMERGENCY
    assert dvt.urgency_rank == 1
    assert "emergency" in dvt.action.lower()
    assert m.RedFlag.objects.first() == dvt  # ordered by urgency


@pytest.mark.parametrize(
    ("slug", "words", "urgency"),
    [
        ("persistent-pain", ("not improve",), "soon"),
        ("severe-pain", ("Severe", "weight"), "urgent"),
        ("swelling-redness-or-warmth", ("swelling", "redness", "warmth"), "urgent"),
        (
            "leg-or-foot-numbness-tingling-or-weakness",
            ("Numbness", "tingling", "weakness", "foot"),
            "urgent",
        ),
        ("popping-sound-at-injury", ("popping",), "urgent"),
        ("signs-of-deep-vein-thrombosis", ("deep vein thrombosis", "DVT"), "emergency"),
    ],
)
def test_every_bullet_of_when_to_seek_advice_is_a_red_flag(
    shared_launch_content, slug, words, urgency
):
    flag = m.RedFlag.objects.get(slug=slug)

    for word in words:
        assert word in flag.name, (flag.name, word)
    assert flag.urgency == urgency


# --- Exercises: the exact dosages of seed 000 -------------------------------------------------


def dosage(item):
    return {field: getattr(item, field) for field in m.EXERCISE_DOSAGE_LIMITS}


def test_lying_straight_leg_raise_is_three_sets_of_ten_twice_a_day_building_to_three_by_twenty(
    shared_launch_content,
):
    raise_ = exercise("lying-straight-leg-raise")

    assert dosage(raise_) == {
        "sets": 3,
        "reps": 10,
        "hold_seconds": None,
        "times_per_day": 2,
        "times_per_day_max": None,
        "target_sets": 3,
        "target_reps": 20,
        "target_hold_seconds": None,
    }
    assert raise_.category == m.ExerciseCategory.STRENGTH
    assert set(raise_.targets.values_list("slug", flat=True)) == {"quadriceps"}
    assert set(raise_.harder_variations.values_list("slug", flat=True)) == {"squat", "lunge"}


def test_single_leg_stand_is_as_often_as_possible_and_progresses_to_eyes_closed_then_cushion(
    shared_launch_content,
):
    stand = exercise("single-leg-stand")

    assert not any(dosage(stand).values())
    assert "As often as possible" in stand.dosage_note
    for moment in ("brushing your teeth", "cooking", "TV"):
        assert moment in stand.dosage_note
    eyes_closed = stand.harder_variations.get()
    assert eyes_closed.slug == "single-leg-stand-eyes-closed"
    cushion = eyes_closed.harder_variations.get()
    assert cushion.slug == "single-leg-stand-balance-cushion"
    assert cushion.equipment == m.Equipment.BALANCE_CUSHION
    assert not cushion.harder_variations.exists()
    assert list(cushion.easier_variations.all()) == [eyes_closed]


def test_hamstring_stretch_holds_twenty_seconds_several_times_a_day(shared_launch_content):
    stretch = exercise("hamstring-stretch")

    assert dosage(stretch) == {
        **dict.fromkeys(m.EXERCISE_DOSAGE_LIMITS),
        "hold_seconds": 20,
    }
    assert "several times a day" in stretch.dosage_note
    assert stretch.equipment == m.Equipment.CHAIR
    targets = dict(stretch.target_links.values_list("structure__slug", "role"))
    assert targets == {"hamstrings": "primary", "nerves-behind-the-knee": "secondary"}
    assert "slightly bent" in stretch.body and "burning" in stretch.body
    steps = " ".join(stretch.steps.values_list("text", flat=True))
    assert "chair" in steps and "toes" in steps and "20 seconds" in steps


def test_calf_stretch_holds_twenty_seconds_two_to_three_times_a_day(shared_launch_content):
    stretch = exercise("calf-stretch")

    assert dosage(stretch) == {
        **dict.fromkeys(m.EXERCISE_DOSAGE_LIMITS),
        "hold_seconds": 20,
        "times_per_day": 2,
        "times_per_day_max": 3,
    }
    assert "three times a day" in stretch.dosage_note  # the seed's other figure, noted
    assert "gastrocnemius" in set(stretch.targets.values_list("slug", flat=True))
    assert "straight" in " ".join(stretch.steps.values_list("text", flat=True))


@pytest.mark.parametrize(
    "slug",
    [
        "nordic-hamstring-curl",
        "glute-ham-raise",
        "glute-bridge",
        "band-walk",
        "hip-thrust",
        "core-stability",
        "calf-raise",
        "dynamic-warm-up",
        "squat",
        "lunge",
    ],
)
def test_exercises_without_a_dosage_in_the_seeds_have_no_numbers_and_say_so(
    shared_launch_content, slug
):
    item = exercise(slug)

    assert not any(dosage(item).values())
    assert "no dosage" in item.dosage_note.lower()


# --- Treatments -------------------------------------------------------------------------------


def test_self_care_measures_of_both_seeds_are_present(shared_launch_content):
    expected = {
        "massage-back-of-knee": m.TreatmentKind.MASSAGE,
        "foam-rolling": m.TreatmentKind.MASSAGE,
        "knee-brace": m.TreatmentKind.SUPPORT,
        "weight-loss": m.TreatmentKind.LIFESTYLE,
        "load-reduction": m.TreatmentKind.LOAD_MANAGEMENT,
        "rice": m.TreatmentKind.ACUTE_CARE,
        "gradual-progression": m.TreatmentKind.TRAINING,
        "warm-up-and-cool-down": m.TreatmentKind.TRAINING,
        "form-and-technique": m.TreatmentKind.TRAINING,
        "appropriate-footwear": m.TreatmentKind.EQUIPMENT,
        "cross-training": m.TreatmentKind.TRAINING,
    }

    kinds = dict(m.Treatment.objects.values_list("slug", "kind"))

    assert {slug: kinds.get(slug) for slug in expected} == expected


def test_massage_targets_the_back_of_the_knee_hamstrings_and_calf(shared_launch_content):
    massage = m.Treatment.objects.get(slug="massage-back-of-knee")

    assert set(massage.structures.values_list("slug", flat=True)) == {
        "popliteal-fossa",
        "hamstrings",
        "calf-muscles",
    }


# --- Names carry the terms readers and editors search for -------------------------------------


@pytest.mark.parametrize(
    ("model", "term"),
    [
        (m.Cause, "overuse"),
        (m.Cause, "osteoarthritis"),
        (m.Cause, "overweight"),
        (m.Cause, "Baker"),
        (m.Cause, "calf tightness"),
        (m.Cause, "hamstring tightness"),
        (m.Cause, "thrombosis"),
        (m.Cause, "distal hamstring tendinopathy"),
        (m.Cause, "hamstring strain"),
        (m.Cause, "gastrocnemius"),
        (m.Cause, "popliteus tendinopathy"),
        (m.Cause, "meniscus"),
        (m.Cause, "PCL"),
        (m.Cause, "radiculopathy"),
        (m.Cause, "entrapment"),
        (m.Cause, "bursitis"),
        (m.Treatment, "massage"),
        (m.Treatment, "foam rolling"),
        (m.Treatment, "knee brace"),
        (m.Treatment, "weight loss"),
        (m.Treatment, "load reduction"),
        (m.Treatment, "RICE"),
        (m.Treatment, "gradual progression"),
        (m.Treatment, "warm-up"),
        (m.Treatment, "form and technique"),
        (m.Treatment, "footwear"),
        (m.Treatment, "cross-training"),
        (m.Exercise, "leg raise"),  # 000 says "lift the leg", never "straight"
        (m.Exercise, "single-leg stand"),
        (m.Exercise, "hamstring stretch"),
        (m.Exercise, "calf stretch"),
        (m.Exercise, "Nordic"),
        (m.Exercise, "glute-ham raise"),
        (m.Exercise, "glute bridge"),
        (m.Exercise, "band walk"),
        (m.Exercise, "hip thrust"),
        (m.Exercise, "core stability"),
        (m.Exercise, "calf strengthening"),
        (m.Exercise, "dynamic warm-up"),
        (m.Exercise, "squat"),
        (m.Exercise, "lunge"),
        (m.AnatomyStructure, "popliteal fossa"),
        (m.AnatomyStructure, "shin bone"),
        (m.AnatomyStructure, "joint capsule"),
        (m.AnatomyStructure, "quadriceps"),
        (m.AnatomyStructure, "hamstring tendons"),
        (m.AnatomyStructure, "knee cartilage"),
    ],
)
def test_each_seed_item_is_findable_by_name(shared_launch_content, model, term):
    assert model.objects.filter(name__icontains=term).exists(), term
