"""OpenAPI documentation of API v1: operations, parameters, error responses and examples."""

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema

from content_app.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from content_app.api.problems import PROBLEM_CONTENT_TYPE, problem
from content_app.api.v1 import representations as rep
from content_app.api.v1.examples import EXAMPLE_SLUGS, response_examples
from content_app.api.v1.filters import SLUG_PATTERN
from content_app.api.v1.serializers import ProblemSerializer, ValidationProblemSerializer

_ERRORS = {
    400: (
        ValidationProblemSerializer,
        "An unknown, repeated or invalid query parameter; `invalid_params` names each one.",
        problem(
            "invalid-parameter",
            "Invalid query parameter(s): page_size.",
            "/api/v1/causes/",
            invalid_params=[{"name": "page_size", "reason": "Must be at most 100."}],
        ),
    ),
    401: (
        ProblemSerializer,
        "An API key was sent but is not valid (unknown, revoked or expired). Send no key to "
        "read anonymously at the lower rate.",
        problem("invalid-api-key", "The API key is not valid.", "/api/v1/causes/"),
    ),
    404: (
        ProblemSerializer,
        "No published item has this slug, or the page is past the last page.",
        problem("not-found", "No published causes item has this slug.", "/api/v1/causes/x/"),
    ),
    405: (
        ProblemSerializer,
        "The API is read-only: only GET and HEAD are allowed (see the `Allow` header).",
        problem("method-not-allowed", 'Method "POST" not allowed.', "/api/v1/causes/"),
    ),
    406: (
        ProblemSerializer,
        "The `Accept` header asks for a format the API cannot produce (it serves JSON).",
        problem(
            "not-acceptable",
            "Could not satisfy the request Accept header.",
            "/api/v1/causes/",
        ),
    ),
    429: (
        ProblemSerializer,
        "Rate limit exceeded; retry after `Retry-After` seconds. API keys get a higher limit.",
        problem(
            "rate-limited",
            "Request was throttled. Expected available in 42 seconds.",
            "/api/v1/causes/",
        ),
    ),
    500: (
        ProblemSerializer,
        "The server failed; the error is logged. Never caused by input.",
        problem("server-error", "The server failed to answer; it has been logged.", "/api/v1/"),
    ),
    503: (
        ProblemSerializer,
        "The database is unavailable for a moment; retry after `Retry-After` seconds.",
        problem(
            "service-unavailable",
            "The database is unavailable; retry after Retry-After seconds.",
            "/api/v1/causes/",
        ),
    ),
}
# Problems every operation can answer with.
_ALWAYS = (401, 405, 406, 429, 500, 503)


def ERROR_RESPONSES(*statuses: int) -> dict:
    """`responses` entries for the given error statuses plus the ones every operation has."""
    responses = {}
    for status in sorted({*statuses, *_ALWAYS}):
        serializer, description, example = _ERRORS[status]
        responses[(status, PROBLEM_CONTENT_TYPE)] = OpenApiResponse(
            response=serializer,
            description=description,
            examples=[
                OpenApiExample(
                    f"problem-{status}",
                    value=example,
                    status_codes=[status],
                    response_only=True,
                    media_type=PROBLEM_CONTENT_TYPE,
                )
            ],
        )
    return responses


RESPONSE_HEADERS = [
    OpenApiParameter(
        "Retry-After",
        int,
        OpenApiParameter.HEADER,
        description="Seconds to wait before retrying.",
        response=[429, 503],
        required=True,
    ),
    OpenApiParameter(
        "RateLimit-Policy",
        str,
        OpenApiParameter.HEADER,
        description="The client's rate limit (IETF draft-ietf-httpapi-ratelimit-headers): "
        'policy name, quota `q` and window `w` in seconds, e.g. `"anonymous";q=300;w=60` '
        '(anonymous, per address) or `"partner";q=3000;w=60` (per API key). Present whenever '
        "a limit applies.",
        response=[200, 429],
    ),
    OpenApiParameter(
        "RateLimit",
        str,
        OpenApiParameter.HEADER,
        description="What is left of the quota: remaining requests `r` and seconds `t` until "
        'the window resets, e.g. `"anonymous";r=299;t=42`. Present whenever a limit applies.',
        response=[200, 429],
    ),
    OpenApiParameter(
        "WWW-Authenticate",
        str,
        OpenApiParameter.HEADER,
        description='The challenge for the scheme the client sent: `Api-Key realm="api"`, '
        'or `Bearer realm="api", error="invalid_token"` (RFC 6750).',
        response=[401],
        required=True,
    ),
    OpenApiParameter(
        "Allow",
        str,
        OpenApiParameter.HEADER,
        description="The methods the resource supports.",
        response=[405],
        required=True,
    ),
]


def _names_parameter(name: str, allowed: tuple, description: str, example: tuple):
    return OpenApiParameter(
        name,
        {"type": "array", "items": {"type": "string", "enum": list(allowed)}, "minItems": 1},
        style="form",
        explode=False,
        description=description,
        examples=[OpenApiExample(f"{name}: {','.join(example)}", value=list(example))],
    )


