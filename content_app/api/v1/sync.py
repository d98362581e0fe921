"""Mobile delivery: `/api/v1/sync/` (delta since a change-log cursor) and `/api/v1/bundle/`.

Both serve the same detail representations as `/api/v1/<type>/<slug>/`, grouped by type.
Sync reads *which* items changed from the change log and *what* they are now from the
content tables: an item that is published now is sent in full, anything else is a tombstone.
So a client applying pages in order always converges on the published set, whatever
happened in between. HTTP caching (ETag, 304, compression) comes from content_app.caching.
"""

from django.db.models import Exists, F, OuterRef
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from content_app import models as m
from content_app.api.problems import PROBLEM_CONTENT_TYPE, problem, problem_type
from content_app.api.v1 import bundle, representations
from content_app.api.v1 import serializers as api_serializers
from content_app.api.v1.media import MediaAssetSerializer, MediaManifestSerializer, media_assets
from content_app.api.v1.schema import ERROR_RESPONSES, RESPONSE_HEADERS, _names_parameter
from content_app.api.v1.selfcheck import RulesetSerializer
from content_app.api.v1.views import StrictQueryMixin, _names
from content_app.changelog import current_head
from content_app.search.index import SYNONYM_ENTRY_TYPE
from content_app.selfcheck.ruleset import current_ruleset

SYNC_PAGE_SIZE = 200
# A polling client asks the same URL (`since=<head>`) until something changes, so a cache may
# keep a page but must revalidate it every time (the 304 is cheap). The bundle needs no such
# rule: any bundle with its own cursor is a correct starting point for the next sync.
SYNC_CACHE_CONTROL = "public, no-cache"
SYNC_PAGE_SIZE_MAX = 500
API_TYPES = tuple(m.MODELS_BY_API_TYPE)
MEDIA = m.MediaAsset.api_type  # media entries sync too (changed.media, tombstones)


# --- Representations: the same functions the detail endpoints use ---------------------------


def detail_items(model, *, slugs=None) -> list[dict]:
    queryset = model.objects.published()
    if slugs is not None:
        queryset = queryset.filter(slug__in=slugs)
    return representations.detail_representations(queryset)


def detail_field_names(api_type: str) -> tuple:
    return representations.DETAIL_FIELDS[api_type]


# --- Parameters -----------------------------------------------------------------------------

CURSOR_EXPIRED = "sync-cursor-expired"
ALL_DETAIL_FIELDS = tuple(
    dict.fromkeys(name for api_type in API_TYPES for name in detail_field_names(api_type))
)


class CursorExpired(Exception):
    """The cursor predates the retained change log (`SyncHorizon.pruned_through`)."""


def cursor_expired_response(request, since: int, horizon: int) -> Response:
    detail = (
        f"Changes up to {horizon} were pruned, so cursor {since} can no longer be brought "
        "up to date. Fetch /api/v1/bundle/ again and sync from its cursor."
    )
    body = problem(CURSOR_EXPIRED, detail, request.path)
    return Response(body, status=body["status"], content_type=PROBLEM_CONTENT_TYPE)


def _integer(request, name, *, default, low, high=None):
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        raise exceptions.ValidationError({name: ["Must be a non-negative integer."]})
    value = int(raw)
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise exceptions.ValidationError({name: [f"Must be {bound}."]})
    return value


def parse_fields(request) -> frozenset | None:
    """`?fields=a,b`: keep only these fields of each item (`slug` is always kept)."""
    names = _names(request, "fields", ALL_DETAIL_FIELDS)
    return frozenset({*names, "slug"}) if names else None


def _trim(items, fields):
    if fields is None:
        return items
    return [{key: value for key, value in item.items() if key in fields} for item in items]


# --- Schema serializers ---------------------------------------------------------------------

_DETAIL_SERIALIZERS = {api_type: pair[1] for api_type, pair in api_serializers.SERIALIZERS.items()}


