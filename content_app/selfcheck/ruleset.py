"""The self-check ruleset: the published content the engine needs, as one self-contained JSON
document (served by the self-check endpoints, the bundle and sync).

Built with a fixed number of queries and kept in process memory per content version (the
change-log head), so evaluating an answer costs no query once the ruleset is loaded.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import defaultdict

from django.db.models import Prefetch

from content_app import models as m
from content_app.changelog import content_version
from content_app.selfcheck.engine import ALGORITHM, LIMITS, PREVALENCE_ORDER, URGENCY_ORDER

_cache: dict = {}
_lock = threading.Lock()


def canonical_json(document: dict) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def ruleset_version(document: dict) -> str:
    body = {key: value for key, value in document.items() if key != "version"}
    return hashlib.sha256(canonical_json(body)).hexdigest()


def _published(model):
    return model.objects.published()


def build_ruleset() -> dict:
    """Read the published rules from the database (a fixed number of queries)."""
    flags = list(_published(m.RedFlag).order_by("urgency_rank", "slug"))
    flag_slugs = {f.slug for f in flags}
    symptom_flags = _grouped(
        m.SymptomRedFlag.objects.filter(red_flag__status=m.Status.PUBLISHED).order_by(
            "red_flag__urgency_rank", "red_flag__slug"
        ),
        "symptom_id",
        "red_flag__slug",
    )
    symptoms = list(_published(m.Symptom).order_by("slug").values("id", "slug", "name"))
    symptom_slugs = {s["slug"] for s in symptoms}
    questions = list(
        _published(m.SelfCheckQuestion)
        .order_by("order", "slug")
        .prefetch_related(
            Prefetch(
                "options",
                queryset=m.SelfCheckOption.objects.select_related("symptom").order_by(
                    "order", "pk"
                ),
            ),
            "sources",
        )
    )
    rules = list(
        _published(m.TriageRule)
        .select_related("red_flag")
        .order_by("slug")
        .prefetch_related(
            Prefetch(
                "symptom_links",
                queryset=m.TriageRuleSymptom.objects.select_related("symptom"),
            ),
            "sources",
        )
    )
    causes = list(
        _published(m.Cause).order_by("slug").values("id", "slug", "name", "prevalence", "self_care")
    )
    cause_links = _cause_links()
    disclaimer = _published(m.Disclaimer).first()
    document = {
        "algorithm": ALGORITHM,
        "version": "",
        "limits": dict(LIMITS),
        "urgency_order": list(URGENCY_ORDER),
        "prevalence_order": list(PREVALENCE_ORDER),
        "questions": [
            {
                "slug": q.slug,
                "text": q.name,
                "help": q.summary,
                "sources": sorted(s.slug for s in q.sources.all() if s.is_public),
                "options": [
                    {
                        "value": o.value,
                        "label": o.label,
                        "symptom": o.symptom.slug
                        if o.symptom_id and o.symptom.slug in symptom_slugs
                        else None,
                    }
                    for o in q.options.all()
                ],
            }
            for q in questions
        ],
        "symptoms": [
            {
                "slug": s["slug"],
                "name": s["name"],
                "red_flags": [slug for (slug,) in symptom_flags.get(s["id"], ())],
            }
            for s in symptoms
        ],
        "red_flags": [
            {"slug": f.slug, "name": f.name, "urgency": f.urgency, "action": f.action}
            for f in flags
        ],
        "rules": [
            {
                "slug": r.slug,
                "name": r.name,
                "red_flag": r.red_flag.slug,
                "symptoms": sorted(link.symptom.slug for link in r.symptom_links.all()),
                "sources": sorted(s.slug for s in r.sources.all() if s.is_public),
            }
            for r in rules
            # A rule that names unpublished content cannot be applied as written.
            if r.red_flag.slug in flag_slugs
            and r.symptom_links.all()
            and all(link.symptom.slug in symptom_slugs for link in r.symptom_links.all())
        ],
        "causes": [_cause(c, cause_links, symptom_slugs, flag_slugs) for c in causes],
        "disclaimer": (
            {"slug": disclaimer.slug, "name": disclaimer.name, "summary": disclaimer.summary}
            if disclaimer
            else None
        ),
    }
    document["version"] = ruleset_version(document)
    return document


def _grouped(queryset, owner: str, *columns) -> dict[int, list[tuple]]:
    """Rows of `columns` per owner id, in the queryset's order: one query of tuples."""
    grouped = defaultdict(list)
    for owner_id, *values in queryset.values_list(owner, *columns):
        grouped[owner_id].append(tuple(values))
    return grouped


