"""The v1 JSON shapes of every content type, built from `.values()` rows (no model instances).

Nested ModelSerializers cost ~3x more per item than the database work, so the hot paths build
plain dicts here; `serializers.py` describes exactly these shapes for the OpenAPI schema, and
the contract tests check every response against it.

Public functions (query counts are constant: they do not grow with the number of items or links):
- `list_representations(queryset)`: compact list items, in the queryset's order.
- `detail_representations(queryset, expand=())`: detail items, in the queryset's order.
- `detail_representation(obj, expand=())`: one object's detail exactly as
  `/api/v1/<type>/<slug>/` serves it; works for drafts too (admin preview). Related items are
  always published-only.
- `EXPANDABLE[api_type]`, `LIST_FIELDS[api_type]`, `DETAIL_FIELDS[api_type]`: the names.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from content_app import models as m
from content_app.api.v1.media import MEDIA_OWNERS, media_links
from content_app.models.base import review_status
from content_app.models.entities import caution_lines
from content_app.querysets import PUBLISHED, id_in

# Every dosage number (the models' bounded fields) plus the free-text note.
DOSAGE_COLUMNS = (*m.EXERCISE_DOSAGE_LIMITS, "dosage_note")


def _collection_base(api_type: str) -> str:
    return reverse(f"v1:{api_type}-list")


class _Urls:
    """Per-call cache of collection base paths: one reverse() per type, not per item."""

    def __init__(self):
        self._bases = {}
        self.today = timezone.localdate()  # one date per response, for `review_status`

    def __call__(self, api_type: str, slug: str) -> str:
        base = self._bases.get(api_type)
        if base is None:
            base = self._bases[api_type] = _collection_base(api_type)
        return f"{base}{slug}/"


def dosage(row: dict, prefix: str = "") -> dict:
    get = row.get
    return {
        "sets": get(f"{prefix}sets"),
        "reps": get(f"{prefix}reps"),
        "hold_seconds": get(f"{prefix}hold_seconds"),
        "times_per_day": get(f"{prefix}times_per_day"),
        "times_per_day_max": get(f"{prefix}times_per_day_max"),
        "target": {
            "sets": get(f"{prefix}target_sets"),
            "reps": get(f"{prefix}target_reps"),
            "hold_seconds": get(f"{prefix}target_hold_seconds"),
        },
        "note": get(f"{prefix}dosage_note") or "",
    }


def source_attribution(row: dict) -> str:
    """How to credit a cited source: its title, author, publisher and year, as known."""
    credit = row["title"]
    if row["author"]:
        credit += f" by {row['author']}"
    if row["publisher"]:
        credit += f", {row['publisher']}"
    if row["published_on"]:
        credit += f" ({row['published_on'].year})"
    return credit + (f", {row['url']}" if row["url"] else "")


# --- Type descriptions -----------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A relation shown as compact references: `[{slug, name, url, <attrs>}]`."""

    key: str  # the field name in the representation (and the `expand` name)
    through: type  # the model holding one row per link
    owner: str  # FK on `through` pointing at the item being represented
    target: str  # FK on `through` pointing at the referenced item ("" = `through` is the target)
    target_model: type
    attrs: tuple = ()  # columns of `through` copied as-is (order, role, note)
    target_attrs: tuple = ()  # columns of the target copied as-is (kind, urgency, ...)
    with_dosage: bool = False
    order_by: tuple = ()

    def prefix(self) -> str:
        return f"{self.target}__" if self.target else ""

    def keys(self) -> tuple:
        """The keys of one reference, in the order `_link_rows` emits them."""
        dosage_key = ("dosage",) if self.with_dosage else ()
        return ("slug", "name", "url", *self.attrs, *self.target_attrs, *dosage_key)


@dataclass(frozen=True)
class TypeSpec:
    model: type
    list_columns: tuple  # typed attributes copied as-is into list and detail items
    detail_columns: tuple = ()  # extra columns copied as-is into detail items only
    links: tuple = ()
    with_dosage: bool = False
    with_steps: bool = False
    with_parent: bool = False
    with_safety_cues: bool = False  # an exercise's stop rule, cautions, prevention_only
    extra_list_keys: tuple = field(default=())

    @property
    def reviewed(self) -> bool:
        """Content items: review record, sources and the disclaimer reference."""
        return issubclass(self.model, m.ContentEntity)


