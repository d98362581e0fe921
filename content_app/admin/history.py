"""History an editor can read: versions with labels, a side-by-side diff of any two, and a
revert page that says what it restores (it calls services.revert_to_version)."""

import datetime
import difflib

from django.db import models
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from content_app import services
from content_app.models import Status

SYSTEM = "KneeCare (launch content or a script)"
HIDDEN = {"id", "history_id", "revision", "created_at", "updated_at", "search_document"}


def display_value(field, value, names=None) -> str:
    """A stored value as an editor reads it: labels for codes, names for links, — for empty.

    `names` ({(model, pk): name}, from `related_names`) saves a query per link shown."""
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        if names is not None and (field.related_model, value) in names:
            return names[(field.related_model, value)]
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"(deleted #{value})"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return str(value)


def related_names(rows, fields) -> dict:
    """The names of every item the `fields` (foreign keys) of `rows` link to: one query per
    linked model, whatever the number of rows or versions shown."""
    wanted: dict[type, set] = {}
    for field in fields:
        if isinstance(field, models.ForeignKey):
            values = {getattr(row, field.attname, None) for row in rows} - {None, ""}
            wanted.setdefault(field.related_model, set()).update(values)
    names = {}
    for model, pks in wanted.items():
        if pks:
            for obj in model._default_manager.filter(pk__in=pks):
                names[(model, obj.pk)] = str(obj)
    return names


def user_label(record) -> str:
    return str(record.history_user) if record.history_user_id else SYSTEM


def status_label(value) -> str:
    return Status(value).label if value in Status.values else str(value or "—")


def content_fields(model):
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in HIDDEN and not f.name.startswith("history_") and not f.generated
    ]


def version_rows(model, records, older_than_page=None) -> list[dict]:
    """Rows for the history table, newest first, each with its readable field changes."""
    records = list(records)
    names = related_names(
        [*records, *([older_than_page] if older_than_page else [])], content_fields(model)
    )
    rows = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else older_than_page
        rows.append(
            {
                "record": record,
                "status": status_label(getattr(record, "status", "")),
                "user": user_label(record),
                "reason": record.history_change_reason or "",
                "kind": record.get_history_type_display(),
                "changes": _changes(model, previous, record, names) if previous else [],
            }
        )
    return rows


def _changes(model, older, newer, names) -> list[dict]:
    changed = []
    for field in content_fields(model):
        old, new = getattr(older, field.attname, None), getattr(newer, field.attname, None)
        if old != new:
            changed.append(
                {
                    "field": field.verbose_name,
                    "old": Truncator(display_value(field, old, names)).chars(80),
                    "new": Truncator(display_value(field, new, names)).chars(80),
                }
            )
    return changed


def compare(model, older, newer, labels=("Older version", "Newer version")) -> dict:
    """Side-by-side, whole-text diff of two versions: fields, then relations."""
    sections = []
    fields = content_fields(model)
    names = related_names([older, newer], fields)
    for field in fields:
        a = getattr(older, field.attname)
        b = getattr(newer, field.attname)
        if a == b:
            continue
        if isinstance(field, models.TextField | models.CharField) and not field.choices:
            left, right = (a or "").splitlines(), (b or "").splitlines()
        else:
            left, right = [display_value(field, a, names)], [display_value(field, b, names)]
        sections.append({"label": field.verbose_name, "table": side_by_side(left, right, labels)})
    item = model._default_manager.get(pk=newer.id)
    before = _relation_lines(item, older)
    after = _relation_lines(item, newer)
    for label in sorted(set(before) | set(after)):
        if before.get(label, []) != after.get(label, []):
            sections.append(
                {
                    "label": label,
                    "table": side_by_side(before.get(label, []), after.get(label, []), labels),
                }
            )
    return {"sections": sections}


def side_by_side(left: list[str], right: list[str], labels=("Older version", "Newer version")):
    table = difflib.HtmlDiff(tabsize=4, wrapcolumn=70).make_table(
        left, right, *labels, context=False
    )
    return mark_safe(table)  # HtmlDiff escapes the texts it is given


def _relation_texts(item, version) -> list[tuple[type, list[str]]]:
    """Each owned relation as it was at `version`: (through, its rows as sorted lines)."""
    snapshot = services.relations_as_of(item=item, version=version)
    texts = []
    for (through, fk), rows in snapshot.items():
        shown = [f for f in through._meta.concrete_fields if f.name != fk]
        names = related_names(rows, shown)
        texts.append((through, sorted(_relation_text(row, fk, names) for row in rows)))
    return texts


def _relation_lines(item, version) -> dict[str, list[str]]:
    return {
        str(through._meta.verbose_name_plural): lines
        for through, lines in _relation_texts(item, version)
    }


def _relation_text(row, fk, names) -> str:
    parts = []
    for field in row._meta.concrete_fields:
        if field.primary_key or field.name == fk:
            continue
        value = getattr(row, field.attname)
        if value in ("", None):
            continue
        shown = display_value(field, value, names)
        parts.append(shown if field.is_relation else f"{field.verbose_name}: {shown}")
    return " · ".join(parts)


def restored_relations(item, version) -> list[dict]:
    """What a revert to `version` puts back, relation by relation."""
    return [
        {"label": through._meta.verbose_name_plural, "rows": lines}
        for through, lines in _relation_texts(item, version)
    ]


def version_fields(model, version) -> list[dict]:
    fields = content_fields(model)
    names = related_names([version], fields)
    return [
        {"label": f.verbose_name, "value": display_value(f, getattr(version, f.attname), names)}
        for f in fields
    ]
