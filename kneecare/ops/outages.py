"""A database outage is a 503 with Retry-After, never a 500 or a hang.

`is_database_outage` names the errors an unreachable, hung or restarting database raises
(`OperationalError`, `InterfaceError`); the DRF exception handler and `handler500` (which sees
errors raised in middleware, e.g. by the response cache or sessions) answer them with
`unavailable_response`: an RFC 9457 problem under /api/, a short plain page elsewhere (admin).
`wsgi_unavailable` is the same answer for code that runs before Django (a WSGI front).
"""

import sys

import orjson
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse

DATABASE_ERRORS = (OperationalError, InterfaceError)
DATABASE_DETAIL = "The database is unavailable; retry after Retry-After seconds."
_PAGE = (
    "<!doctype html><title>Service unavailable</title><h1>Service unavailable</h1>"
    "<p>KneeCare cannot reach its database right now. Please try again in a moment.</p>"
)


def is_database_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, DATABASE_ERRORS)


def current_outage() -> bool:
    """True inside an `except` block handling a database outage (handler500)."""
    return is_database_outage(sys.exc_info()[1])


def retry_after() -> int:
    return settings.DB_RETRY_AFTER


def _problem_body(path: str) -> bytes:
    from content_app.api.problems import problem

    return orjson.dumps(problem("service-unavailable", DATABASE_DETAIL, path))


def unavailable_response(request) -> HttpResponse:
    if request.path.startswith("/api/"):
        from content_app.api.problems import PROBLEM_CONTENT_TYPE

        response = HttpResponse(
            _problem_body(request.path), status=503, content_type=PROBLEM_CONTENT_TYPE
        )
    else:
        response = HttpResponse(_PAGE, status=503)
    response["Retry-After"] = str(retry_after())
    response["Cache-Control"] = "no-store"
    return response


def wsgi_unavailable(environ, start_response):
    """The /api/ answer as a WSGI response, for code that runs before Django's handler."""
    from content_app.api.problems import PROBLEM_CONTENT_TYPE

    body = _problem_body(environ.get("PATH_INFO", ""))
    start_response(
        "503 Service Unavailable",
        [
            ("Content-Type", PROBLEM_CONTENT_TYPE),
            ("Content-Length", str(len(body))),
            ("Retry-After", str(retry_after())),
            ("Cache-Control", "no-store"),
        ],
    )
    return [body]