# The columns of a cause's exercise and treatment links: what to do and on what condition.
RECOMMENDATION_ATTRS = ("order", "role", "phase", "caution", "note")


_THROUGH = {t.model: t for t in m.RELATIONS}  # the relation registry (models/registry.py)


def relation_link(through, side, attrs=("order", "note"), target_attrs=(), **options) -> Link:
    """A relation as the item on `side` (its "owner" or "other" end) lists it: the key and
    both FKs come from the relation registry, the columns shown from here."""
    entry = _THROUGH[through]
    mine, other = (entry.owner, entry.other) if side == "owner" else (entry.other, entry.owner)
    key = entry.owner_link if side == "owner" else entry.other_link
    target_model = through._meta.get_field(other).related_model
    return Link(key, through, mine, other, target_model, attrs, target_attrs, **options)


def _red_flag_link(through):
    return relation_link(
        through,
        "owner",
        ("order", "note"),
        ("urgency", "action"),
        order_by=("red_flag__urgency_rank", "order", "pk"),  # emergencies first
    )


def _cause_link(through, attrs=("order", "note")):
    return relation_link(through, "other", attrs, ("prevalence", "onset", "self_care"))


EXERCISE_ATTRS = ("category", "difficulty", "equipment")

CAUSE_SPEC = TypeSpec(
    model=m.Cause,
    list_columns=("prevalence", "onset", "self_care"),
    links=(
        relation_link(m.CauseStructure, "owner", ("order", "role", "note"), ("kind",)),
        relation_link(m.CauseSymptom, "owner"),
        relation_link(m.CauseRiskFactor, "owner", target_attrs=("category", "modifiable")),
        _red_flag_link(m.CauseRedFlag),
        relation_link(
            m.CauseExercise, "owner", RECOMMENDATION_ATTRS, EXERCISE_ATTRS, with_dosage=True
        ),
        relation_link(m.CauseTreatment, "owner", RECOMMENDATION_ATTRS, ("kind",)),
    ),
)

ANATOMY_SPEC = TypeSpec(
    model=m.AnatomyStructure,
    list_columns=("kind", "latin_name"),
    with_parent=True,
    links=(
        Link("children", m.AnatomyStructure, "parent", "", m.AnatomyStructure, (), ("kind",)),
        _cause_link(m.CauseStructure, ("order", "role", "note")),
        relation_link(
            m.ExerciseTarget,
            "other",
            ("order", "role", "note"),
            EXERCISE_ATTRS,
            order_by=("exercise__name", "pk"),
        ),
        relation_link(
            m.TreatmentTarget, "other", target_attrs=("kind",), order_by=("treatment__name", "pk")
        ),
    ),
)

SYMPTOM_SPEC = TypeSpec(
    model=m.Symptom,
    list_columns=(),
    links=(_red_flag_link(m.SymptomRedFlag), _cause_link(m.CauseSymptom)),
)

RISK_FACTOR_SPEC = TypeSpec(
    model=m.RiskFactor,
    list_columns=("category", "modifiable"),
    links=(_cause_link(m.CauseRiskFactor),),
)

RED_FLAG_SPEC = TypeSpec(
    model=m.RedFlag,
    list_columns=("urgency", "action"),
    links=(
        _cause_link(m.CauseRedFlag),
        relation_link(m.SymptomRedFlag, "other", order_by=("symptom__name", "pk")),
    ),
)

TREATMENT_SPEC = TypeSpec(
    model=m.Treatment,
    list_columns=("kind",),
    links=(
        relation_link(m.TreatmentTarget, "owner", target_attrs=("kind",)),
        _cause_link(m.CauseTreatment, RECOMMENDATION_ATTRS),
    ),
)

