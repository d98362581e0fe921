"""Keep SearchDocument equal to the published set: model signals, same transaction as the change.

Signals (like the change log) so no write path can forget it: admin, services, loaddata,
plain ORM. `rebuild()` re-derives the whole table (after bulk writes that skip signals).
"""

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import post_delete, post_save

from content_app import models as m


def texts(model, row) -> dict:
    """name (weight A), summary (B), body (C) of one item, from an instance or a values() row."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    if model is m.Source:
        summary = " ".join(part for part in (get("author"), get("publisher")) if part)
        return {"name": get("title"), "summary": summary, "body": get("note") or ""}
    return {"name": get("name"), "summary": get("summary") or "", "body": get("body") or ""}


def _text_columns(model) -> tuple:
    if model is m.Source:
        return ("title", "author", "publisher", "note")
    return ("name", "summary", "body")


def entity_saved(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    documents = m.SearchDocument.objects.using(using)
    if instance.status != m.Status.PUBLISHED:
        documents.filter(api_type=sender.api_type, object_id=instance.pk).delete()
        return
    documents.update_or_create(
        api_type=sender.api_type,
        object_id=instance.pk,
        defaults={"slug": instance.slug, **texts(sender, instance)},
    )


def entity_deleted(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    m.SearchDocument.objects.using(using).filter(
        api_type=sender.api_type, object_id=instance.pk
    ).delete()


def rebuild(using: str = DEFAULT_DB_ALIAS, batch_size: int = 1000) -> int:
    """Replace the whole index with the published set; returns the number of documents."""
    with transaction.atomic(using=using):
        m.SearchDocument.objects.using(using).all().delete()
        created = 0
        for model in m.CONTENT_MODELS:
            rows = (
                model.objects.using(using)
                .published()
                .values("id", "slug", *_text_columns(model))
                .iterator(chunk_size=batch_size)
            )
            batch = []
            for row in rows:
                batch.append(
                    m.SearchDocument(
                        api_type=model.api_type,
                        object_id=row["id"],
                        slug=row["slug"],
                        **texts(model, row),
                    )
                )
                if len(batch) >= batch_size:
                    m.SearchDocument.objects.using(using).bulk_create(batch)
                    created += len(batch)
                    batch = []
            m.SearchDocument.objects.using(using).bulk_create(batch)
            created += len(batch)
    return created


# Synonyms change what search serves, so an edit is a content change: a change-log entry moves
# the content version (every cached response key) like a publish does. Sync skips this type.
SYNONYM_ENTRY_TYPE = "search-synonyms"


def synonym_changed(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    from content_app.changelog import record

    record([(SYNONYM_ENTRY_TYPE, str(instance.pk), m.ChangeAction.UPSERT)], using=using)


def connect_signals() -> None:
    post_save.connect(synonym_changed, sender=m.Synonym, dispatch_uid="search:synonym:save")
    post_delete.connect(synonym_changed, sender=m.Synonym, dispatch_uid="search:synonym:delete")
    for model in m.CONTENT_MODELS:
        uid = f"search:{model.__name__}"
        post_save.connect(entity_saved, sender=model, dispatch_uid=f"{uid}:post_save")
        post_delete.connect(entity_deleted, sender=model, dispatch_uid=f"{uid}:post_delete")
