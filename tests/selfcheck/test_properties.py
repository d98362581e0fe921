"""Property tests of the engine over the launch ruleset (hypothesis)."""

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content_app.selfcheck.engine import URGENCY_ORDER, evaluate

pytestmark = pytest.mark.django_db
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


def rank(result):
    top = result["top_urgency"]
    return URGENCY_ORDER.index(top) if top else len(URGENCY_ORDER)


@pytest.fixture(scope="module")
def rs(launch_ruleset):
    return launch_ruleset


def flag_symptoms(ruleset):
    """Every symptom that takes part in a triage rule."""
    return {s for rule in ruleset["rules"] for s in rule["symptoms"]}


def answer_free(ruleset):
    """Symptoms no question maps to: any subset is a valid (non-contradictory) input."""
    mapped = {o["symptom"] for q in ruleset["questions"] for o in q["options"] if o["symptom"]}
    return sorted({s["slug"] for s in ruleset["symptoms"]} - mapped)


def inputs(ruleset):
    symptoms = st.lists(st.sampled_from(answer_free(ruleset)), max_size=6, unique=True)
    questions = st.lists(
        st.sampled_from(ruleset["questions"]), max_size=6, unique_by=lambda q: q["slug"]
    )

    def answered(qs):
        return st.tuples(*[st.sampled_from(q["options"]) for q in qs]).map(
            lambda opts: [
                {"question": q["slug"], "option": o["value"]} for q, o in zip(qs, opts, strict=True)
            ]
        )

    return st.fixed_dictionaries({"symptoms": symptoms, "answers": questions.flatmap(answered)})


def with_rule(payload, rule, ruleset):
    """`payload` plus the answers that state `rule`'s symptoms (replacing an answer that said
    otherwise to the same question; such answers mean no symptom in the launch content)."""
    answers = {a["question"]: a["option"] for a in payload["answers"]}
    symptoms = set(payload["symptoms"])
    for slug in rule["symptoms"]:
        option = next(
            ((q, o) for q in ruleset["questions"] for o in q["options"] if o["symptom"] == slug),
            None,
        )
        if option is None:
            symptoms.add(slug)
        else:
            answers[option[0]["slug"]] = option[1]["value"]
    return {
        "symptoms": sorted(symptoms),
        "answers": [{"question": q, "option": o} for q, o in answers.items()],
    }


def test_adding_a_red_flag_answer_never_lowers_the_top_urgency(rs):
    @PROPERTY
    @given(payload=inputs(rs), rule=st.sampled_from(rs["rules"]))
    def check(payload, rule):
        before = evaluate(payload, rs)
        after = evaluate(with_rule(payload, rule, rs), rs)
        assert set(before["evidence"]) <= set(after["evidence"])
        assert rule["red_flag"] in {f["slug"] for f in after["red_flags"]}
        assert rank(after) <= rank(before)

    check()


def test_without_red_flag_answers_there_is_never_an_emergency(rs):
    involved = flag_symptoms(rs)

    @PROPERTY
    @given(payload=inputs(rs))
    def check(payload):
        stripped = {
            "symptoms": [s for s in payload["symptoms"] if s not in involved],
            "answers": [
                a
                for a in payload["answers"]
                if not any(
                    o["value"] == a["option"] and o["symptom"] in involved
                    for q in rs["questions"]
                    if q["slug"] == a["question"]
                    for o in q["options"]
                )
            ],
        }
        result = evaluate(stripped, rs)
        assert result["red_flags"] == []
        assert result["top_urgency"] != "emergency"

    check()


def test_results_are_a_pure_function_of_the_inputs(rs):
    @PROPERTY
    @given(payload=inputs(rs), data=st.data())
    def check(payload, data):
        first = evaluate(payload, rs)
        shuffled = {
            "symptoms": data.draw(st.permutations(payload["symptoms"])),
            "answers": data.draw(st.permutations(payload["answers"])),
        }
        snapshot = copy.deepcopy(rs)
        assert evaluate(shuffled, copy.deepcopy(rs)) == first  # order and copies don't matter
        assert evaluate(payload, rs) == first
        assert rs == snapshot  # the engine never changes its ruleset

    check()


def test_an_emergency_never_comes_with_self_care_or_causes(rs):
    @PROPERTY
    @given(payload=inputs(rs))
    def check(payload):
        result = evaluate(payload, rs)
        if result["top_urgency"] == "emergency":
            assert result["causes"] == result["self_care"] == result["watch_for"] == []
        if result["red_flags"]:
            assert result["self_care"] == []
        urgencies = [URGENCY_ORDER.index(f["urgency"]) for f in result["red_flags"]]
        assert urgencies == sorted(urgencies)

    check()
