"""Thin read-only views of API v1. Querysets pick the rows, `representations` shapes them."""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse, HttpResponseNotAllowed
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework import exceptions, viewsets
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from content_app import models as m
from content_app.api.pagination import page_envelope, paginate
from content_app.api.problems import PROBLEM_CONTENT_TYPE
from content_app.api.renderers import OrjsonRenderer
from content_app.api.v1 import representations as rep
from content_app.api.v1.examples import response_examples
from content_app.api.v1.filters import FILTERSETS, SLUG_PATTERN
from content_app.api.v1.schema import (
    ERROR_RESPONSES,
    PAGE_PARAMETERS,
    RESPONSE_HEADERS,
    collection_docs,
)
from content_app.api.v1.serializers import (
    ROOT_ALIASES,
    ROOT_LINKS,
    SERIALIZERS,
    ApiRootSerializer,
    SearchPageSerializer,
)
from content_app.search.backends import MAX_RESULTS
from content_app.search.service import SearchHits

SEARCH_MAX_LENGTH = 100
_CONTROL = {*range(0x00, 0x20), *range(0x7F, 0xA0)}


class StrictQueryMixin:
    """Unknown or repeated query parameters are a 400 problem naming them."""

    http_method_names = ["get", "head"]

    def allowed_query_params(self) -> set[str]:
        return set()

    # Array parameters: `a,b` is the documented form (style=form, explode=false), but generated
    # clients often send `?name=a&name=b` whatever the schema says; both mean the same list.
    list_query_params = frozenset({"fields", "expand", "ordering"})

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method.lower() not in self.http_method_names:
            return  # dispatch answers 405; the query does not matter
        allowed = self.allowed_query_params()
        self._join_repeated_lists(request, allowed)
        errors = {}
        for name in request.query_params:
            if name not in allowed:
                errors[name] = [f"Unknown parameter. Allowed: {', '.join(sorted(allowed))}."]
            elif len(request.query_params.getlist(name)) > 1:
                errors[name] = ["Given more than once."]
            elif request.query_params[name] == "":
                errors[name] = ["Must not be empty; leave the parameter out instead."]
        if errors:
            raise exceptions.ValidationError(errors)

    def _join_repeated_lists(self, request, allowed):
        repeated = [
            name
            for name in self.list_query_params & allowed
            if len(request.query_params.getlist(name)) > 1
        ]
        if not repeated:
            return
        query = request._request.GET.copy()
        for name in repeated:
            query.setlist(name, [",".join(query.getlist(name))])
        query._mutable = False
        request._request.GET = query  # DRF's request.query_params reads it


def _names(request, param: str, allowed: tuple) -> tuple:
    """Parse a comma-separated list of names (`fields`, `expand`) against an allow-list."""
    raw = request.query_params.get(param)
    if raw is None:
        return ()
    names = tuple(raw.split(","))
    unknown = [name for name in names if name not in allowed]
    if not raw or unknown:
        shown = ", ".join(repr(name) for name in unknown) or "an empty value"
        raise exceptions.ValidationError(
            {param: [f"Unknown name(s) {shown}. Allowed: {', '.join(allowed)}."]}
        )
    return names


def _trim(item: dict, fields: tuple) -> dict:
    if not fields:
        return item
    return {key: value for key, value in item.items() if key in fields}