def _cause_links() -> dict[str, dict[int, list[tuple]]]:
    """Every published cause's links, one query per relation, as tuples (not model instances
    through prefetch_related: at 100x content that took 4 s of the bundle's build, issue 14).
    Recommendations keep only published exercises and treatments (the queryset's rule)."""
    published = _published(m.Cause).values("id")
    recommended = ("slug", "name", "role", "phase", "caution")
    links = {
        "symptoms": (m.CauseSymptom.objects, ("symptom__slug", "role", "weight")),
        "red_flags": (m.CauseRedFlag.objects, ("red_flag__slug", "red_flag__urgency_rank")),
        "exercises": (
            m.CauseExercise.objects.filter(exercise__in=_published(m.Exercise).values("id")),
            ("exercise__slug", "exercise__name", *recommended[2:]),
        ),
        "treatments": (
            m.CauseTreatment.objects.filter(treatment__in=_published(m.Treatment).values("id")),
            ("treatment__slug", "treatment__name", *recommended[2:]),
        ),
    }
    grouped = {
        key: _grouped(rows.filter(cause__in=published), "cause_id", *columns)
        for key, (rows, columns) in links.items()
    }
    for key in ("exercises", "treatments"):
        grouped[key] = {
            pk: [dict(zip(recommended, row, strict=True)) for row in rows]
            for pk, rows in grouped[key].items()
        }
    return grouped


def _cause(cause, links, symptom_slugs, flag_slugs) -> dict:
    pk = cause["id"]
    return {
        "slug": cause["slug"],
        "name": cause["name"],
        "prevalence": cause["prevalence"],
        "self_care": cause["self_care"],
        "red_flags": [
            slug
            for slug, _rank in sorted(links["red_flags"].get(pk, ()), key=lambda r: (r[1], r[0]))
            if slug in flag_slugs
        ],
        "symptoms": [
            {"slug": slug, "role": role, "weight": weight}
            for slug, role, weight in links["symptoms"].get(pk, ())
            if slug in symptom_slugs
        ],
        "exercises": links["exercises"].get(pk, []),
        "treatments": links["treatments"].get(pk, []),
    }


def current_ruleset(*, at_least: int = 0) -> dict:
    """The ruleset of the current content version (built once per version and process).

    `at_least`: a change-log id the ruleset must include (a bundle's or sync page's cursor,
    read from the database; the remembered content version may lag it by its TTL).
    """
    version = content_version()  # (head, time): a rolled-back-and-reused head differs in time
    with _lock:
        cached = _cache.get("entry")
    if cached is not None and cached[0] == version and version.head >= at_least:
        return cached[1]
    document = build_ruleset()  # reads the database now: includes everything up to `at_least`
    with _lock:
        _cache["entry"] = (version, document)
    return document


def forget_ruleset() -> None:
    with _lock:
        _cache.clear()


def rule_content_problems(item) -> list[str]:
    """Publish checks of a self-check question or triage rule (services.publish_problems)."""
    problems = []
    if isinstance(item, m.SelfCheckQuestion):
        options = list(item.options.select_related("symptom"))
        if len(options) < 2:
            problems.append("A question needs at least two answers.")
        if not any(o.symptom_id for o in options):
            problems.append("No answer is mapped to a symptom, so the question changes nothing.")
        problems += [
            f"Answer “{o.label}” means the symptom “{o.symptom}”, which is not published."
            for o in options
            if o.symptom_id and not o.symptom.is_public
        ]
    if isinstance(item, m.TriageRule):
        if not item.red_flag.is_public:
            problems.append(f"Its red flag “{item.red_flag}” is not published.")
        links = list(item.symptom_links.select_related("symptom"))
        if not links:
            problems.append("A triage rule needs at least one symptom.")
        problems += [
            f"Its symptom “{link.symptom}” is not published."
            for link in links
            if not link.symptom.is_public
        ]
    return problems
