"""Test vectors: inputs chosen from the ruleset itself, with the engine's results for them.

Deterministic (no randomness beyond a fixed-seed generator), so the same ruleset always gives
the same vectors; nothing here is hard-coded about the content.
"""

from __future__ import annotations

import random

from content_app.selfcheck.engine import AnswerProblems, evaluate

COMBINATIONS = 40
SEED = 13


def _vector(name: str, payload: dict, ruleset: dict) -> dict:
    try:
        return {"name": name, "input": payload, "output": evaluate(payload, ruleset)}
    except AnswerProblems as exc:
        return {"name": name, "input": payload, "error": {"invalid_params": sorted(exc.params)}}


def _inputs(ruleset: dict):
    symptoms = [s["slug"] for s in ruleset["symptoms"]]
    yield "no answers", {"symptoms": [], "answers": []}
    for question in ruleset["questions"]:
        for option in question["options"]:
            answer = {"question": question["slug"], "option": option["value"]}
            yield (
                f"answer {question['slug']}={option['value']}",
                {
                    "symptoms": [],
                    "answers": [answer],
                },
            )
    for slug in symptoms:
        yield f"symptom {slug}", {"symptoms": [slug], "answers": []}
    for rule in ruleset["rules"]:
        yield f"rule {rule['slug']}", {"symptoms": list(rule["symptoms"]), "answers": []}
    for cause in ruleset["causes"]:
        wanted = [link["slug"] for link in cause["symptoms"] if link["role"] != "against"]
        yield f"cause {cause['slug']}", {"symptoms": wanted, "answers": []}
    generator = random.Random(SEED)
    for index in range(COMBINATIONS if symptoms else 0):
        picked = generator.sample(symptoms, min(len(symptoms), generator.randint(2, 5)))
        yield f"combination {index + 1}", {"symptoms": sorted(picked), "answers": []}
    # Invalid inputs: an app must refuse them, naming the same fields.
    yield "unknown symptom", {"symptoms": ["no-such-symptom"], "answers": []}
    for question in ruleset["questions"]:
        values = [o["value"] for o in question["options"]]
        mapped = [o for o in question["options"] if o["symptom"] is not None]
        if len(values) >= 2 and mapped:
            other = next(v for v in values if v != mapped[0]["value"])
            yield (
                f"contradiction {question['slug']}",
                {
                    "symptoms": [mapped[0]["symptom"]],
                    "answers": [{"question": question["slug"], "option": other}],
                },
            )
            break


def test_vectors(ruleset: dict) -> list[dict]:
    return [_vector(name, payload, ruleset) for name, payload in _inputs(ruleset)]


test_vectors.__test__ = False  # not a pytest test