PAGE_PARAMETERS = [
    OpenApiParameter(
        "page",
        {"type": "integer", "minimum": 1},
        description="Page number, from 1. A page past the end is a 404 problem.",
        examples=[OpenApiExample("first page", value=1)],
    ),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
        description=f"Items per page (default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE}).",
        examples=[OpenApiExample("ten", value=10)],
    ),
]

_LABEL = {
    "anatomy": ("anatomy structure", "anatomy structures"),
    "causes": ("cause", "causes"),
    "symptoms": ("symptom", "symptoms"),
    "risk-factors": ("risk factor", "risk factors"),
    "red-flags": ("red flag", "red flags"),
    "exercises": ("exercise", "exercises"),
    "treatments": ("self-care measure", "self-care measures"),
    "sources": ("source", "sources"),
    "disclaimers": ("disclaimer", "disclaimers"),
}

_DETAIL_NOTES = {
    "causes": "Everything an app screen needs in one call: the structures involved, symptoms, "
    "risk factors, red flags (most urgent first), exercises in order with their dosage, "
    "self-care measures, sources and review dates.",
    "exercises": "The structured dosage, ordered steps, target structures, harder "
    "(progressions) and easier (regressions) variations, and the causes it helps.",
    "anatomy": "Its group (`parent`), members (`children`), and the causes, exercises and "
    "self-care measures that involve it.",
    "symptoms": "The red flags to show with it (most urgent first) and the causes it belongs to.",
    "disclaimers": "Exactly one disclaimer is published at a time; every content item's "
    "`disclaimer` refers to it.",
}


def collection_docs(model, page_serializer, detail_serializer) -> dict:
    """`extend_schema_view` arguments for one collection's list and detail operations."""
    api_type = model.api_type
    one, many = _LABEL[api_type]
    tag = api_type
    list_fields = rep.LIST_FIELDS[api_type]
    detail_fields = rep.DETAIL_FIELDS[api_type]
    expandable = rep.EXPANDABLE[api_type]
    list_doc = extend_schema(
        operation_id=f"{api_type.replace('-', '_')}_list",
        summary=f"List published {many}",
        description=(
            f"Published {many}, compact, paginated. Filter with the parameters below; unknown "
            "parameters and invalid values are a 400 problem naming the parameter."
        ),
        tags=[tag],
        parameters=[
            *PAGE_PARAMETERS,
            _names_parameter(
                "fields",
                list_fields,
                "Only these fields of each item (comma-separated).",
                list_fields[:2],
            ),
            *RESPONSE_HEADERS,
        ],
        responses={
            200: OpenApiResponse(page_serializer, description=f"One page of {many}."),
            **ERROR_RESPONSES(400, 404),
        },
        examples=response_examples(f"{api_type}-list"),
    )
    detail_doc = extend_schema(
        operation_id=f"{api_type.replace('-', '_')}_retrieve",
        summary=f"Get one published {one}",
        description=(
            f"One published {one} with its related items as compact references (slug, name, "
            "url and the relation's own attributes). Related items that are not published are "
            "never shown. " + _DETAIL_NOTES.get(api_type, "")
        ).strip(),
        tags=[tag],
        parameters=[
            OpenApiParameter(
                "slug",
                str,
                OpenApiParameter.PATH,
                pattern=SLUG_PATTERN,
                description=f"The {one}'s slug (its stable public id).",
                examples=[OpenApiExample(EXAMPLE_SLUGS[api_type], value=EXAMPLE_SLUGS[api_type])],
            ),
            _names_parameter(
                "fields",
                detail_fields,
                "Only these fields (comma-separated).",
                detail_fields[:2],
            ),
            *(
                [
                    _names_parameter(
                        "expand",
                        expandable,
                        "Relations whose references get an `item` with the related item's "
                        "full detail (one level deep; comma-separated).",
                        expandable[:1],
                    )
                ]
                if expandable
                else []
            ),
            *RESPONSE_HEADERS,
        ],
        responses={
            200: OpenApiResponse(detail_serializer, description=f"The {one}."),
            **ERROR_RESPONSES(400, 404),
        },
        examples=response_examples(f"{api_type}-detail"),
    )
    return {"list": list_doc, "retrieve": detail_doc}


def require_non_empty_arrays(result, generator, request, public):
    """drf-spectacular postprocessing hook: array query parameters take at least one value.

    The API answers `?ordering=` (an empty list) with a 400 like any other empty parameter;
    the schema says so, so generated clients and contract tests agree with the server.
    """
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                schema = parameter.get("schema", {})
                if parameter.get("in") == "query" and schema.get("type") == "array":
                    schema.setdefault("minItems", 1)
    return result


def close_objects(result, generator, request, public):
    """drf-spectacular postprocessing hook: every served object is closed.

    The representations emit exactly the declared keys (tests/api/test_shapes.py), so the
    schema forbids undeclared ones: a key added without its serializer field fails the
    contract test and strict generated models, instead of passing silently.
    """
    for component in result.get("components", {}).get("schemas", {}).values():
        if component.get("type") == "object" and "properties" in component:
            component.setdefault("additionalProperties", False)
    return result