EXERCISE_SPEC = TypeSpec(
    model=m.Exercise,
    list_columns=("category", "difficulty", "equipment"),
    with_dosage=True,
    with_steps=True,
    with_safety_cues=True,
    links=(
        relation_link(m.ExerciseTarget, "owner", ("order", "role", "note"), ("kind",)),
        relation_link(m.ExerciseProgression, "owner", target_attrs=EXERCISE_ATTRS),
        relation_link(m.ExerciseProgression, "other", target_attrs=EXERCISE_ATTRS),
        _cause_link(m.CauseExercise, RECOMMENDATION_ATTRS),
    ),
)

SOURCE_SPEC = TypeSpec(
    model=m.Source,
    list_columns=("author", "publisher", "published_on"),
    detail_columns=("accessed_on", "note"),
)

DISCLAIMER_SPEC = TypeSpec(model=m.Disclaimer, list_columns=())

SPECS = {
    spec.model.api_type: spec
    for spec in (
        ANATOMY_SPEC,
        CAUSE_SPEC,
        SYMPTOM_SPEC,
        RISK_FACTOR_SPEC,
        RED_FLAG_SPEC,
        EXERCISE_SPEC,
        TREATMENT_SPEC,
        SOURCE_SPEC,
        DISCLAIMER_SPEC,
    )
}

REVIEW_KEYS = ("reviewed_at", "review_due", "reviewed_by", "reviewer_role", "review_status")
SAFETY_CUE_KEYS = ("stop_rule", "cautions", "prevention_only")


def _content_list_keys(spec: TypeSpec) -> tuple:
    if spec.model is m.Source:
        return (
            "slug",
            "name",
            "url",
            "title",
            *spec.list_columns,
            "link",
            "attribution",
            "updated_at",
        )
    keys = ["slug", "name", "url", "summary", *spec.list_columns]
    if spec.with_parent:
        keys.append("parent")
    if spec.with_dosage:
        keys.append("dosage")
    if spec.reviewed:
        keys += REVIEW_KEYS
    return (*keys, "updated_at")


def _content_detail_keys(spec: TypeSpec) -> tuple:
    keys = [*_content_list_keys(spec), *spec.detail_columns]
    if spec.model is not m.Source:
        keys.insert(keys.index("summary") + 1, "body")
    keys += ["revision", "published_at"]
    if spec.with_safety_cues:
        keys += SAFETY_CUE_KEYS
    if spec.with_steps:
        keys.append("steps")
    keys += [link.key for link in spec.links]
    if spec.reviewed:
        keys += ["sources", "disclaimer"]
    if spec.model in MEDIA_OWNERS:
        keys.append("media")
    return tuple(keys)


LIST_FIELDS = {api_type: _content_list_keys(spec) for api_type, spec in SPECS.items()}
DETAIL_FIELDS = {api_type: _content_detail_keys(spec) for api_type, spec in SPECS.items()}
EXPANDABLE = {
    api_type: tuple(
        [*(("parent",) if spec.with_parent else ()), *(link.key for link in spec.links)]
        + (["sources"] if spec.reviewed else [])
    )
    for api_type, spec in SPECS.items()
}


# --- Rows ------------------------------------------------------------------------------------


def _list_columns(spec: TypeSpec) -> list:
    if spec.model is m.Source:
        return ["id", "slug", "title", "url", *spec.list_columns, "updated_at"]
    columns = ["id", "slug", "name", "summary", *spec.list_columns, "updated_at"]
    if spec.reviewed:
        columns += ["reviewed_at", "review_due", "reviewer_name", "reviewer_role"]
    if spec.with_parent:
        columns += ["parent__slug", "parent__name", "parent__status"]
    if spec.with_dosage:
        columns += DOSAGE_COLUMNS
    return columns


def _detail_columns(spec: TypeSpec) -> list:
    columns = [*_list_columns(spec), *spec.detail_columns, "revision", "published_at"]
    if spec.model is not m.Source:
        columns.append("body")
    if spec.with_safety_cues:
        columns += SAFETY_CUE_KEYS
    return columns