def _content_serializer(name, doc, *, every_type: bool):
    fields = {
        api_type: _DETAIL_SERIALIZERS[api_type](
            many=True,
            required=every_type,
            help_text=f"Published `{api_type}` items, as `/api/v1/{api_type}/<slug>/` serves them.",
        )
        for api_type in API_TYPES
    }
    return type(name, (serializers.Serializer,), {**fields, "__module__": __name__, "__doc__": doc})


SyncContentSerializer = _content_serializer(
    "SyncContentSerializer",
    "Changed items that are published now, grouped by type (types without changes are omitted).",
    every_type=False,
)
SyncContentSerializer._declared_fields[MEDIA] = MediaAssetSerializer(
    many=True,
    required=False,
    help_text="Published media assets that changed (new files, alt text, licence...), as in "
    "the bundle's `media.assets`: download files whose `sha256` you do not have yet, drop files "
    "no asset lists any more. Never trimmed by `fields`.",
)
BundleContentSerializer = _content_serializer(
    "BundleContentSerializer",
    "Every published item, grouped by type (every type present).",
    every_type=True,
)


class TombstoneSerializer(serializers.Serializer):
    """An item that left the public set (unpublished, archived, deleted or renamed)."""

    type = serializers.ChoiceField(
        choices=[(t, t) for t in (*API_TYPES, MEDIA)],
        help_text="The collection it belonged to; `media` for a media asset (delete its files).",
    )
    slug = serializers.SlugField(help_text="Its former slug: drop it from the local store.")


class SyncPageSerializer(serializers.Serializer):
    """One page of changes since a cursor. Apply `removed`, then `changed`, then store `cursor`."""

    since = serializers.IntegerField(min_value=0, help_text="The cursor this page starts after.")
    cursor = serializers.IntegerField(
        min_value=0, help_text="Send this as `since` next time (it covers this page)."
    )
    has_more = serializers.BooleanField(help_text="True: fetch `next` now for the rest.")
    next = serializers.CharField(
        allow_null=True,
        help_text="The next page, a path relative to the API host (it carries `start`), or null.",
    )
    changed = SyncContentSerializer()
    removed = TombstoneSerializer(many=True)
    disclaimer = api_serializers.DisclaimerDetailSerializer(
        allow_null=True,
        help_text="The disclaimer to show with the content (also in `changed.disclaimers` "
        "when it changed); null only if none is published.",
    )
    self_check = RulesetSerializer(
        allow_null=True,
        help_text="The whole current self-check ruleset when this page covers any change "
        "(replace the stored one), else null.",
    )


class BundlePayloadSerializer(serializers.Serializer):
    """All published content in one response, for a first launch."""

    cursor = serializers.IntegerField(
        min_value=0, help_text="The content version of this bundle: sync from it afterwards."
    )
    licence = api_serializers.LicenceSerializer(
        help_text="The content's licence and required attribution (each item's `sources`)."
    )
    disclaimer = api_serializers.DisclaimerDetailSerializer(
        allow_null=True,
        help_text="The disclaimer apps must show with the content (null only if none is "
        "published).",
    )
    content = BundleContentSerializer()
    media = MediaManifestSerializer(
        help_text="The media manifest: every published media asset with every file's URL, "
        "SHA-256 and size, to download once, verify and keep offline."
    )
    self_check = RulesetSerializer(
        help_text="The self-check ruleset: run the self-check offline with it (see "
        "`POST /api/v1/self-check/`)."
    )


_FIELDS_PARAMETER = _names_parameter(
    "fields",
    ALL_DETAIL_FIELDS,
    "Field names to keep in every item, comma-separated (`slug` is always kept). "
    "Unknown names are a 400.",
    ("name", "summary", "updated_at"),
)


