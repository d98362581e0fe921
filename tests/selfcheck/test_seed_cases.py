"""The seed articles' cases, through the endpoint, over the launch rules."""

import pytest

SELF_CHECK = "/api/v1/self-check/"
pytestmark = pytest.mark.django_db


def check(api_client, symptoms=(), answers=()):
    payload = {
        "symptoms": list(symptoms),
        "answers": [{"question": q, "option": o} for q, o in answers],
    }
    response = api_client.post(SELF_CHECK, payload, format="json")
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "private, no-store"
    return response.json()


def cause_slugs(result):
    return [c["slug"] for c in result["causes"]]


DVT = "signs-of-deep-vein-thrombosis"


@pytest.mark.parametrize(
    ("symptoms", "answers"),
    [
        ((), (("calf-or-thigh-signs", "yes"),)),  # any of pain, swelling, tenderness, redness
        (("calf-or-thigh-suddenly-painful-swollen-tender-or-red",), ()),
        (("swelling-of-the-leg", "redness-of-the-leg"), ()),  # the swollen and red leg
        (("pain-in-the-calf", "swelling-of-the-leg"), ()),
        (("pain-in-the-calf", "redness-of-the-leg"), ()),
        (("pain-in-the-calf",), (("onset", "sudden"),)),
        (("swelling-of-the-leg",), (("onset", "sudden"),)),
        (("redness-of-the-leg", "tight-muscles-behind-the-knee"), (("onset", "sudden"),)),
    ],
)
def test_dvt_signs_are_an_emergency_first_with_no_self_care(
    api_client, shared_launch_content, symptoms, answers
):
    result = check(api_client, symptoms, answers)
    assert result["top_urgency"] == "emergency"
    assert result["red_flags"][0]["slug"] == DVT
    assert "emergency" in result["red_flags"][0]["action"].lower()
    assert result["causes"] == []
    assert result["self_care"] == []
    assert result["watch_for"] == []
    assert result["self_care_withheld"] == "emergency"
    assert result["disclaimer"]["summary"]


def test_emergency_short_circuits_even_with_self_care_answers(api_client, shared_launch_content):
    result = check(
        api_client,
        ["tight-muscles-behind-the-knee", "swelling-of-the-leg", "redness-of-the-leg"],
        [("training-increase", "yes"), ("numbness", "yes")],
    )
    assert [f["urgency"] for f in result["red_flags"]] == ["emergency", "urgent"]
    assert result["causes"] == [] and result["self_care"] == []


def test_numbness_tingling_weakness_is_urgent_with_the_referred_pain_cause(
    api_client, shared_launch_content
):
    result = check(api_client, answers=[("numbness", "yes")])
    assert result["top_urgency"] == "urgent"
    assert result["red_flags"][0]["slug"] == "leg-or-foot-numbness-tingling-or-weakness"
    assert cause_slugs(result)[0] == "lumbar-radiculopathy"
    assert result["self_care"] == [] and result["self_care_withheld"] == "red_flag"


def test_clicking_locking_after_twisting_puts_the_meniscus_first(api_client, shared_launch_content):
    result = check(
        api_client, answers=[("clicking-locking", "yes"), ("twisting", "yes"), ("injury", "yes")]
    )
    assert result["red_flags"] == []
    first = result["causes"][0]
    assert first["slug"] == "posterior-meniscus-injury"
    assert set(first["matched"]) == {
        "clicking-locking-or-giving-way",
        "pain-with-deep-squats-or-twisting",
    }
    assert "pain-when-the-knee-bends-fully" in first["missing"]


def test_a_lump_behind_the_knee_is_bakers_cyst(api_client, shared_launch_content):
    result = check(api_client, answers=[("lump", "yes")])
    assert cause_slugs(result)[0] == "bakers-cyst"
    assert result["causes"][0]["matched"] == ["lump-or-fullness-behind-the-knee"]


def test_calf_cramping_during_exercise_that_eases_with_rest_is_paes_with_its_flags(
    api_client, shared_launch_content
):
    result = check(
        api_client,
        answers=[("calf-cramping", "yes"), ("during-exercise", "yes"), ("rest-helps", "yes")],
    )
    top = result["causes"][:3]
    paes = next(c for c in top if c["slug"] == "popliteal-artery-entrapment-syndrome")
    assert paes["self_care"] == "not_suitable"
    assert "leg-or-foot-numbness-tingling-or-weakness" in paes["red_flags"]
    # The cramping symptom's warning signs are shown to watch for.
    assert {f["slug"] for f in result["watch_for"]} >= {DVT}


def test_pain_that_does_not_ease_with_rest_counts_against_paes(api_client, shared_launch_content):
    eases = check(api_client, answers=[("calf-cramping", "yes"), ("rest-helps", "yes")])
    persists = check(api_client, answers=[("calf-cramping", "yes"), ("rest-helps", "no")])
    paes = "popliteal-artery-entrapment-syndrome"
    score = {c["slug"]: c["score"] for c in eases["causes"]}[paes]
    after = {c["slug"]: c for c in persists["causes"]}[paes]
    assert after["score"] < score and after["against"] == ["pain-not-improving-with-rest"]
    assert persists["red_flags"][0]["slug"] == "persistent-pain"


def test_tightness_after_a_training_spike_is_overuse_and_tight_muscles_with_exercises(
    api_client, shared_launch_content
):
    result = check(api_client, answers=[("tightness", "yes"), ("training-increase", "yes")])
    assert result["red_flags"] == [] and result["top_urgency"] is None
    slugs = cause_slugs(result)
    assert slugs[0] == "overuse"
    assert {"calf-tightness", "hamstring-tightness"} <= set(slugs[:3])
    care = {entry["cause"]: entry for entry in result["self_care"]}
    assert "hamstring-stretch" in [e["slug"] for e in care["hamstring-tightness"]["exercises"]]
    assert "calf-stretch" in [e["slug"] for e in care["calf-tightness"]["exercises"]]
    for entry in result["self_care"]:
        for item in entry["exercises"] + entry["treatments"]:
            assert item["phase"] != "prevention"  # prevention is never given as treatment
    # The dynamic warm-up is linked to overuse for prevention only: not returned.
    assert "dynamic-warm-up" not in [e["slug"] for e in care["overuse"]["exercises"]]
    # Massage of the calf carries its caution (a clot ruled out first).
    massage = next(t for t in care["calf-tightness"]["treatments"] if "massage" in t["slug"])
    assert "clot" in massage["caution"]


def test_only_after_diagnosis_and_unsuitable_causes_give_no_self_care(
    api_client, shared_launch_content
):
    result = check(api_client, answers=[("lump", "yes")])  # Baker's cyst: after diagnosis
    assert result["red_flags"] == []
    assert result["self_care"] == []
