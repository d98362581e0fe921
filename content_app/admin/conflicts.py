"""A refused save (optimistic locking) that helps: their saved values beside what I typed.

The form re-renders with everything I typed (nothing is lost); above it a table lists every
field the other person changed since the revision I loaded, with their value and mine. The
form then carries the current revision, so saving again is a conscious "keep mine"; workflow
buttons are hidden until the page shows the current content (reload) or I save.
"""

from django.core.exceptions import FieldDoesNotExist
from django.forms.models import ModelMultipleChoiceField

from content_app.admin.history import display_value

STALE = "stale_revision"


def is_conflict(form) -> bool:
    return any(e.code == STALE for e in form.non_field_errors().as_data())


def conflict_context(form) -> dict:
    model = form._meta.model
    current = model._default_manager.get(pk=form.instance.pk)
    loaded = form.cleaned_data.get("loaded_revision")
    base = (
        model.history.filter(id=current.pk, revision=loaded).order_by("-history_date").first()
        if loaded is not None
        else None
    )
    last = model.history.filter(id=current.pk).select_related("history_user").first()
    rows = []
    for name, formfield in form.fields.items():
        if name == "loaded_revision" or not _is_model_field(model, name):
            continue  # form-only fields (a media upload) have nothing saved to compare
        field = model._meta.get_field(name)
        if field.many_to_many:
            theirs = sorted(str(o) for o in getattr(current, name).all())
            mine = sorted(str(o) for o in (form.cleaned_data.get(name) or []))
            before = None
            if base is not None:
                before = sorted(
                    str(getattr(row, field.m2m_reverse_field_name()))
                    for row in getattr(base, name).select_related(field.m2m_reverse_field_name())
                )
            changed = theirs != before if base is not None else theirs != mine
            if changed:
                rows.append(_row(field, ", ".join(theirs) or "—", ", ".join(mine) or "—"))
            continue
        theirs_raw = getattr(current, field.attname)
        if base is not None and getattr(base, field.attname) == theirs_raw:
            continue
        mine_raw = _typed(form, name, formfield)
        theirs = display_value(field, theirs_raw)
        mine = display_value(field, mine_raw)
        if base is None and theirs == mine:
            continue
        rows.append(_row(field, theirs, mine))
    # Saving again now is a deliberate overwrite with what is on my screen.
    form.data = form.data.copy()
    form.data[form.add_prefix("loaded_revision")] = str(current.revision)
    return {
        "conflict": {
            "rows": rows,
            "who": str(last.history_user) if last and last.history_user else "someone else",
            "when": last.history_date if last else None,
            "revision": current.revision,
            "loaded": loaded,
        }
    }


def _is_model_field(model, name) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def _typed(form, name, formfield):
    if name in form.cleaned_data:
        value = form.cleaned_data[name]
        return getattr(value, "pk", value)
    if isinstance(formfield, ModelMultipleChoiceField):
        return form.data.getlist(form.add_prefix(name))
    return form.data.get(form.add_prefix(name))


def _row(field, theirs, mine):
    return {
        "field": field.verbose_name,
        "name": field.name,
        "theirs": theirs,
        "mine": mine,
        "same": theirs == mine,
    }
