"""The content's safety rules, declared once: publish validation and the admin use them.

- A symptom or cause about the calf or thigh, swelling or redness links the DVT red flag; one
  about numbness or tingling links the numbness red flag (seed 001's "when to seek advice").
- A recommended exercise that the sources give for prevention only is linked with the phase
  "prevention", never as a treatment.
- Recommended massage and stretching carry a caution (seed 001: its strategies apply "once
  serious conditions are ruled out"; a calf with a possible clot is an emergency, not a muscle
  to massage or stretch).
- Exercises have a stop rule.

Every function returns problems in plain words ([] = fine); nothing here writes.
"""

import re
from dataclasses import dataclass

from content_app.models.choices import (
    ExerciseCategory,
    ExerciseRole,
    RecommendationPhase,
    TreatmentKind,
    TreatmentRole,
)

DVT_FLAG = "signs-of-deep-vein-thrombosis"
NUMBNESS_FLAG = "leg-or-foot-numbness-tingling-or-weakness"


@dataclass(frozen=True)
class RedFlagRule:
    flag_slug: str
    pattern: re.Pattern
    mentions: str  # what the text mentions, for the editor's message


RED_FLAG_RULES = (
    RedFlagRule(
        DVT_FLAG,
        re.compile(r"\b(calf|calves|thigh|swell\w*|swollen|redness|red)\b", re.IGNORECASE),
        "the calf or thigh, swelling or redness",
    ),
    RedFlagRule(
        NUMBNESS_FLAG,
        re.compile(r"\b(numb\w*|tingl\w*|pins and needles)\b", re.IGNORECASE),
        "numbness, tingling or pins and needles",
    ),
)


def _text(item) -> str:
    return f"{item.name} {item.summary}"


def red_flag_problems(item, *, linked_slugs, symptoms=()) -> list[str]:
    """`item` (a symptom or cause) must link the red flag of every rule its text triggers.

    `linked_slugs`: the slugs of the red flags it links; `symptoms`: a cause's symptoms, whose
    text counts as the cause's. A rule whose red flag does not exist yet is not enforced.
    """
    from content_app.models import RedFlag

    problems = []
    for rule in RED_FLAG_RULES:
        if rule.flag_slug in linked_slugs:
            continue
        triggers = [item] if rule.pattern.search(_text(item)) else []
        triggers += [s for s in symptoms if rule.pattern.search(_text(s))]
        if not triggers:
            continue
        flag = RedFlag.objects.filter(slug=rule.flag_slug).first()
        if flag is None:
            continue
        about = ", ".join(f"“{t}”" for t in triggers)
        problems.append(
            f"{about} mentions {rule.mentions}, so it must link the red flag “{flag}”: "
            "add it under Red flags."
        )
    return problems


def recommendation_problems(link) -> list[str]:
    """One cause–exercise or cause–treatment link (an admin inline row, or a saved row)."""
    problems = []
    exercise = link.exercise if getattr(link, "exercise_id", None) else None
    treatment = link.treatment if getattr(link, "treatment_id", None) else None
    if exercise is not None and link.role == ExerciseRole.RECOMMENDED:
        if exercise.prevention_only and link.phase != RecommendationPhase.PREVENTION:
            problems.append(
                f"“{exercise}” is given for prevention only, not as a treatment: set its phase "
                "to “Prevention”, or link it as Avoid."
            )
        if exercise.category == ExerciseCategory.STRETCH and not link.caution.strip():
            problems.append(
                f"Recommending the stretch “{exercise}” needs a caution, for example: only once "
                "a blood clot and other serious causes have been ruled out."
            )
    if (
        treatment is not None
        and link.role != TreatmentRole.AVOID
        and treatment.kind == TreatmentKind.MASSAGE
        and not link.caution.strip()
    ):
        problems.append(
            f"Recommending “{treatment}” needs a caution, for example: only once a blood clot "
            "and other serious causes have been ruled out."
        )
    return problems


def cause_problems(cause) -> list[str]:
    problems = red_flag_problems(
        cause,
        linked_slugs=set(cause.red_flags.values_list("slug", flat=True)),
        symptoms=list(cause.symptoms.all()),
    )
    for link in cause.exercise_links.select_related("exercise"):
        problems += [f"Exercise link: {p}" for p in recommendation_problems(link)]
    for link in cause.treatment_links.select_related("treatment"):
        problems += [f"Self-care link: {p}" for p in recommendation_problems(link)]
    return problems


def symptom_problems(symptom) -> list[str]:
    return red_flag_problems(
        symptom, linked_slugs=set(symptom.red_flags.values_list("slug", flat=True))
    )


def exercise_problems(exercise) -> list[str]:
    problems = []
    if not exercise.stop_rule.strip():
        problems.append(
            "The exercise has no stop rule: say when to stop, e.g. “Stop and get advice if it "
            "makes the pain worse.”"
        )
    if exercise.prevention_only and exercise.pk:
        # Causes link the live exercise (a working copy has no links of its own to it).
        live = exercise.working_copy_of if exercise.working_copy_of_id else exercise
        treated = live.cause_links.filter(role=ExerciseRole.RECOMMENDED).exclude(
            phase=RecommendationPhase.PREVENTION
        )
        problems += [
            f"It is marked prevention only, but “{link.cause}” recommends it with the phase "
            f"“{link.get_phase_display()}”: change that link first."
            for link in treated.select_related("cause")
        ]
    return problems


# The fields publish validation (services.publish_problems) refuses empty, per model name; the
# admin marks them "needed to publish" (tests/admin/test_editor_comfort.py keeps both in step).
PUBLISH_REQUIRED_FIELDS = {
    "source": ("title",),
    "disclaimer": ("name", "summary", "body"),
    "mediaasset": ("alt_text", "licence", "caption", "credit", "source"),
    "redflag": ("name", "summary", "body", "sources", "urgency", "action"),
    "exercise": ("name", "summary", "body", "sources", "stop_rule"),
    "*": ("name", "summary", "body", "sources"),
}


def publish_required_fields(model) -> tuple[str, ...]:
    name = model._meta.model_name
    if name in PUBLISH_REQUIRED_FIELDS:
        return PUBLISH_REQUIRED_FIELDS[name]
    return PUBLISH_REQUIRED_FIELDS["*"] if hasattr(model, "sources") else ()
