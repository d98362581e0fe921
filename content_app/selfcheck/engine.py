"""The self-check engine: a pure function of (answers, ruleset). No database, no clock.

Hand-written because no library evaluates this content-defined rule format; the format and
this algorithm are specified in the API schema (`ALGORITHM_DESCRIPTION`) so that an app can
reimplement it offline, and the published test vectors check it does.
"""

from __future__ import annotations

from content_app.models.choices import Prevalence, Urgency

ALGORITHM = "kneecare-self-check/1"
URGENCY_ORDER = tuple(Urgency.values)  # declared most urgent first
PREVALENCE_ORDER = tuple(Prevalence.values)  # the order of its declaration
LIMITS = {
    "max_symptoms": 30,  # symptom slugs per request
    "max_answers": 30,  # answers per request
    "max_causes": 5,  # candidate causes returned
    "self_care_causes": 3,  # the top causes whose self-care is returned
}
# What a self-care item is (`avoid` rows name it); also an OpenAPI enum.
ITEM_TYPES = [("exercises", "exercises"), ("treatments", "treatments")]
WITHHELD_EMERGENCY = "emergency"
WITHHELD_RED_FLAG = "red_flag"

ALGORITHM_DESCRIPTION = """\
**Algorithm `kneecare-self-check/1`** (the same on the server and in an app holding the ruleset
from the bundle or sync; `/api/v1/self-check/vectors/` lists inputs with the server's outputs).

*Input*: `symptoms` (symptom slugs) and `answers` (`{question, option}` pairs).

*Validation* (any failure is a 400 naming every problem): at most `limits.max_symptoms`
symptoms and `limits.max_answers` answers; every symptom slug, question slug and option value
must be in the ruleset; for each question, the options *chosen* are the answered ones plus
every option whose `symptom` is among `symptoms`: more than one distinct chosen option of the
same question is a contradiction (e.g. answering "yes" to "Can you put weight on the leg?"
and sending the symptom that its "no" means). Repeated symptoms count once.

*Evidence* E = the given symptoms ∪ the `symptom` of every answered option (options without
one add nothing).

1. **Red flags.** A rule fires when all of its `symptoms` are in E. Every red flag of a fired
   rule is returned once, with the rules that raised it (slugs, sorted) and the evidence that
   fired them (sorted), ordered by `urgency_order` rank, then slug. `top_urgency` is the first
   one's urgency (null when none). `watch_for`: the red flags linked to any symptom in E
   (`symptoms[].red_flags`) that did not fire, in the same order.
2. **Emergency short-circuit.** If `top_urgency` is `emergency`: `watch_for`, `causes` and
   `self_care` are empty, `self_care_withheld` is `emergency`; only the red flags (with their
   actions) and the disclaimer are returned.
3. **Causes.** For each cause and each of its `symptoms` links: a `supporting` or `required`
   symptom in E is *matched* (adds its `weight`), one not in E is *missing*; an `against`
   symptom in E is listed under `against` (takes its `weight` off). A cause is a candidate
   when nothing `required` is missing, at least one symptom matched and the score (matched
   weights minus against weights) is above 0. Candidates are ranked by score (high first),
   then the number of matched symptoms (more first), then `prevalence_order` rank, then slug;
   the first `limits.max_causes` are returned. `matched`, `missing` and `against` list slugs
   in the cause's link order.
4. **Self-care.** Withheld (`self_care` empty, `self_care_withheld` = `red_flag`) when any red
   flag fired: get the professional advice the flag's action says first. Otherwise, for each
   of the first `limits.self_care_causes` causes, in rank order, whose `self_care` is
   `suitable`: its exercises and treatments with role `recommended` and a phase other than
   `prevention` (prevention is not treatment), and, under `avoid`, those with role `avoid`;
   items with role `only_after_diagnosis` are never returned (a self-check is no diagnosis).
   Items keep the cause's link order and carry the link's `phase` and `caution`. Causes
   with nothing to list are left out.
5. **Disclaimer**: the ruleset's `disclaimer`, always.

The result is a pure function of the input and the ruleset (`ruleset_version`, a SHA-256 of
the ruleset's canonical JSON without its `version` key: keys sorted, no whitespace, UTF-8).
"""


class AnswerProblems(ValueError):
    """Invalid answers: `params` maps a request field to its reasons."""

    def __init__(self, params: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in params.items()))
        self.params = params


def _rank(order, value) -> int:
    return order.index(value) if value in order else len(order)


def evidence_of(payload: dict, ruleset: dict) -> list[str]:
    """Validate the input against the ruleset; the evidence (sorted symptom slugs) or raise."""
    limits = ruleset["limits"]
    symptoms = list(payload.get("symptoms") or [])
    answers = list(payload.get("answers") or [])
    problems: dict[str, list[str]] = {}
    if len(symptoms) > limits["max_symptoms"]:
        problems["symptoms"] = [f"At most {limits['max_symptoms']} symptoms (got {len(symptoms)})."]
    if len(answers) > limits["max_answers"]:
        problems["answers"] = [f"At most {limits['max_answers']} answers (got {len(answers)})."]
    if problems:
        raise AnswerProblems(problems)
    known = {s["slug"] for s in ruleset["symptoms"]}
    questions = {q["slug"]: q for q in ruleset["questions"]}
    for index, slug in enumerate(symptoms):
        if slug not in known:
            problems[f"symptoms[{index}]"] = [f"Unknown symptom “{slug}”."]
    chosen: dict[str, dict[str, str]] = {}  # question -> option value -> why
    for index, answer in enumerate(answers):
        question = questions.get(answer["question"])
        if question is None:
            problems[f"answers[{index}].question"] = [f"Unknown question “{answer['question']}”."]
            continue
        values = {o["value"] for o in question["options"]}
        if answer["option"] not in values:
            problems[f"answers[{index}].option"] = [
                f"“{answer['option']}” is not an answer to “{question['slug']}”; "
                f"allowed: {', '.join(sorted(values))}."
            ]
            continue
        chosen.setdefault(question["slug"], {})[answer["option"]] = f"answered {answer['option']}"
    given = set(symptoms)
    for question in ruleset["questions"]:
        for option in question["options"]:
            if option["symptom"] is not None and option["symptom"] in given:
                picks = chosen.setdefault(question["slug"], {})
                picks.setdefault(option["value"], f"symptom {option['symptom']}")
    for slug, picks in sorted(chosen.items()):
        if len(picks) > 1:
            both = " and ".join(f"{value} ({why})" for value, why in sorted(picks.items()))
            problems.setdefault("answers", []).append(
                f"Contradictory answers to “{slug}”: {both}; only one can be true."
            )
    if problems:
        raise AnswerProblems(problems)
    evidence = set(symptoms)
    for answer in answers:
        for option in questions[answer["question"]]["options"]:
            if option["value"] == answer["option"] and option["symptom"] is not None:
                evidence.add(option["symptom"])
    return sorted(evidence)