def _list_item(spec: TypeSpec, row: dict, urls: _Urls) -> dict:
    api_type = spec.model.api_type
    slug = row["slug"]
    if spec.model is m.Source:
        return {
            "slug": slug,
            "name": row["title"],
            "url": urls(api_type, slug),
            "title": row["title"],
            "author": row["author"],
            "publisher": row["publisher"],
            "published_on": row["published_on"],
            "link": row["url"],
            "attribution": source_attribution(row),
            "updated_at": row["updated_at"],
        }
    item = {
        "slug": slug,
        "name": row["name"],
        "url": urls(api_type, slug),
        "summary": row["summary"],
    }
    for column in spec.list_columns:
        item[column] = row[column]
    if spec.with_parent:
        parent_slug = row["parent__slug"]
        item["parent"] = (
            {
                "slug": parent_slug,
                "name": row["parent__name"],
                "url": urls(api_type, parent_slug),
            }
            if parent_slug is not None and row["parent__status"] == PUBLISHED
            else None
        )
    if spec.with_dosage:
        item["dosage"] = dosage(row)
    if spec.reviewed:
        item["reviewed_at"] = row["reviewed_at"]
        item["review_due"] = row["review_due"]
        item["reviewed_by"] = row["reviewer_name"] or None
        item["reviewer_role"] = row["reviewer_role"] or None
        item["review_status"] = review_status(row["reviewed_at"], row["review_due"], urls.today)
    item["updated_at"] = row["updated_at"]
    return item


def _link_rows(link: Link, owner_ids, urls: _Urls) -> dict[int, list[dict]]:
    """One query: every published link target of the given owners, grouped by owner id."""
    prefix = link.prefix()
    target_api_type = link.target_model.api_type
    columns = [f"{link.owner}_id", f"{prefix}slug", f"{prefix}name", *link.attrs]
    columns += [f"{prefix}{attr}" for attr in link.target_attrs]
    if link.with_dosage:
        columns += [f"{prefix}{column}" for column in DOSAGE_COLUMNS]
    queryset = link.through.objects.filter(
        id_in(f"{link.owner}_id", owner_ids), **{f"{prefix}status": PUBLISHED}
    )
    if link.order_by:
        queryset = queryset.order_by(*link.order_by)
    # Tuples, not `.values()` dicts: links are most of the bundle's rows (112,000 at 100x),
    # and Django building a dict per row cost more than shaping the reference.
    keys = (*link.attrs, *link.target_attrs)
    end = 3 + len(keys)
    grouped = defaultdict(list)
    for row in queryset.values_list(*columns):
        slug = row[1]
        ref = {"slug": slug, "name": row[2], "url": urls(target_api_type, slug)}
        ref.update(zip(keys, row[3:end], strict=False))
        if link.with_dosage:
            ref["dosage"] = dosage(dict(zip(DOSAGE_COLUMNS, row[end:], strict=True)))
        grouped[row[0]].append(ref)
    return grouped


def _source_rows(model, owner_ids, urls: _Urls) -> dict[int, list[dict]]:
    through = model.sources.through
    owner = f"{model._meta.model_name}_id"
    queryset = (
        through.objects.filter(id_in(owner, owner_ids), source__status=PUBLISHED)
        .order_by("source__title", "source_id")
        .values(owner, "source__slug", "source__title")
    )
    grouped = defaultdict(list)
    for row in queryset:
        slug = row["source__slug"]
        grouped[row[owner]].append(
            {"slug": slug, "name": row["source__title"], "url": urls("sources", slug)}
        )
    return grouped


def _step_rows(owner_ids) -> dict[int, list[dict]]:
    grouped = defaultdict(list)
    rows = m.ExerciseStep.objects.filter(id_in("exercise_id", owner_ids)).values(
        "exercise_id", "order", "text"
    )
    for row in rows:
        grouped[row["exercise_id"]].append({"order": row["order"], "text": row["text"]})
    return grouped


