"""The launch content after the clinical audit (../shared/audits/content-audit.md, issue 8):
the seed facts section 1 lists as missing or altered, and the wording defects of sections 2, 4
and 5, each pinned so it cannot come back. Item numbers (#n, M1, S1, H2...) are the audit's.
The facts that were right before the audit: test_launch_content.py."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from content_app import models as m

pytestmark = [pytest.mark.django_db, pytest.mark.launch_content]

PT = "back-of-knee-pain-massage-and-four-exercises"  # seed 000, by a physical therapist
EX = "posterior-knee-pain-during-exercise"  # seed 001, by Alex
FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "launch_content.json"


def get(model, slug):
    return model.objects.get(slug=slug)


def text(item):
    """Everything a reader sees of an item, as one string."""
    parts = [item.name, item.summary, item.body, getattr(item, "action", "")]
    if isinstance(item, m.Exercise):
        parts += [item.dosage_note, *item.steps.values_list("text", flat=True)]
    return "\n".join(parts)


def steps(slug):
    return list(get(m.Exercise, slug).steps.order_by("order").values_list("text", flat=True))


def sources(item):
    return {source.slug for source in item.sources.all()}


ITEM_MODELS = {f"content_app.{model._meta.model_name}" for model in m.CONTENT_MODELS}


def all_texts(link_notes=True, source_notes=True):
    """(label, text) of every string field of the fixture; `link_notes=False` leaves out the
    notes on relation rows, `source_notes=False` the sources' editorial notes (where seed
    wording is quoted on purpose)."""
    for obj in json.loads(FIXTURE.read_text(encoding="utf-8")):
        for field, value in obj["fields"].items():
            if field == "note":
                is_item = obj["model"] in ITEM_MODELS
                if (is_item and not source_notes) or (not is_item and not link_notes):
                    continue
            if isinstance(value, str):
                yield f"{obj['model']}:{obj['fields'].get('slug', obj['pk'])}.{field}", value


def texts_matching(pattern, **which):
    regex = re.compile(pattern, re.IGNORECASE)
    return [label for label, value in all_texts(**which) if regex.search(value)]


# --- Section 1: seed facts that were missing or altered ------------------------------------


def test_1_to_4_seed_000s_framing_is_carried_as_its_view(shared_launch_content):
    body = get(m.Symptom, "pain-behind-the-knee").body

    for fact in ("common", "easy to treat", "less serious", "very annoying"):
        assert fact in body, fact
    assert "The first source calls" in body and "blood clot" in body


def test_5_cure_it_yourself_is_seed_000s_claim_and_excludes_medical_causes(shared_launch_content):
    body = get(m.Treatment, "load-reduction").body

    assert "cure" in body and "by yourself" in body
    assert "The first source claims" in body and "blood clot" in body


def test_7_the_plan_is_carried_in_both_of_seed_000s_orders(shared_launch_content):
    plan = get(m.Treatment, "load-reduction").body.split("**The plan, in order:**")[1]
    detailed, opening = plan.split("Its opening summary")
    brace = get(m.Treatment, "knee-brace").body

    assert (
        detailed.index("reduce the load") < detailed.index("massage") < detailed.index("exercises")
    )
    assert opening.index("massage") < opening.index("strength and stability")
    assert opening.index("strength and stability") < opening.index("knee brace")
    assert brace.index("(1) massage") < brace.index("(2) build up the strength and stability")
    assert brace.index("(2)") < brace.index("(3) wear a knee brace")
    assert "reducing the load, massage, then the exercises" in get(m.Source, PT).note


def test_38_nothing_else_can_be_done_about_a_bakers_cyst_per_seed_000(shared_launch_content):
    body = get(m.Cause, "bakers-cyst").body

    assert "the first source says, there is nothing else you can do about the cyst" in body


def test_42_thrombosis_is_a_clot_in_a_deep_vein_citing_seed_001(shared_launch_content):
    thrombosis = get(m.Cause, "thrombosis")
    dvt = get(m.RedFlag, "signs-of-deep-vein-thrombosis")
    happens = thrombosis.body.split("## How it feels")[0]

    assert "a blood clot in a deep vein of the leg" in thrombosis.summary
    assert "deep vein of the leg" in happens and "second source" in happens
    assert "a blood clot in a deep vein of the leg" in dvt.summary + dvt.body
    assert sources(thrombosis) == sources(dvt) == {PT, EX}
    for item in (thrombosis, dvt):
        assert "blood vessel" not in text(item)
        assert not re.search(r"\barter(y|ies)\b", happens + text(dvt)), item


def test_42_seed_000s_other_thrombosis_facts_are_all_kept(shared_launch_content):
    body = get(m.Cause, "thrombosis").body

    assert "most often forms in the lower leg" in body
    assert "Pain, swelling and redness of the leg" in body
    assert "mostly hurts in the calf" in body and "back of the knee can hurt too" in body
    assert "more uncommon cause" in body
    assert "Sitting a lot while carrying extra weight" in body
    for prevention in ("regular exercise", "healthy eating", "stress out of your life"):
        assert prevention in body


def test_42_the_artery_error_is_recorded_in_seed_000s_note_and_not_carried(shared_launch_content):
    note = get(m.Source, PT).note

    assert "blocks one of the arteries" in note
    assert "That is an error: a deep vein thrombosis forms in a vein" in note
    assert "Error not carried" in note
    assert "our texts say 'blood vessel'" not in note


def test_42_thrombosis_is_kept_apart_from_the_arterial_entrapment(shared_launch_content):
    thrombosis = get(m.Cause, "thrombosis")
    paes = get(m.Cause, "popliteal-artery-entrapment-syndrome")

    assert "## Not the same as" in thrombosis.body and "entrapment" in thrombosis.body
    assert "popliteal-artery" not in set(thrombosis.structures.values_list("slug", flat=True))
    assert "popliteal-artery" in set(paes.structures.values_list("slug", flat=True))


def test_52_h6_the_leg_raise_says_only_what_seed_000_says(shared_launch_content):
    raise_ = get(m.Exercise, "lying-straight-leg-raise")  # slug kept: slugs are identifiers
    written = steps("lying-straight-leg-raise")

    assert raise_.name == "Lying leg raise"
    assert "straight" not in " ".join([raise_.name, raise_.summary, *written]).lower()
    assert "lower it" not in " ".join(written).lower()
    assert written[:2] == [
        "Lie down on your back.",
        "Lift the leg on the side of your painful knee.",
    ]
    assert "10" in written[2] and "3 sets" in written[3] and "twice a day" in written[4]


def test_57_works_for_every_knee_pain_is_attributed_as_a_claim(shared_launch_content):
    body = get(m.Exercise, "lying-straight-leg-raise").body

    assert "The first source claims that this exercise helps with knee pain of every kind" in body
    assert "not an established fact" in body


def test_84_86_120_seed_001s_framing_of_pain_during_exercise(shared_launch_content):
    body = get(m.Symptom, "pain-behind-the-knee-during-exercise").body

    assert "common complaint" in body  # 84
    assert "how the region moves" in body and "stresses placed on it" in body  # 86
    for cause in ("Baker's cyst", "popliteus", "meniscus", "PCL", "lower back", "bursitis"):
        assert cause in body.split("Its most frequent causes")[1], cause  # 120
    assert "entrapment syndrome is the rare exception" in body


def test_131_seed_001s_common_contributing_factors(shared_launch_content):
    overuse = get(m.Cause, "overuse").body.split("## Contributing factors")[1]

    for factor in ("overuse", "training errors", "muscle imbalances", "biomechanics"):
        assert factor in overuse, factor
    assert "common contributing factors" in overuse
    assert "common contributing factor" in get(m.Cause, "hamstring-tightness").body
    assert "tight calves" in get(m.Cause, "calf-tightness").body


def test_141_seed_001s_strategies_carry_its_ruled_out_caveat(shared_launch_content):
    caveat = "once serious conditions have been ruled out and a diagnosis has been made"
    strategies = [
        (m.Treatment, slug)
        for slug in (
            "gradual-progression",
            "warm-up-and-cool-down",
            "form-and-technique",
            "appropriate-footwear",
            "cross-training",
        )
    ] + [
        (m.Exercise, slug)
        for slug in (
            "hamstring-stretch",
            "nordic-hamstring-curl",
            "glute-ham-raise",
            "glute-bridge",
            "band-walk",
            "hip-thrust",
            "core-stability",
            "calf-raise",
            "dynamic-warm-up",
        )
    ]

    for model, slug in strategies:
        item = get(model, slug)
        assert EX in sources(item), slug
        assert caveat in item.body, slug
    assert "after anything serious has been excluded" in get(m.Treatment, "rice").body
    assert caveat in get(m.Cause, "distal-hamstring-tendinopathy").body


def test_141_s4_calf_self_care_first_rules_out_a_clot(shared_launch_content):
    for model, slug in [
        (m.Treatment, "massage-back-of-knee"),
        (m.Treatment, "foam-rolling"),
        (m.Exercise, "calf-stretch"),
        (m.Cause, "calf-tightness"),
        (m.Cause, "gastrocnemius-strain-or-tendinopathy"),
    ]:
        item = get(model, slug)
        assert "Before any self-care of the calf" in item.body, slug
        assert "(any one of these)" in item.body and "medical emergency" in item.body, slug
        assert EX in sources(item), slug  # the emergency is seed 001's
    cyst = get(m.Cause, "bakers-cyst").body.split("## Warning signs")[1]
    assert "(any one of these)" in cyst and "medical emergency" in cyst


def test_146_hamstring_stretching_is_gentle_and_consistent(shared_launch_content):
    for model, slug in [(m.Exercise, "hamstring-stretch"), (m.Cause, "hamstring-tightness")]:
        assert "gentle, consistent stretching" in get(model, slug).body, slug


# --- Section 2 and 4: the DVT warning -------------------------------------------------------

CONJUNCTIONS = [
    r"swollen,? tender,? and red",
    r"tender and red",
    r"swelling,? (and )?tenderness,? and redness",
    r"painful, tender and red",
]


def test_m1_dvt_signs_are_never_written_as_all_four_together():
    assert [label for pattern in CONJUNCTIONS for label in texts_matching(pattern)] == []


@pytest.mark.parametrize(
    ("model", "slug", "field"),
    [
        (m.RedFlag, "signs-of-deep-vein-thrombosis", "summary"),
        (m.RedFlag, "swelling-redness-or-warmth", "action"),
        (m.AnatomyStructure, "thigh", "body"),
        (m.Symptom, "swelling-of-the-leg", "body"),
        (m.Symptom, "redness-of-the-leg", "body"),
        (m.Cause, "thrombosis", "body"),
        (m.Symptom, "pain-in-the-calf", "body"),
    ],
)
def test_m1_each_dvt_passage_gives_the_signs_as_alternatives(
    shared_launch_content, model, slug, field
):
    value = getattr(get(model, slug), field)

    assert re.search(r"\bany one\b|\bwhether or not\b|\bon its own or\b", value, re.I), value
    assert re.search(r"\bor (red|redness|tenderness)\b", value), value
    assert "deep vein" in value


def test_s1_calf_pain_with_swelling_and_redness_is_a_medical_emergency(shared_launch_content):
    bullet = next(
        line
        for line in get(m.Symptom, "pain-in-the-calf").body.splitlines()
        if line.startswith("- **Thrombosis:**")
    )

    assert "could be a blood clot (deep vein thrombosis): a medical emergency" in bullet
    assert "emergency help" in bullet
    assert "as soon as possible" not in bullet


def test_s2_thrombosis_leads_with_the_emergency(shared_launch_content):
    thrombosis = get(m.Cause, "thrombosis")
    what_to_do = thrombosis.body.split("## What to do")[1]

    assert "medical emergency" in thrombosis.summary.split(". ")[0]
    assert "as soon as possible" not in thrombosis.summary
    assert what_to_do.index("medical emergency") < what_to_do.index("as soon as possible")
    assert "call emergency services" in what_to_do and "the emergency advice comes first" in (
        what_to_do
    )


def test_dvt_flag_says_its_signs_are_examples_and_puts_the_emergency_first(
    shared_launch_content,
):
    body = get(m.RedFlag, "signs-of-deep-vein-thrombosis").body

    assert "The signs named here are examples: one of them is enough to act on" in body
    assert body.index("medical emergency") < body.index("as soon as possible")


# --- Section 2: prevalence and wording ------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "prevalence"),
    [
        ("calf-tightness", "common"),  # 001: tight hamstrings or calves, common factors
        ("hamstring-tightness", "common"),
        ("lumbar-radiculopathy", "common"),  # 001: among the "most frequent culprits"
        ("posterior-knee-bursitis", "common"),
        ("popliteal-artery-entrapment-syndrome", "rare"),  # 001: "a rare condition"
        ("thrombosis", "uncommon"),  # 000: "a more uncommon cause"
    ],
)
def test_m5_prevalence_follows_what_each_seed_says(shared_launch_content, slug, prevalence):
    assert get(m.Cause, slug).prevalence == prevalence


def test_m8_paes_is_mostly_seen_in_young_athletes_not_common_among_them(shared_launch_content):
    assert texts_matching(r"common (among|in) young athletes", source_notes=False) == []
    for model, slug, field in [
        (m.Cause, "popliteal-artery-entrapment-syndrome", "summary"),
        (m.RiskFactor, "young-athlete", "body"),
        (m.Symptom, "calf-or-foot-cramping-during-exercise", "body"),
    ]:
        assert "mostly seen in young athletes" in getattr(get(model, slug), field), slug


def test_m9_glute_ham_raise_puts_the_thighs_on_the_pad(shared_launch_content):
    set_up = steps("glute-ham-raise")[0]

    assert "thighs on the pad" in set_up and "knees just behind it" in set_up
    assert "knees on the pad" not in set_up


def test_h2_only_the_gastrocnemius_is_said_to_bend_the_knee(shared_launch_content):
    body = get(m.AnatomyStructure, "calf-muscles").body

    assert "The gastrocnemius helps bend the knee" in body
    assert "They help bend the knee" not in body


def test_h3_h4_no_invented_spatial_relations(shared_launch_content):
    assert "next to" not in get(m.AnatomyStructure, "soleus").summary
    for slug in ("tibial-nerve", "common-peroneal-nerve"):
        body = get(m.AnatomyStructure, slug).body
        assert "beside" not in body and "squeezed or irritated" in body, slug


def test_h5_quadriceps_as_seed_000s_thigh_muscles_is_marked_as_our_reading(
    shared_launch_content,
):
    quadriceps = get(m.AnatomyStructure, "quadriceps")

    assert "our reading" in quadriceps.body
    assert "thigh muscles" not in quadriceps.name


def test_h7_h22_no_directives_the_seeds_do_not_give(shared_launch_content):
    # Not the notes on cause-exercise links: they belong to the relation model (issue 8's
    # model half), which rewrites them with phase and caution.
    assert texts_matching(r"ask a professional (before|first)", link_notes=False) == []
    assert texts_matching(r"manage on your own|knows no other treatment", link_notes=False) == []


def test_h11_h14_h17_smaller_wording_fixes(shared_launch_content):
    assert texts_matching(r"extra kilo") == []
    assert "physical therapist" in get(m.RedFlag, "severe-pain").action
    assert "swing" not in " ".join(steps("dynamic-warm-up")).lower()


def test_brace_and_immediate_relief_are_attributed_to_seed_000(shared_launch_content):
    assert get(m.Treatment, "knee-brace").summary.startswith("The first source says")
    assert "which it says" in get(m.Treatment, "load-reduction").summary
    for label, value in all_texts():
        for sentence in re.split(r"(?<=\.)\s", value):
            if re.search(r"immediately|straight away", sentence):
                assert re.search(r"first source|It says|reports|author", sentence), label


# --- Section 2 (U1, M2-M4): prevention is not presented as treatment ------------------------


def test_u1_m2_eccentric_work_is_prevention_in_the_hamstring_cause_texts(shared_launch_content):
    strain = get(m.Cause, "hamstring-strain").body
    tendinopathy = get(m.Cause, "distal-hamstring-tendinopathy").body

    assert "Eccentric" not in strain.split("## Preventing it")[0]
    assert "not as treatment for a fresh strain or tear" in strain
    assert "eccentric" not in tendinopathy.split("## Prevention")[0].lower()
    assert "It does not give them as treatment for a tendinopathy" in tendinopathy
    for slug in ("nordic-hamstring-curl", "glute-ham-raise"):
        body = get(m.Exercise, slug).body
        assert "not as treatment for a hamstring strain, tear or tendinopathy" in body, slug


def test_m4_calf_work_is_for_tightness_not_a_fresh_strain(shared_launch_content):
    assert (
        "not as treatment for a fresh strain"
        in get(m.Cause, "gastrocnemius-strain-or-tendinopathy").body
    )
    assert "not as treatment for a fresh calf strain" in get(m.Exercise, "calf-raise").body


# --- Section 5: the exercise steps -----------------------------------------------------------


@pytest.mark.parametrize("slug", ["squat", "lunge"])
def test_squat_and_lunge_go_only_as_deep_as_is_comfortable(shared_launch_content, slug):
    item = get(m.Exercise, slug)

    assert re.search(r"only as (deep|far) as is comfortable", " ".join(steps(slug)))
    assert "Baker's cyst" in item.body and "meniscus" in item.body  # 001's reason
    assert EX in sources(item)


def test_lunge_starts_with_a_moderate_supported_step(shared_launch_content):
    written = " ".join(steps("lunge"))

    assert "long step" not in written
    assert "moderate step" in written and "hold for balance" in written


def test_calf_stretch_keeps_the_heel_down_and_the_knee_straight(shared_launch_content):
    written = " ".join(steps("calf-stretch"))

    assert "heel on the floor" in written and "straight" in written


def test_hamstring_stretch_says_how_to_take_the_pull_off_the_nerves(shared_launch_content):
    stretch = get(m.Exercise, "hamstring-stretch")

    assert "slightly bent" in steps("hamstring-stretch")[0]
    assert "To keep the stretch in the hamstrings, bend the knee slightly" in stretch.body
    assert "Numbness, tingling or weakness in your leg or foot" in stretch.body


# --- Section 3: the copied runs are rephrased -----------------------------------------------


def test_the_three_copied_runs_are_rephrased(shared_launch_content):
    assert get(m.RedFlag, "leg-or-foot-numbness-tingling-or-weakness").name == (
        "Numbness, tingling or weakness in your leg or foot"
    )
    for slug in ("hamstrings", "menisci"):
        assert "cause pain at the back of the knee" not in get(m.AnatomyStructure, slug).body


def test_seed_001s_note_records_its_caveat_and_reading_of_paes(shared_launch_content):
    note = get(m.Source, EX).note

    assert "once serious conditions have been ruled out" in note
    assert "for injury prevention, not as treatment" in note
    assert "'mostly seen in young athletes'" in note