_EXPIRED_RESPONSE = {
    (410, PROBLEM_CONTENT_TYPE): OpenApiResponse(
        api_serializers.ProblemSerializer,
        description=(
            "The cursor is older than the retained change log: fetch `/api/v1/bundle/` again "
            "and sync from its cursor."
        ),
        examples=[
            OpenApiExample(
                "problem-410",
                value={
                    "type": problem_type(CURSOR_EXPIRED),
                    "title": "Sync cursor expired",
                    "status": 410,
                    "detail": "Changes up to 900 were pruned, so cursor 12 can no longer be "
                    "brought up to date. Fetch /api/v1/bundle/ again and sync from its cursor.",
                    "instance": "/api/v1/sync/",
                },
                status_codes=[410],
                response_only=True,
                media_type=PROBLEM_CONTENT_TYPE,
            )
        ],
    )
}


# --- Views ----------------------------------------------------------------------------------


@extend_schema(tags=["sync"])
class SyncView(StrictQueryMixin, APIView):
    """Everything that changed in the published set since a cursor."""

    def allowed_query_params(self):
        return {"since", "start", "limit", "fields"}

    @extend_schema(
        operation_id="sync",
        summary="Changes since a cursor",
        description=(
            "Everything published that changed after `since` (full representations, grouped "
            "by type, as the detail endpoints serve them) and tombstones for what left the "
            "public set. Apply `removed`, then `changed`. Pages hold at most `limit` items; "
            "while `has_more`, follow `next`; keep the last `cursor` for the next sync. "
            "Without `since` (or with 0) the whole published set is sent. A cursor older "
            "than the retained change log is a 410 (fetch the bundle again); a malformed "
            "cursor or one newer than the server's is a 400. `next` carries `start` (where "
            "the walk began): a walk that began at 0 (nothing stored yet) is never expired by "
            "pruning, since the client holds nothing a pruned removal could concern. "
            "Responses are `no-cache`: a cache may keep them but revalidates every time."
        ),
        parameters=[
            OpenApiParameter(
                "since",
                {"type": "integer", "minimum": 0},
                description="The `cursor` of the last sync page or bundle; omit for everything.",
            ),
            OpenApiParameter(
                "start",
                {"type": "integer", "minimum": 0},
                description=(
                    "Where this walk began (set by `next`; never needed by hand). 0 means the "
                    "client started with nothing stored, so pruning cannot expire the walk."
                ),
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": SYNC_PAGE_SIZE_MAX},
                description=(
                    f"Items per page (changed + removed); default {SYNC_PAGE_SIZE}, "
                    f"at most {SYNC_PAGE_SIZE_MAX}."
                ),
            ),
            _FIELDS_PARAMETER,
            *RESPONSE_HEADERS,
        ],
        responses={200: SyncPageSerializer, **ERROR_RESPONSES(400), **_EXPIRED_RESPONSE},
        examples=[
            OpenApiExample(
                "One change and one removal",
                value={
                    "since": 40,
                    "cursor": 42,
                    "has_more": False,
                    "next": None,
                    "changed": {
                        "exercises": [{"slug": "hamstring-curl", "name": "Hamstring curl"}]
                    },
                    "removed": [{"type": "causes", "slug": "old-name"}],
                },
                response_only=True,
                status_codes=[200],
            )
        ],
    )
    def get(self, request, *args, **kwargs):
        since = _integer(request, "since", default=0, low=0)
        start = _integer(request, "start", default=since, low=0)
        if start > since:
            raise exceptions.ValidationError({"start": [f"Must be at most since ({since})."]})
        limit = _integer(request, "limit", default=SYNC_PAGE_SIZE, low=1, high=SYNC_PAGE_SIZE_MAX)
        fields = parse_fields(request)
        head = current_head()
        if since > head:
            raise exceptions.ValidationError(
                {"since": [f"Cursor {since} is ahead of the server (at {head})."]}
            )
        horizon = m.SyncHorizon.objects.values_list("pruned_through", flat=True).first() or 0
        # Pruning drops old removals only. A walk that began at 0 held nothing they concern
        # (an item appears once, at its latest entry); any other walk has lost them when
        # its position is behind the horizon.
        if start > 0 and since < horizon:
            return cursor_expired_response(request, since, horizon)
        # Each changed item once, at its latest entry; a page ends at its last item's entry,
        # so the next page (id > cursor) holds exactly the items not sent yet.
        keys = list(latest_entries(since, head)[: limit + 1])
        has_more = len(keys) > limit
        keys = keys[:limit]
        cursor = keys[-1]["last"] if has_more else head
        changed, removed = _resolve(keys, fields)
        # Any change may touch the ruleset (it embeds causes, symptoms, red flags...).
        self_check = current_ruleset(at_least=cursor) if keys else None
        next_url = None
        if has_more:
            query = request.query_params.copy()
            query["since"] = str(cursor)
            query["start"] = str(start)
            next_url = f"{request.path}?{query.urlencode()}"
        return Response(
            {
                "since": since,
                "cursor": cursor,
                "has_more": has_more,
                "next": next_url,
                "changed": changed,
                "removed": removed,
                "disclaimer": representations.current_disclaimer(),
                "self_check": self_check,
            },
            headers={"Cache-Control": SYNC_CACHE_CONTROL},
        )


