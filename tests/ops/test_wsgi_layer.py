"""The outermost WSGI layer: what runs before Django (the cached-API front) also answers a
database outage with a 503 problem, and every response has a request id."""

import json

from django.db import OperationalError

from kneecare.ops.wsgi import OperationsWSGI


def _call(app, **environ):
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"], captured["headers"] = status, dict(headers)

    body = b"".join(app({"PATH_INFO": "/api/v1/causes/", **environ}, start_response))
    return captured["status"], captured["headers"], body


def test_a_database_error_before_django_is_a_503_problem():
    def front(environ, start_response):
        raise OperationalError("connection refused")

    status, headers, body = _call(OperationsWSGI(front))

    assert status.startswith("503")
    assert headers["Content-Type"] == "application/problem+json"
    assert int(headers["Retry-After"]) > 0
    assert json.loads(body)["type"] == "urn:kneecare:problem:service-unavailable"
    assert len(headers["X-Request-ID"]) == 32


def test_responses_from_before_django_get_a_request_id():
    def front(environ, start_response):
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b"{}"]

    _, headers, _ = _call(OperationsWSGI(front), HTTP_X_REQUEST_ID="edge-42")
    _, fresh, _ = _call(OperationsWSGI(front), HTTP_X_REQUEST_ID="not sane!")

    assert headers["X-Request-ID"] == "edge-42"
    assert fresh["X-Request-ID"] != "not sane!" and len(fresh["X-Request-ID"]) == 32


def test_hits_answered_before_django_show_the_rate_limit():
    from content_app.api.throttling import ENVIRON_KEY, RateLimitState

    def front(environ, start_response):  # the throttles ran in the front's gate
        environ[ENVIRON_KEY] = RateLimitState("anonymous", 300, 60, 299, 42)
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b"{}"]

    _, headers, _ = _call(OperationsWSGI(front))

    assert headers["RateLimit-Policy"] == '"anonymous";q=300;w=60'
    assert headers["RateLimit"] == '"anonymous";r=299;t=42'
