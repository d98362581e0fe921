"""Change-log recording for the self-check's own content (questions, triage rules, their rows).

They are logged under the type `self-check` (never a collection), so the content version moves
when a published rule changes: the ruleset cache (keyed on it) rebuilds and sync sends the new
ruleset. As everywhere, drafts leave no trace.
"""

from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from content_app import changelog
from content_app import models as m

# Declared in models/registry.py.
_ROWS = tuple((t.model, t.owner) for t in m.RELATIONS if t.kind == "selfcheck")


def _row_changed(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    field = dict(_ROWS)[sender]
    owner_model = sender._meta.get_field(field).related_model
    pk = getattr(instance, f"{field}_id")
    changelog.record(changelog._published_refs(owner_model, {pk}, using), using=using)


def _sources_changed(sender, instance, action, reverse, model, pk_set, using, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear") or reverse:
        return
    changelog.record(changelog._published_refs(type(instance), {instance.pk}, using), using=using)


def connect_signals() -> None:
    for model in m.SELF_CHECK_MODELS:
        uid = f"selfcheck:{model._meta.label}"
        pre_save.connect(changelog.entity_pre_save, sender=model, dispatch_uid=f"{uid}:pre")
        post_save.connect(changelog.entity_post_save, sender=model, dispatch_uid=f"{uid}:post")
        pre_delete.connect(changelog.entity_pre_delete, sender=model, dispatch_uid=f"{uid}:pdel")
        post_delete.connect(changelog.entity_post_delete, sender=model, dispatch_uid=f"{uid}:del")
        m2m_changed.connect(
            _sources_changed, sender=model.sources.through, dispatch_uid=f"{uid}:sources"
        )
    for row, _field in _ROWS:
        uid = f"selfcheck:{row._meta.label}"
        post_save.connect(_row_changed, sender=row, dispatch_uid=f"{uid}:post")
        post_delete.connect(_row_changed, sender=row, dispatch_uid=f"{uid}:del")
