"""Grow the published content to N times the launch set (bench/growth.py uses it).

Copies of the launch items, each copy set linked among itself exactly like the launch set
(a grown cause has the same number of links as a launch cause, so detail cost is comparable),
with names and bodies varied per copy ("… (series 7)", a per-copy code word for rare-word
searches). Written through the ORM with bulk operations, then the change log, history and
search index are brought up to date in the same transaction with their own bulk paths
(`changelog.record`, `bulk_history_create`, SearchDocument rows), so sync and the bundle see
a consistent log. Per-row signals would make 100x take many minutes for nothing the
benchmark needs.
"""

from __future__ import annotations

from django.db import transaction

from content_app import models as m
from content_app.changelog import record
from content_app.search.index import texts

ORDER = (
    m.Source,
    m.AnatomyStructure,
    m.Symptom,
    m.RiskFactor,
    m.RedFlag,
    m.Exercise,
    m.Treatment,
    m.Cause,
)
THROUGH = [relation for relation, _a, _b in m.ENTITY_RELATIONS] + [m.ExerciseStep]
BATCH = 2000


def copies_present() -> int:
    return m.Cause.objects.filter(slug__contains="-series-").count() // max(
        1, m.Cause.objects.exclude(slug__contains="-series-").count()
    )


def _fields(model):
    return [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]


def _copy(obj, model, series: int, id_maps):
    values = {}
    for field in _fields(model):
        value = getattr(obj, field.attname)
        if field.is_relation and value is not None and field.related_model in id_maps:
            value = id_maps[field.related_model].get(value, value)
        values[field.attname] = value
    values["slug"] = f"{obj.slug}-series-{series}"[:120]
    code = f"kc{series}x"
    if model is m.Source:
        values["title"] = f"{obj.title} (series {series})"
        values["note"] = f"{obj.note} Series code {code}."
    else:
        values["name"] = f"{obj.name} (series {series})"[:200]
        values["body"] = f"{obj.body}\n\nSeries code {code}."
    return model(**values)


def grow(copies: int) -> dict:
    """Add `copies` more copy sets of the launch content; returns counts of rows added."""
    added = {}
    base = {model: list(model.objects.exclude(slug__contains="-series-")) for model in ORDER}
    start = copies_present() + 1
    with transaction.atomic():
        for series in range(start, start + copies):
            id_maps: dict = {}
            new_items = []
            for model in ORDER:
                originals = base[model]
                created = model.objects.bulk_create(
                    [_copy(obj, model, series, id_maps) for obj in originals], batch_size=BATCH
                )
                id_maps[model] = {o.pk: c.pk for o, c in zip(originals, created, strict=True)}
                new_items += [(model, c) for c in created]
                added[model.__name__] = added.get(model.__name__, 0) + len(created)
            # Parents point into the same copy set (first pass left them on the originals).
            anatomy = [c for model, c in new_items if model is m.AnatomyStructure and c.parent_id]
            for item in anatomy:
                item.parent_id = id_maps[m.AnatomyStructure].get(item.parent_id, item.parent_id)
            m.AnatomyStructure.objects.bulk_update(anatomy, ["parent"], batch_size=BATCH)
            for through in THROUGH:
                rows = []
                for row in through.objects.filter(
                    **{
                        f"{_first_fk(through).name}__in": list(
                            id_maps[_first_fk(through).related_model]
                        )
                    }
                ):
                    values = {f.attname: getattr(row, f.attname) for f in _fields(through)}
                    for fk in _fks(through):
                        values[fk.attname] = id_maps[fk.related_model][values[fk.attname]]
                    rows.append(through(**values))
                through.objects.bulk_create(rows, batch_size=BATCH)
                added[through.__name__] = added.get(through.__name__, 0) + len(rows)
            for model in ORDER[1:]:
                sources = model.sources.through
                owner = f"{model._meta.model_name}_id"
                rows = [
                    sources(
                        **{
                            owner: id_maps[model][r[owner]],
                            "source_id": id_maps[m.Source][r["source_id"]],
                        }
                    )
                    for r in sources.objects.filter(
                        **{f"{owner}__in": list(id_maps[model])}
                    ).values(owner, "source_id")
                ]
                sources.objects.bulk_create(rows, batch_size=BATCH)
            for model in ORDER:
                copies_of_model = [c for mm, c in new_items if mm is model]
                model.history.bulk_history_create(
                    copies_of_model, default_change_reason="Growth benchmark"
                )
            m.SearchDocument.objects.bulk_create(
                [
                    m.SearchDocument(
                        api_type=model.api_type, object_id=c.pk, slug=c.slug, **texts(model, c)
                    )
                    for model, c in new_items
                    if c.status == m.Status.PUBLISHED
                ],
                batch_size=BATCH,
            )
            record(
                [
                    (model.api_type, c.slug, m.ChangeAction.UPSERT)
                    for model, c in new_items
                    if c.status == m.Status.PUBLISHED
                ]
            )
    return added


def _fks(through):
    return [f for f in _fields(through) if f.is_relation and f.related_model in ORDER]


def _first_fk(through):
    return _fks(through)[0]