_NULL = {"type": "null"}


def _nullable_as_any_of(node):
    if isinstance(node, dict):
        for key in ("oneOf", "anyOf"):
            options = node.get(key)
            if not isinstance(options, list):
                continue
            options = [_NULL if o.get("$ref", "").endswith("/NullEnum") else o for o in options]
            if _NULL in options:
                # `{allOf: [$ref]}` inside the union says no more than the `$ref` itself.
                options = [
                    o["allOf"][0] if set(o) == {"allOf"} and len(o["allOf"]) == 1 else o
                    for o in options
                ]
                del node[key]
                node["anyOf"] = options
        for value in node.values():
            _nullable_as_any_of(value)
    elif isinstance(node, list):
        for value in node:
            _nullable_as_any_of(value)


def nullable_references(result, generator, request, public):
    """drf-spectacular postprocessing hook (after the enum hook): in OpenAPI 3.1 a nullable
    reference or enum is `anyOf: [{$ref}, {type: 'null'}]`, plain JSON Schema 2020-12.

    drf-spectacular writes `oneOf` and puts null in a `NullEnum` component; a union with null is
    the same under anyOf (the options are disjoint), which every validator and generator reads
    alike (openapi-core, openapi-python-client, datamodel-code-generator, openapi-typescript),
    and the inline `{type: 'null'}` spares partners a `NullEnum` type of their own.
    """
    _nullable_as_any_of(result)
    result.get("components", {}).get("schemas", {}).pop("NullEnum", None)
    return result


def semantic_version(result, generator, request, public):
    """drf-spectacular postprocessing hook: `info.version` is the bare semantic version.

    drf-spectacular writes `1.1.0 (v1)` when a versioning class is on; generated client
    packages take their version from it and `pip wheel` refuses anything but PEP 440.
    """
    result["info"]["version"] = settings.API_CONTRACT_VERSION
    return result


# --- HTTP caching in the contract ---------------------------------------------------------------

_CACHING_HEADERS_200 = {
    "ETag": (
        True,
        "Strong validator of this representation; each content coding has its own "
        '(`"<hash>"`, `"<hash>-gzip"`, `"<hash>-br"`). Send it back in `If-None-Match`.',
    ),
    "Cache-Control": (
        True,
        "`public, max-age=…, stale-while-revalidate=…`; sync pages are `public, no-cache` "
        "(store, but revalidate every time).",
    ),
    "Vary": (True, "`Accept, Accept-Encoding`."),
    "Last-Modified": (
        False,
        "When this representation last changed (an item: itself or what it embeds; a list: "
        "its collection; otherwise: any published content). Omitted for changes less than a "
        "second old.",
    ),
}
_CACHING_HEADERS_304 = ("ETag", "Cache-Control", "Vary")
_CONDITIONAL_PARAMETERS = [
    {
        "in": "header",
        "name": "If-None-Match",
        "schema": {"type": "string"},
        "description": "ETags the client holds; a match (weak comparison) is a 304.",
    },
    {
        "in": "header",
        "name": "If-Modified-Since",
        "schema": {"type": "string"},
        "description": "Ignored when If-None-Match is sent; not later changed is a 304.",
    },
]


def _header(name: str, required: bool) -> dict:
    return {
        "schema": {"type": "string"},
        "description": _CACHING_HEADERS_200[name][1],
        "required": required,
    }


def http_caching_contract(result, generator, request, public):
    """drf-spectacular postprocessing hook: every GET declares what ApiCacheMiddleware does.

    The caching headers on its 200, the conditional request headers, a bodiless 304, and a
    HEAD operation answering like the GET without bodies (content_app/caching/).
    """
    for path in result.get("paths", {}).values():
        get = path.get("get")
        if not isinstance(get, dict) or "200" not in get.get("responses", {}):
            continue
        responses = get["responses"]
        headers = responses["200"].setdefault("headers", {})
        for name, (required, _) in _CACHING_HEADERS_200.items():
            headers[name] = _header(name, required)
        responses["304"] = {
            "description": "Not Modified: the representation the client holds is current. "
            "No body; only the headers below (and Date).",
            "headers": {name: _header(name, True) for name in _CACHING_HEADERS_304},
        }
        get["responses"] = dict(sorted(responses.items()))
        names = {parameter.get("name") for parameter in get.get("parameters", [])}
        get.setdefault("parameters", []).extend(
            dict(p) for p in _CONDITIONAL_PARAMETERS if p["name"] not in names
        )
        head = {key: value for key, value in get.items() if key != "responses"}
        head["operationId"] = f"{get['operationId']}_head"
        head["summary"] = f"{get.get('summary', '')} (headers only)".strip()
        head["description"] = "The GET's status and headers, without a body."
        head["responses"] = {
            status: {k: v for k, v in response.items() if k != "content"}
            for status, response in get["responses"].items()
        }
        path["head"] = head
    return result