class ContentViewSet(StrictQueryMixin, viewsets.GenericViewSet):
    """List and detail of one collection; published items only, related items too."""

    model: type = None
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN.strip("^$")
    filter_backends = [DjangoFilterBackend]
    pagination_class = None  # paginated by hand: strict parameters, documented envelope

    @property
    def api_type(self) -> str:
        return self.model.api_type

    def get_queryset(self):
        return self.model.objects.published()

    def allowed_query_params(self):
        if self.action == "list":
            return {"page", "page_size", "fields", *self.filterset_class.base_filters}
        return {"fields", "expand"}

    def list(self, request, *args, **kwargs):
        fields = _names(request, "fields", rep.LIST_FIELDS[self.api_type])
        queryset = self.get_queryset()
        if not self.filterset_class.base_filters.keys().isdisjoint(request.query_params):
            # Building a FilterSet deep-copies every filter: only pay for it when filtering.
            queryset = self.filter_queryset(queryset)
        page, page_size = paginate(request, rep.list_rows(queryset))
        items = rep.list_items(self.model, page.items)
        if fields:
            items = [_trim(item, fields) for item in items]
        return Response(page_envelope(request, page, page_size, items))

    def retrieve(self, request, *args, **kwargs):
        fields = _names(request, "fields", rep.DETAIL_FIELDS[self.api_type])
        expand = _names(request, "expand", rep.EXPANDABLE[self.api_type])
        queryset = self.get_queryset().filter(slug=kwargs[self.lookup_field])
        items = rep.detail_representations(queryset, expand=expand)
        if not items:
            raise exceptions.NotFound(f"No published {self.api_type} item has this slug.")
        return Response(_trim(items[0], fields))


def _content_viewset(model):
    _list, detail_serializer, page_serializer = SERIALIZERS[model.api_type]
    docs = collection_docs(model, page_serializer, detail_serializer)
    return extend_schema_view(**docs)(
        type(
            f"{model.__name__}ViewSet",
            (ContentViewSet,),
            {
                "model": model,
                "filterset_class": FILTERSETS[model.api_type],
                "serializer_class": detail_serializer,
                "__module__": __name__,
                "__doc__": model.__doc__,
            },
        )
    )


AnatomyViewSet = _content_viewset(m.AnatomyStructure)
CauseViewSet = _content_viewset(m.Cause)
SymptomViewSet = _content_viewset(m.Symptom)
RiskFactorViewSet = _content_viewset(m.RiskFactor)
RedFlagViewSet = _content_viewset(m.RedFlag)
ExerciseViewSet = _content_viewset(m.Exercise)
TreatmentViewSet = _content_viewset(m.Treatment)
SourceViewSet = _content_viewset(m.Source)
DisclaimerViewSet = _content_viewset(m.Disclaimer)

CONTENT_VIEWSETS = (
    AnatomyViewSet,
    CauseViewSet,
    SymptomViewSet,
    RiskFactorViewSet,
    RedFlagViewSet,
    ExerciseViewSet,
    TreatmentViewSet,
    SourceViewSet,
    DisclaimerViewSet,
)


class ProblemErrorsMixin:
    """Schema and docs views: errors are problem+json like everywhere else (their own renderers
    would write them as YAML or HTML), and only GET and HEAD are allowed."""

    http_method_names = ["get", "head"]

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code >= 400:
            request.accepted_renderer = OrjsonRenderer()
            request.accepted_media_type = PROBLEM_CONTENT_TYPE
        return super().finalize_response(request, response, *args, **kwargs)


class SchemaView(ProblemErrorsMixin, SpectacularAPIView):
    pass


class SwaggerView(ProblemErrorsMixin, SpectacularSwaggerSplitView):
    pass


class RedocView(ProblemErrorsMixin, SpectacularRedocView):
    """Redoc without Google Fonts or the CDN logo (content_app/templates/content_app/redoc.html)."""

    template_name = "content_app/redoc.html"

    @staticmethod
    def _redoc_standalone():
        return reverse("v1:redoc-bundle")


# The Redoc bundle's side menu shows a logo from Redocly's CDN, which the CSP (img-src 'self')
# blocks with a console error; the bundle is served with that image as an inline SVG.
REDOC_CDN_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
REDOC_LOCAL_LOGO = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"


@cache
def redoc_bundle() -> bytes:
    path = finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")
    return Path(path).read_bytes().replace(REDOC_CDN_LOGO.encode(), REDOC_LOCAL_LOGO.encode())


