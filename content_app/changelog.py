"""The change log: every change to what the public API serves appends entries here.

Recording lives in model signals connected in `ContentAppConfig.ready()`, so the admin,
services, loaddata and plain ORM code all record without being able to forget it. Entries are
written in the same transaction as the change, and only for items that are public before or
after it (a draft's existence never leaks through sync). Published neighbours whose
representation embeds the changed item get an `upsert` too.

The log's head (highest id) is the content version (content_app/caching/version.py): the
HTTP response cache keys on it, and every write announces the change to every process.
Cursors are ids, never clocks; `_lock_log()` makes ids follow commit order.
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from content_app import models as m
from content_app.caching.version import (  # noqa: F401 (the content version's old home)
    ContentVersion,
    announce_change,
    content_version,
    current_head,
    forget_content_version,
)

logger = logging.getLogger(__name__)

Action = m.ChangeAction

# Fields whose change never alters how *other* items embed this one (compact references
# carry slug, name and typed attributes; never the body or bookkeeping).
_NOT_EMBEDDED = frozenset(
    {"body", "revision", "created_at", "updated_at", "published_at", "reviewed_by_id"}
)


# Rows that belong to one entity's representation only (declared in models/registry.py).
OWNED_ROWS = m.OWNED_ROWS

PUBLIC_MODELS = (*m.CONTENT_MODELS, m.MediaAsset)
CITING_MODELS = m.CITING_MODELS
# Media embeds no item: a media change re-sends the items showing it, a link change the item.
MEDIA_OWNERS = {through: owner for through, owner, _media in m.MEDIA_RELATIONS}


# --- Content version: lives in content_app/caching/version.py; these names stay importable here.

# --- Recording --------------------------------------------------------------------------------


def lock_log(using: str) -> None:
    """Serialise log writers until commit, so ids are handed out in commit order.

    Without it, a transaction holding id 100 could commit after one holding 101, and a client
    that synced to 101 in between would never see 100. SQLite serialises writers anyway.
    """
    m.SyncHorizon.objects.using(using).get_or_create(id=1)
    list(m.SyncHorizon.objects.using(using).select_for_update().filter(id=1).values_list("id"))


_collecting = threading.local()


@contextmanager
def one_entry_per_item(*, keep: bool = True, using: str = DEFAULT_DB_ALIAS):
    """Collect what the writes inside record and append it once at the end, de-duplicated
    (publishing a working copy: many row writes, one upsert per item). `keep=False` drops
    it: writes that change nothing public (a working copy's own rows)."""
    outer = getattr(_collecting, "entries", None)
    _collecting.entries = []
    try:
        yield
        collected = _collecting.entries
    finally:
        _collecting.entries = outer
    if keep:
        record(collected, using=using)


def record(entries, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Append `(entity_type, slug, action)` entries, de-duplicated, in the current transaction."""
    collecting = getattr(_collecting, "entries", None)
    if collecting is not None:
        collecting.extend(entries)
        return
    unique = list(dict.fromkeys(entries))
    if not unique:
        return
    with transaction.atomic(using=using):
        lock_log(using)
        m.ChangeLogEntry.objects.using(using).bulk_create(
            m.ChangeLogEntry(entity_type=entity_type, slug=slug, action=action)
            for entity_type, slug, action in unique
        )
        announce_change(using)
        transaction.on_commit(_schedule_change_notices, using=using)


def _schedule_change_notices() -> None:
    from content_app.notices import schedule_recording  # graded notices for partners

    schedule_recording()


def _published_refs(model, pks, using) -> list[tuple[str, str, str]]:
    pks = {pk for pk in pks if pk is not None}
    if not pks:
        return []
    slugs = (
        model._default_manager.using(using)
        .filter(pk__in=pks, status=m.Status.PUBLISHED)
        .values_list("slug", flat=True)
    )
    return [(model.api_type, slug, Action.UPSERT) for slug in slugs]


def _neighbour_pks(instance, using) -> list[tuple[type, set]]:
    """Public entities linked to `instance` whose representation may embed it (both ways)."""
    model = type(instance)
    found: list[tuple[type, set]] = []
    directions = [
        *(
            (through, mine, other)
            for through, a, b in m.ENTITY_RELATIONS
            for mine, other in ((a, b), (b, a))
        ),
        *((through, media, owner) for through, owner, media in m.MEDIA_RELATIONS),
    ]
    for through, mine, other in directions:
        if through._meta.get_field(mine).related_model is not model:
            continue
        other_model = through._meta.get_field(other).related_model
        pks = set(
            through._default_manager.using(using)
            .filter(**{f"{mine}_id": instance.pk})
            .values_list(f"{other}_id", flat=True)
        )
        found.append((other_model, pks))
    if model is m.AnatomyStructure:
        children = m.AnatomyStructure._default_manager.using(using).filter(parent_id=instance.pk)
        found.append((model, {instance.parent_id, *children.values_list("pk", flat=True)}))
    if model is m.Disclaimer:  # every content item's detail refers to the published disclaimer
        for citing in CITING_MODELS:
            found.append(
                (citing, set(citing._default_manager.using(using).values_list("pk", flat=True)))
            )
    if model is m.Source:  # a source's own detail lists no citing items: one direction only
        for citing in CITING_MODELS:
            through = citing.sources.through
            pks = through._default_manager.using(using).filter(source_id=instance.pk)
            found.append((citing, set(pks.values_list(f"{citing._meta.model_name}_id", flat=True))))
    return found


def _neighbour_entries(instance, using) -> list[tuple[str, str, str]]:
    entries = []
    for model, pks in _neighbour_pks(instance, using):
        entries += _published_refs(
            model, pks - {instance.pk} if model is type(instance) else pks, using
        )
    return entries


def _snapshot(instance, using) -> dict | None:
    if instance.pk is None:
        return None
    names = [f.attname for f in instance._meta.concrete_fields if not f.generated]
    return (
        type(instance)._default_manager.using(using).filter(pk=instance.pk).values(*names).first()
    )


def entity_pre_save(sender, instance, raw=False, using=DEFAULT_DB_ALIAS, **kwargs):
    instance._changelog_before = _snapshot(instance, using)


def entity_post_save(sender, instance, created, raw=False, using=DEFAULT_DB_ALIAS, **kwargs):
    before = getattr(instance, "_changelog_before", None)
    instance._changelog_before = None
    was_public = bool(before) and before["status"] == m.Status.PUBLISHED
    is_public = instance.status == m.Status.PUBLISHED
    if not (was_public or is_public):
        return
    api_type = sender.api_type
    entries = []
    if was_public and (not is_public or before["slug"] != instance.slug):
        entries.append((api_type, before["slug"], Action.REMOVE))
    if is_public:
        entries.append((api_type, instance.slug, Action.UPSERT))
    changed = (
        {name for name, value in before.items() if getattr(instance, name, value) != value}
        if before
        else {"status"}
    )
    if changed - _NOT_EMBEDDED:
        entries += _neighbour_entries(instance, using)
        if sender is m.AnatomyStructure and before and before["parent_id"] != instance.parent_id:
            entries += _published_refs(sender, {before["parent_id"]}, using)  # lost a child
    record(entries, using=using)


def entity_pre_delete(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    # Neighbours are found before the cascade removes the links.
    instance._changelog_neighbours = (
        _neighbour_entries(instance, using) if instance.status == m.Status.PUBLISHED else []
    )


def entity_post_delete(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    if instance.status != m.Status.PUBLISHED:
        return
    record(
        [
            *getattr(instance, "_changelog_neighbours", []),
            (sender.api_type, instance.slug, Action.REMOVE),
        ],
        using=using,
    )


def _endpoint_entries(sender, fields, values, using):
    entries = []
    for field_name in fields:
        model = sender._meta.get_field(field_name).related_model
        entries += _published_refs(model, {values.get(f"{field_name}_id")}, using)
    return entries


def relation_pre_save(sender, instance, raw=False, using=DEFAULT_DB_ALIAS, **kwargs):
    instance._changelog_before = _snapshot(instance, using)


def _belongs_to_working_copy(sender, fields, values, using) -> bool:
    """A working copy's rows change nothing public (its live item's rows are separate)."""
    for name in fields:
        model = sender._meta.get_field(name).related_model
        pk = values.get(f"{name}_id")
        if pk is not None and issubclass(model, m.PublicEntity):
            manager = model._base_manager.using(using)
            if manager.filter(pk=pk, working_copy_of__isnull=False).exists():
                return True
    return False


def _relation_saved_or_deleted(sender, instance, fields, using, before=None):
    values = {f"{name}_id": getattr(instance, f"{name}_id") for name in fields}
    if _belongs_to_working_copy(sender, fields, values, using):
        return
    entries = _endpoint_entries(sender, fields, values, using)
    if before:  # a relinked row also changes the items it used to link
        entries += _endpoint_entries(sender, fields, before, using)
    record(entries, using=using)


def _relation_fields(sender):
    if sender in MEDIA_OWNERS:
        return (MEDIA_OWNERS[sender],)
    for through, first, second in m.ENTITY_RELATIONS:
        if through is sender:
            return (first, second)
    for owned, field in OWNED_ROWS:
        if owned is sender:
            return (field,)
    raise LookupError(sender)


def relation_post_save(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    before = getattr(instance, "_changelog_before", None)
    instance._changelog_before = None
    _relation_saved_or_deleted(sender, instance, _relation_fields(sender), using, before)


def relation_post_delete(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    _relation_saved_or_deleted(sender, instance, _relation_fields(sender), using)


def sources_changed(sender, instance, action, reverse, model, pk_set, using, **kwargs):
    """The `sources` M2M of a content entity (forward) or a Source's citing side (reverse)."""
    if action == "pre_clear":
        # pk_set is None for clears: remember who was linked before the rows go.
        instance._changelog_cleared = _linked_pks(sender, instance, reverse, using)
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action == "post_clear":
        pk_set = getattr(instance, "_changelog_cleared", set())
    # Only the citing side embeds the link (a source's detail lists no citing items).
    if reverse:
        record(_published_refs(model, pk_set or (), using), using=using)
    else:
        record(_published_refs(type(instance), {instance.pk}, using), using=using)


def _linked_pks(through, instance, reverse, using) -> set:
    if reverse:
        owner = next(f.name for f in through._meta.fields if f.name not in ("id", "source"))
        return set(
            through._default_manager.using(using)
            .filter(source_id=instance.pk)
            .values_list(f"{owner}_id", flat=True)
        )
    return set(instance.sources.using(using).values_list("pk", flat=True))


def connect_signals() -> None:
    """Called once from ContentAppConfig.ready()."""
    for model in PUBLIC_MODELS:
        uid = f"changelog:{model._meta.label}"
        pre_save.connect(entity_pre_save, sender=model, dispatch_uid=f"{uid}:pre_save")
        post_save.connect(entity_post_save, sender=model, dispatch_uid=f"{uid}:post_save")
        pre_delete.connect(entity_pre_delete, sender=model, dispatch_uid=f"{uid}:pre_delete")
        post_delete.connect(entity_post_delete, sender=model, dispatch_uid=f"{uid}:post_delete")
    links = [*(r[0] for r in m.ENTITY_RELATIONS), *MEDIA_OWNERS, *(o[0] for o in OWNED_ROWS)]
    for through in links:
        uid = f"changelog:{through._meta.label}"
        pre_save.connect(relation_pre_save, sender=through, dispatch_uid=f"{uid}:pre_save")
        post_save.connect(relation_post_save, sender=through, dispatch_uid=f"{uid}:post_save")
        post_delete.connect(relation_post_delete, sender=through, dispatch_uid=f"{uid}:post_del")
    for model in CITING_MODELS:
        m2m_changed.connect(
            sources_changed,
            sender=model.sources.through,
            dispatch_uid=f"changelog:{model._meta.label}:sources",
        )