def evaluate(payload: dict, ruleset: dict) -> dict:
    """The self-check result for `payload` ({symptoms, answers}); raises AnswerProblems."""
    evidence = evidence_of(payload, ruleset)
    present = set(evidence)
    flags = {f["slug"]: f for f in ruleset["red_flags"]}
    fired: dict[str, dict] = {}
    for rule in ruleset["rules"]:
        if rule["symptoms"] and set(rule["symptoms"]) <= present:
            hit = fired.setdefault(rule["red_flag"], {"rules": set(), "evidence": set()})
            hit["rules"].add(rule["slug"])
            hit["evidence"].update(rule["symptoms"])

    def flag_order(slug):
        return (_rank(URGENCY_ORDER, flags[slug]["urgency"]), slug)

    red_flags = [
        {
            "slug": slug,
            "name": flags[slug]["name"],
            "urgency": flags[slug]["urgency"],
            "action": flags[slug]["action"],
            "rules": sorted(fired[slug]["rules"]),
            "evidence": sorted(fired[slug]["evidence"]),
        }
        for slug in sorted(fired, key=flag_order)
    ]
    top_urgency = red_flags[0]["urgency"] if red_flags else None
    result = {
        "algorithm": ruleset["algorithm"],
        "ruleset_version": ruleset["version"],
        "evidence": evidence,
        "top_urgency": top_urgency,
        "red_flags": red_flags,
        "watch_for": [],
        "causes": [],
        "self_care_withheld": None,
        "self_care": [],
        "disclaimer": ruleset["disclaimer"],
    }
    if top_urgency == "emergency":
        result["self_care_withheld"] = WITHHELD_EMERGENCY
        return result

    linked = {
        flag
        for symptom in ruleset["symptoms"]
        if symptom["slug"] in present
        for flag in symptom["red_flags"]
        if flag not in fired
    }
    result["watch_for"] = [
        {"slug": s, "name": flags[s]["name"], "urgency": flags[s]["urgency"]}
        for s in sorted(linked, key=flag_order)
    ]
    result["causes"] = _ranked_causes(ruleset, present)
    if red_flags:
        result["self_care_withheld"] = WITHHELD_RED_FLAG
    else:
        result["self_care"] = _self_care(ruleset, result["causes"])
    return result


def _ranked_causes(ruleset, present) -> list[dict]:
    candidates = []
    for cause in ruleset["causes"]:
        matched, missing, against = [], [], []
        score, required_missing = 0, False
        for link in cause["symptoms"]:
            if link["role"] == "against":
                if link["slug"] in present:
                    against.append(link["slug"])
                    score -= link["weight"]
            elif link["slug"] in present:
                matched.append(link["slug"])
                score += link["weight"]
            else:
                missing.append(link["slug"])
                required_missing = required_missing or link["role"] == "required"
        if required_missing or not matched or score <= 0:
            continue
        candidates.append(
            {
                "slug": cause["slug"],
                "name": cause["name"],
                "score": score,
                "matched": matched,
                "missing": missing,
                "against": against,
                "self_care": cause["self_care"],
                "red_flags": cause["red_flags"],
                "_prevalence": cause["prevalence"],
            }
        )
    candidates.sort(
        key=lambda c: (
            -c["score"],
            -len(c["matched"]),
            _rank(PREVALENCE_ORDER, c["_prevalence"]),
            c["slug"],
        )
    )
    for candidate in candidates:
        del candidate["_prevalence"]
    return candidates[: ruleset["limits"]["max_causes"]]


def _item(link) -> dict:
    return {
        "slug": link["slug"],
        "name": link["name"],
        "phase": link["phase"],
        "caution": link["caution"],
    }


def _self_care(ruleset, causes) -> list[dict]:
    by_slug = {c["slug"]: c for c in ruleset["causes"]}
    out = []
    for ranked in causes[: ruleset["limits"]["self_care_causes"]]:
        cause = by_slug[ranked["slug"]]
        if cause["self_care"] != "suitable":
            continue
        entry = {"cause": cause["slug"], "exercises": [], "treatments": [], "avoid": []}
        for kind in ("exercises", "treatments"):
            for link in cause[kind]:
                if link["role"] == "recommended" and link["phase"] != "prevention":
                    entry[kind].append(_item(link))
                elif link["role"] == "avoid":
                    entry["avoid"].append({**_item(link), "type": kind})
        if entry["exercises"] or entry["treatments"] or entry["avoid"]:
            out.append(entry)
    return out