def _details_from_rows(spec: TypeSpec, rows: list[dict], expand, urls: _Urls) -> list[dict]:
    ids = [row["id"] for row in rows]
    items = []
    if not rows:
        return items
    links = {link.key: _link_rows(link, ids, urls) for link in spec.links}
    sources = _source_rows(spec.model, ids, urls) if spec.reviewed else None
    disclaimer = disclaimer_reference(urls) if spec.reviewed else None
    steps = _step_rows(ids) if spec.with_steps else None
    media = media_links(spec.model, ids)
    for row in rows:
        item = _list_item(spec, row, urls)
        if spec.model is m.Source:
            item["accessed_on"] = row["accessed_on"]
            item["note"] = row["note"]
        else:
            item = {**_with_body(item, row["body"])}
        item["revision"] = row["revision"]
        item["published_at"] = row["published_at"]
        if spec.with_safety_cues:
            item["stop_rule"] = row["stop_rule"]
            item["cautions"] = caution_lines(row["cautions"])
            item["prevention_only"] = row["prevention_only"]
        if steps is not None:
            item["steps"] = steps.get(row["id"], [])
        for key, grouped in links.items():
            item[key] = grouped.get(row["id"], [])
        if sources is not None:
            item["sources"] = sources.get(row["id"], [])
            item["disclaimer"] = disclaimer
        if media is not None:
            item["media"] = media.get(row["id"], [])
        items.append(item)
    if expand:
        _expand(items, spec, expand)
    return items


def disclaimer_reference(urls: _Urls | None = None) -> dict | None:
    """The published disclaimer as a compact reference (one query); None if none is published."""
    urls = urls or _Urls()
    row = m.Disclaimer.objects.published().values("slug", "name").first()
    if row is None:
        return None
    return {"slug": row["slug"], "name": row["name"], "url": urls("disclaimers", row["slug"])}


def current_disclaimer() -> dict | None:
    """The published disclaimer in full (its detail), for the API root, sync and bundle."""
    details = detail_representations(m.Disclaimer.objects.published())
    return details[0] if details else None


def _with_body(item: dict, body: str) -> dict:
    """Insert `body` right after `summary`, keeping the documented key order."""
    out = {}
    for key, value in item.items():
        out[key] = value
        if key == "summary":
            out["body"] = body
    return out


def expand_targets(spec: TypeSpec) -> dict[str, type]:
    """The model each expandable reference of `spec` points at (the serializers' `item`)."""
    targets = {link.key: link.target_model for link in spec.links}
    if spec.with_parent:
        targets["parent"] = spec.model
    targets["sources"] = m.Source
    return targets


def _expand(items: list[dict], spec: TypeSpec, expand) -> None:
    """Give each compact reference named in `expand` an `item` with the full detail."""
    targets = expand_targets(spec)
    for key in expand:
        model = targets[key]
        refs = []
        for item in items:
            value = item.get(key)
            if isinstance(value, list):
                refs.extend(value)
            elif value is not None:
                refs.append(value)
        slugs = {ref["slug"] for ref in refs}
        if not slugs:
            continue
        full = {
            detail["slug"]: detail
            for detail in detail_representations(model.objects.filter(slug__in=slugs).published())
        }
        for ref in refs:
            ref["item"] = full[ref["slug"]]


# --- Public API ------------------------------------------------------------------------------


def spec_for(model_or_queryset) -> TypeSpec:
    model = getattr(model_or_queryset, "model", model_or_queryset)
    return SPECS[model.api_type]


def list_rows(queryset):
    """The `.values()` queryset behind list items (paginate this, then `list_items()`)."""
    return queryset.values(*_list_columns(spec_for(queryset)))


def list_items(model, rows) -> list[dict]:
    spec = spec_for(model)
    urls = _Urls()
    return [_list_item(spec, row, urls) for row in rows]


def list_representations(queryset) -> list[dict]:
    """Compact list items of `queryset` (1 query), as `/api/v1/<type>/` lists them."""
    return list_items(queryset.model, list_rows(queryset))


def detail_representations(queryset, expand=()) -> list[dict]:
    """Detail items of `queryset`, as `/api/v1/<type>/<slug>/` serves each.

    Queries: 1 for the items + 1 per relation (+ the same again per expanded relation).
    `queryset` decides which items (filter it with `.published()` for public output).
    """
    spec = spec_for(queryset)
    rows = list(queryset.values(*_detail_columns(spec)))
    return _details_from_rows(spec, rows, tuple(expand), _Urls())


def detail_representation(obj, expand=()) -> dict:
    """One object's detail, exactly as the API serves it (drafts too: the admin preview)."""
    return detail_representations(type(obj).objects.filter(pk=obj.pk), expand)[0]
