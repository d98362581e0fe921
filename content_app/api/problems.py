"""Every error under /api/ as `application/problem+json` (RFC 9457), never HTML or a traceback.

- DRF views: `problem_exception_handler` (REST_FRAMEWORK["EXCEPTION_HANDLER"]) turns every
  exception, expected or not, into a problem; unexpected ones are logged and answered with 500.
- Unknown routes and versions (/api/v9/...): the catch-all `api_not_found` route, which also
  works with DEBUG on (Django skips handler404 then).
- Errors raised outside the views: `handler404`/`handler500` in kneecare/urls.py delegate here
  for /api/ paths.
"""

import logging

import orjson
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from rest_framework import exceptions
from rest_framework.response import Response

from kneecare.ops import outages

logger = logging.getLogger("content_app.api")

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:kneecare:problem:"

# name -> (status, title). The type URI is PROBLEM_TYPE_PREFIX + name; both are stable.
PROBLEM_TYPES = {
    "invalid-parameter": (400, "Invalid request parameter"),
    "bad-request": (400, "Bad request"),
    "invalid-api-key": (401, "Invalid API key"),
    "forbidden": (403, "Forbidden"),
    "not-found": (404, "Not found"),
    "method-not-allowed": (405, "Method not allowed"),
    "not-acceptable": (406, "Not acceptable"),
    "sync-cursor-expired": (410, "Sync cursor expired"),
    "unsupported-media-type": (415, "Unsupported media type"),
    "rate-limited": (429, "Too many requests"),
    "server-error": (500, "Internal server error"),
    "service-unavailable": (503, "Service unavailable"),
}

_BY_EXCEPTION = (
    (exceptions.ValidationError, "invalid-parameter"),
    (exceptions.ParseError, "bad-request"),
    (exceptions.AuthenticationFailed, "invalid-api-key"),
    (exceptions.NotAuthenticated, "invalid-api-key"),
    (exceptions.PermissionDenied, "forbidden"),
    (exceptions.NotFound, "not-found"),
    (exceptions.MethodNotAllowed, "method-not-allowed"),
    (exceptions.NotAcceptable, "not-acceptable"),
    (exceptions.UnsupportedMediaType, "unsupported-media-type"),
    (exceptions.Throttled, "rate-limited"),
)


def problem_type(name: str) -> str:
    return PROBLEM_TYPE_PREFIX + name


def problem(name: str, detail: str, instance: str, **extra) -> dict:
    status, title = PROBLEM_TYPES[name]
    body = {
        "type": problem_type(name),
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    body.update(extra)
    return body


def _flatten(detail, prefix="") -> list[dict]:
    """DRF/django-filter error details as RFC 9457 `invalid_params` entries."""
    if isinstance(detail, dict):
        params = []
        for name, value in detail.items():
            key = "request" if name == "non_field_errors" else str(name)
            params += _flatten(value, f"{prefix}.{key}" if prefix else key)
        return params
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return [{"name": prefix or "request", "reason": " ".join(str(i) for i in detail)}]
        params = []
        for item in detail:
            params += _flatten(item, prefix)
        return params
    return [{"name": prefix or "request", "reason": str(detail)}]


def _validation_problem(exc: exceptions.ValidationError, instance: str) -> dict:
    invalid = _flatten(exc.detail)
    names = ", ".join(dict.fromkeys(p["name"] for p in invalid))
    return problem(
        "invalid-parameter",
        f"Invalid query parameter(s): {names}.",
        instance,
        invalid_params=invalid,
    )


def problem_exception_handler(exc, context):
    """DRF EXCEPTION_HANDLER: a problem+json response for every exception."""
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    headers = {}
    if isinstance(exc, exceptions.ValidationError):
        body = _validation_problem(exc, instance)
    elif isinstance(exc, exceptions.APIException):
        name = next((n for cls, n in _BY_EXCEPTION if isinstance(exc, cls)), None)
        if name is None:
            name = "server-error" if exc.status_code >= 500 else "bad-request"
        body = problem(name, str(exc.detail), instance)
        body["status"] = exc.status_code
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None) is not None:
            headers["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
    elif outages.is_database_outage(exc):
        logger.error("Database unavailable on %s: %s", instance, exc)
        body = problem("service-unavailable", outages.DATABASE_DETAIL, instance)
        headers["Retry-After"] = str(outages.retry_after())
    else:
        logger.error("Unhandled error on %s", instance, exc_info=exc)
        body = problem("server-error", "The server failed to answer; it has been logged.", instance)

    response = Response(body, status=body["status"], headers=headers)
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def problem_response(request, name: str, detail: str, status=None, **extra) -> HttpResponse:
    """A problem outside DRF (plain Django views and handlers)."""
    body = problem(name, detail, request.path, **extra)
    if status is not None:
        body["status"] = status
    return HttpResponse(
        orjson.dumps(body), status=body["status"], content_type=PROBLEM_CONTENT_TYPE
    )


def _with_slash_resolves(path: str) -> bool:
    try:
        match = resolve(path + "/")
    except Resolver404:
        return False
    return match.func is not api_not_found


def api_not_found(request, *args, **kwargs):
    """Catch-all for /api/: unknown routes and versions are a 404 problem, not an HTML page."""
    if not request.path.endswith("/") and _with_slash_resolves(request.path):
        # The catch-all would otherwise swallow CommonMiddleware's APPEND_SLASH redirect.
        query = request.META.get("QUERY_STRING", "")
        response = HttpResponsePermanentRedirect(
            request.path + "/" + (f"?{query}" if query else "")
        )
        del response["Content-Type"]  # the body is empty: no text/html under /api/
        return response
    return problem_response(
        request,
        "not-found",
        f"There is no API resource at {request.path}. The API lives under /api/v1/.",
    )


def is_api_request(request) -> bool:
    return request.path.startswith("/api/")


def api_handler404(request, exception=None):
    return problem_response(request, "not-found", "Not found.")


def api_handler500(request):
    return problem_response(request, "server-error", "The server failed to answer.")