def latest_entries(since: int, head: int):
    """Each item's latest entry in (since, head], in id order: walks the log from `since` along
    the primary key and stops at the page end (no GROUP BY over the whole log), so a page
    costs the same per item however long the log is."""
    log = m.ChangeLogEntry.objects
    later = log.filter(
        entity_type=OuterRef("entity_type"), slug=OuterRef("slug"), id__gt=OuterRef("id")
    ).filter(id__lte=head)
    return (
        log.filter(id__gt=since, id__lte=head)
        .exclude(entity_type=SYNONYM_ENTRY_TYPE)
        .exclude(Exists(later))
        .order_by("id")
        .values("entity_type", "slug", last=F("id"))
    )


def _resolve(keys, fields):
    """Published now: the full item; anything else: a tombstone."""
    slugs_by_type: dict[str, list[str]] = {}
    for key in keys:
        slugs_by_type.setdefault(key["entity_type"], []).append(key["slug"])
    changed, removed = {}, []
    for api_type in API_TYPES:
        slugs = slugs_by_type.pop(api_type, None)
        if not slugs:
            continue
        items = detail_items(m.MODELS_BY_API_TYPE[api_type], slugs=slugs)
        present = {item["slug"] for item in items}
        if items:
            changed[api_type] = _trim(items, fields)
        removed += [{"type": api_type, "slug": s} for s in slugs if s not in present]
    media_slugs = slugs_by_type.pop(MEDIA, None)
    if media_slugs:
        assets = media_assets(m.MediaAsset.objects.published().filter(slug__in=media_slugs))
        present = {asset["slug"] for asset in assets}
        if assets:
            changed[MEDIA] = assets
        removed += [{"type": MEDIA, "slug": s} for s in media_slugs if s not in present]
    slugs_by_type.pop(m.SELF_CHECK_TYPE, None)  # sent as `self_check`, never as items
    for api_type, slugs in slugs_by_type.items():  # a type that no longer exists
        removed += [{"type": api_type, "slug": s} for s in slugs]
    return changed, removed


@extend_schema(tags=["sync"])
class BundleView(StrictQueryMixin, APIView):
    """All published content in one cacheable response."""

    def allowed_query_params(self):
        return {"fields"}

    @extend_schema(
        operation_id="bundle",
        summary="All published content",
        description=(
            "The whole published set in one response, grouped by type (gzip or br when the "
            "client accepts it; ETag'd, so a repeat launch is a 304). Store it, then call "
            "`/api/v1/sync/?since=<cursor>` to stay current. `media` is the media manifest: "
            "download every file listed, check its `bytes` and `sha256`, keep it offline."
        ),
        parameters=[_FIELDS_PARAMETER, *RESPONSE_HEADERS],
        responses={200: BundlePayloadSerializer, **ERROR_RESPONSES(400)},
    )
    def get(self, request, *args, **kwargs):
        return bundle.respond(request, parse_fields(request))