def redoc_bundle_view(request):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    response = HttpResponse(redoc_bundle(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


class ApiRootView(StrictQueryMixin, APIView):
    @extend_schema(
        operation_id="api_root",
        summary="List the collections and the disclaimer",
        description=(
            "Paths of every collection (by its type id, as in URLs), search, sync, bundle, "
            "changes and the self-check, the schema and its documentation, the content's "
            "licence, and the disclaimer the API carries (show it with the content)."
        ),
        tags=["root"],
        parameters=RESPONSE_HEADERS,
        responses={
            200: OpenApiResponse(ApiRootSerializer, description="Where everything is."),
            **ERROR_RESPONSES(400),
        },
        examples=response_examples("root"),
    )
    def get(self, request, *args, **kwargs):
        links = {api_type: reverse(f"v1:{api_type}-list") for api_type in m.MODELS_BY_API_TYPE}
        for name in ROOT_LINKS[len(links) :]:
            links[name] = reverse(f"v1:{name}")
        links["licence"] = settings.CONTENT_LICENCE
        links["disclaimer"] = rep.current_disclaimer()
        for alias, name in ROOT_ALIASES.items():
            links[alias] = links[name]
        return Response(links)


def _search_query(request) -> str:
    q = request.query_params.get("q")
    if q is None:
        raise exceptions.ValidationError({"q": ["Required."]})
    if not q or len(q) > SEARCH_MAX_LENGTH:
        raise exceptions.ValidationError(
            {"q": [f"Must be 1 to {SEARCH_MAX_LENGTH} characters long."]}
        )
    if any(ord(char) in _CONTROL for char in q):
        raise exceptions.ValidationError({"q": ["Must not contain control characters."]})
    return q


class SearchView(StrictQueryMixin, APIView):
    def allowed_query_params(self):
        return {"q", "type", "page", "page_size"}

    @extend_schema(
        operation_id="search",
        summary="Search every collection",
        description=(
            "Full-text search across all published content, best match first. A match in the name "
            "weighs more than one in the summary, which weighs more than one in the body. Words "
            "are stemmed (English), the last word also matches as a prefix (`hamstr`), and the "
            "synonyms editors keep are searched too (`Baker's cyst` also finds `popliteal "
            'cyst`). On PostgreSQL the query takes web-search syntax (`"exact phrase"`, '
            "`-exclude`, `or`); on SQLite every word must occur. Each result carries a "
            "`highlight`: the best-matching field and an HTML-safe snippet of it (text escaped, "
            "matched words in `<mark>`). When nothing matches, the results are those of the "
            "closest spelling, named in `did_you_mean` (null otherwise). A search serves at "
            f"most {MAX_RESULTS} results: when more match, `count` is {MAX_RESULTS}, "
            "`count_capped` is true and the results are the best of the first matches the "
            "index yields (name matches first); narrow the query to see others."
        ),
        tags=["search"],
        parameters=[
            OpenApiParameter(
                "q",
                {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": SEARCH_MAX_LENGTH,
                    "pattern": "^[^\\u0000-\\u001F\\u007F-\\u009F]+$",
                },
                required=True,
                description="What to look for: 1 to 100 characters, no control characters.",
                examples=[
                    OpenApiExample("A word", value="hamstring"),
                    OpenApiExample("Several words", value="swelling behind knee"),
                ],
            ),
            OpenApiParameter(
                "type",
                str,
                enum=list(m.MODELS_BY_API_TYPE),
                description="Only results of this type (a collection name).",
            ),
            *PAGE_PARAMETERS,
            *RESPONSE_HEADERS,
        ],
        responses={
            200: OpenApiResponse(SearchPageSerializer, description="One page of results."),
            **ERROR_RESPONSES(400, 404),
        },
        examples=response_examples("search"),
    )
    def get(self, request, *args, **kwargs):
        q = _search_query(request)
        api_type = request.query_params.get("type")
        if api_type is not None and api_type not in m.MODELS_BY_API_TYPE:
            raise exceptions.ValidationError(
                {"type": [f"Unknown type. Allowed: {', '.join(m.MODELS_BY_API_TYPE)}."]}
            )
        hits = SearchHits(q, api_type)
        page, page_size = paginate(request, hits)
        body = page_envelope(request, page, page_size, page.items)
        body["did_you_mean"] = hits.did_you_mean
        body["count_capped"] = hits.count_capped
        return Response(body)
