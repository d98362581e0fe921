"""Change-form layout: content first, dosage start → target, sources, workflow metadata last."""

from django.utils.text import capfirst

CONTENT = ("name", "title", "slug", "summary", "body")
# Exercise dosage: each row reads start → target.
DOSAGE_ROWS = (
    ("sets", "target_sets"),
    ("reps", "target_reps"),
    ("hold_seconds", "target_hold_seconds"),
    ("times_per_day", "times_per_day_max"),
    ("dosage_note",),
)
PUBLISH_MARK = "needed to publish"


def content_fieldsets(fields, workflow_fields) -> list:
    fields = list(fields)
    content = [f for f in CONTENT if f in fields]
    dosage = [
        row if len(row) > 1 else row[0]
        for row in (tuple(f for f in r if f in fields) for r in DOSAGE_ROWS)
        if row
    ]
    placed = {*content, *(f for r in DOSAGE_ROWS for f in r), "sources", *workflow_fields}
    details = [f for f in fields if f not in placed]
    fieldsets = [(None, {"fields": content})]
    if details:
        fieldsets.append(("Details", {"fields": details}))
    if dosage:
        fieldsets.append(
            (
                "Dosage: start → target",
                {
                    "fields": dosage,
                    "description": "Each row: where to start, then what to build up to.",
                },
            )
        )
    if "sources" in fields:
        fieldsets.append(("Sources", {"fields": ["sources"]}))
    workflow = [f for f in workflow_fields if f in fields]
    if workflow:
        fieldsets.append(
            (
                "Workflow and review",
                {"fields": workflow, "description": "Changed by the workflow buttons above."},
            )
        )
    return fieldsets


def mark_publish_required(formfield) -> None:
    """Label a field that publish validation requires (content_app/safety.py)."""
    formfield.label = f"{capfirst(formfield.label)} ({PUBLISH_MARK})"
    formfield.widget.attrs["data-publish-required"] = "true"
