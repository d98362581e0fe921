"""Offline: an app holding only the bundle reproduces every published test vector.

`reference` is a second implementation written from the schema's algorithm description; it
reads nothing but the bundle's `self_check` JSON.
"""

import hashlib
import json

import pytest

pytestmark = pytest.mark.django_db
RANKS = {}


def _canonical_version(ruleset):
    body = {k: v for k, v in ruleset.items() if k != "version"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def reference(ruleset, request):
    """The self-check as an app would write it from the schema description."""
    symptoms, answers = request.get("symptoms", []), request.get("answers", [])
    lim = ruleset["limits"]
    bad = set()
    if len(symptoms) > lim["max_symptoms"]:
        bad.add("symptoms")
    if len(answers) > lim["max_answers"]:
        bad.add("answers")
    if bad:
        return {"error": {"invalid_params": sorted(bad)}}
    known = {s["slug"] for s in ruleset["symptoms"]}
    bad |= {f"symptoms[{i}]" for i, s in enumerate(symptoms) if s not in known}
    q_by = {q["slug"]: q for q in ruleset["questions"]}
    picked = {}
    for i, a in enumerate(answers):
        q = q_by.get(a["question"])
        if q is None:
            bad.add(f"answers[{i}].question")
        elif a["option"] not in [o["value"] for o in q["options"]]:
            bad.add(f"answers[{i}].option")
        else:
            picked.setdefault(q["slug"], set()).add(a["option"])
    for q in ruleset["questions"]:
        for o in q["options"]:
            if o["symptom"] in symptoms:
                picked.setdefault(q["slug"], set()).add(o["value"])
    if any(len(v) > 1 for v in picked.values()):
        bad.add("answers")
    if bad:
        return {"error": {"invalid_params": sorted(bad)}}
    evidence = set(symptoms)
    for a in answers:
        evidence |= {
            o["symptom"]
            for o in q_by[a["question"]]["options"]
            if o["value"] == a["option"] and o["symptom"]
        }
    urg = ruleset["urgency_order"]
    flag_by = {f["slug"]: f for f in ruleset["red_flags"]}
    fired = {}
    for rule in ruleset["rules"]:
        if all(s in evidence for s in rule["symptoms"]):
            f = fired.setdefault(rule["red_flag"], ([], set()))
            f[0].append(rule["slug"])
            f[1].update(rule["symptoms"])
    order = sorted(fired, key=lambda s: (urg.index(flag_by[s]["urgency"]), s))
    flags = [
        {
            **{k: flag_by[s][k] for k in ("slug", "name", "urgency", "action")},
            "rules": sorted(fired[s][0]),
            "evidence": sorted(fired[s][1]),
        }
        for s in order
    ]
    out = {
        "algorithm": ruleset["algorithm"],
        "ruleset_version": ruleset["version"],
        "evidence": sorted(evidence),
        "top_urgency": flags[0]["urgency"] if flags else None,
        "red_flags": flags,
        "watch_for": [],
        "causes": [],
        "self_care_withheld": None,
        "self_care": [],
        "disclaimer": ruleset["disclaimer"],
    }
    if out["top_urgency"] == "emergency":
        out["self_care_withheld"] = "emergency"
        return {"output": out}
    watch = {f for s in ruleset["symptoms"] if s["slug"] in evidence for f in s["red_flags"]}
    watch -= set(fired)
    out["watch_for"] = [
        {k: flag_by[s][k] for k in ("slug", "name", "urgency")}
        for s in sorted(watch, key=lambda s: (urg.index(flag_by[s]["urgency"]), s))
    ]
    ranked = []
    for c in ruleset["causes"]:
        pos = [x for x in c["symptoms"] if x["role"] != "against"]
        matched = [x["slug"] for x in pos if x["slug"] in evidence]
        missing = [x["slug"] for x in pos if x["slug"] not in evidence]
        against = [
            x["slug"] for x in c["symptoms"] if x["role"] == "against" and x["slug"] in evidence
        ]
        need = [x["slug"] for x in pos if x["role"] == "required"]
        score = sum(x["weight"] for x in pos if x["slug"] in evidence) - sum(
            x["weight"] for x in c["symptoms"] if x["slug"] in against
        )
        if matched and score > 0 and all(n in evidence for n in need):
            key = (
                -score,
                -len(matched),
                ruleset["prevalence_order"].index(c["prevalence"]),
                c["slug"],
            )
            entry = {
                "slug": c["slug"],
                "name": c["name"],
                "score": score,
                "matched": matched,
                "missing": missing,
                "against": against,
                "self_care": c["self_care"],
                "red_flags": c["red_flags"],
            }
            ranked.append((key, entry, c))
    ranked.sort(key=lambda t: t[0])
    ranked = ranked[: lim["max_causes"]]
    out["causes"] = [e for _, e, _ in ranked]
    if flags:
        out["self_care_withheld"] = "red_flag"
        return {"output": out}
    for _, _, c in ranked[: lim["self_care_causes"]]:
        if c["self_care"] != "suitable":
            continue
        row = {"cause": c["slug"], "exercises": [], "treatments": [], "avoid": []}
        for kind in ("exercises", "treatments"):
            for link in c[kind]:
                item = {k: link[k] for k in ("slug", "name", "phase", "caution")}
                if link["role"] == "recommended" and link["phase"] != "prevention":
                    row[kind].append(item)
                elif link["role"] == "avoid":
                    row["avoid"].append({**item, "type": kind})
        if row["exercises"] or row["treatments"] or row["avoid"]:
            out["self_care"].append(row)
    return {"output": out}


@pytest.fixture(scope="module")
def bundle_and_vectors(shared_launch_content, django_db_blocker):
    from rest_framework.test import APIClient

    from content_app.selfcheck.ruleset import forget_ruleset

    with django_db_blocker.unblock():
        forget_ruleset()
        client = APIClient()
        bundle = client.get("/api/v1/bundle/").json()
        vectors = client.get("/api/v1/self-check/vectors/").json()
        return bundle, vectors


def test_the_bundle_carries_a_self_contained_versioned_ruleset(bundle_and_vectors):
    bundle, vectors = bundle_and_vectors
    ruleset = bundle["self_check"]
    assert ruleset["version"] == _canonical_version(ruleset) == vectors["ruleset_version"]
    assert ruleset["questions"] and ruleset["rules"] and ruleset["causes"]
    assert {s["slug"] for s in ruleset["symptoms"]} >= {
        o["symptom"] for q in ruleset["questions"] for o in q["options"] if o["symptom"]
    }


def test_an_app_with_only_the_bundle_reproduces_every_vector(bundle_and_vectors):
    bundle, vectors = bundle_and_vectors
    ruleset = json.loads(json.dumps(bundle["self_check"]))  # only the bundle's JSON
    assert len(vectors["vectors"]) > 50
    assert any("error" in v for v in vectors["vectors"])
    assert any(v.get("output", {}).get("top_urgency") == "emergency" for v in vectors["vectors"])
    assert any(v.get("output", {}).get("self_care") for v in vectors["vectors"])
    for vector in vectors["vectors"]:
        expected = {k: vector[k] for k in ("output", "error") if k in vector}
        assert reference(ruleset, vector["input"]) == expected, vector["name"]


def test_the_server_gives_the_vectors_results(bundle_and_vectors, api_client):
    _bundle, vectors = bundle_and_vectors
    for vector in vectors["vectors"][::7]:
        response = api_client.post("/api/v1/self-check/", vector["input"], format="json")
        if "error" in vector:
            assert response.status_code == 400
            names = sorted(p["name"] for p in response.json()["invalid_params"])
            assert names == vector["error"]["invalid_params"], vector["name"]
        else:
            body = response.json()
            body.pop("content_version")
            assert body == vector["output"], vector["name"]
