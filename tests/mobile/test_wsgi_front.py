"""CachedApiWSGI (kneecare/wsgi.py): anonymous hits answered before Django, identically.

The front only ever answers from entries the middleware stored; everything else must reach
the Django application behind it, stood in for here by a recording fake.
"""

import pytest
from django.test import RequestFactory

from content_app.api.cors import CrossOriginAwareFront
from content_app.caching import CachedApiWSGI
from tests import factories as f

DETAIL = "/api/v1/causes/{}/"


class DjangoStandIn:
    def __init__(self):
        self.calls = []

    def __call__(self, environ, start_response):
        self.calls.append(environ["PATH_INFO"])
        start_response("418 I'm a teapot", [("Content-Type", "text/plain")])
        return [b"from django"]


@pytest.fixture
def django_app():
    return DjangoStandIn()


@pytest.fixture
def front(django_app):
    app = CrossOriginAwareFront(django_app)  # the front kneecare/wsgi.py serves

    def get(path, **headers):
        environ = RequestFactory().get(path, **headers).environ
        captured = {}

        def start_response(status, response_headers):
            captured["status"] = status
            captured["headers"] = dict(response_headers)

        body = b"".join(app(environ, start_response))
        return captured["status"], captured["headers"], body

    return get


@pytest.fixture
def cause(db):
    return f.CauseExerciseFactory().cause


def test_a_hit_is_answered_without_queries_and_matches_the_django_response(
    api_client, cause, front, django_app, django_assert_num_queries
):
    path = DETAIL.format(cause.slug)
    api_client.get(path)  # the middleware stores the entry
    django_hit = api_client.get(path)
    with django_assert_num_queries(0):
        status, headers, body = front(path)
    assert django_app.calls == []
    assert status == "200 OK"
    assert body == django_hit.content
    # X-Request-ID is per request (kneecare/ops/wsgi.py adds it to the front's answers).
    assert headers == {k: v for k, v in django_hit.items() if k != "X-Request-ID"}
    assert headers["X-Content-Type-Options"] == "nosniff"  # added by SecurityMiddleware


def test_revalidation_is_a_304_from_the_front(api_client, cause, front, django_app):
    path = DETAIL.format(cause.slug)
    etag = api_client.get(path)["ETag"]
    status, headers, body = front(path, HTTP_IF_NONE_MATCH=etag)
    assert (status, body, headers["ETag"]) == ("304 Not Modified", b"", etag)
    assert django_app.calls == []


def test_requests_with_credentials_go_to_django(api_client, cause, front, django_app):
    path = DETAIL.format(cause.slug)
    api_client.get(path)
    for header in ("HTTP_X_API_KEY", "HTTP_AUTHORIZATION", "HTTP_COOKIE"):
        assert front(path, **{header: "x"})[0].startswith("418")
    assert django_app.calls == [path] * 3


def test_misses_and_other_paths_go_to_django(api_client, cause, front, django_app):
    path = DETAIL.format(cause.slug)
    assert front(path)[0].startswith("418")  # nothing stored yet
    api_client.get(path)
    cause.name = "Renamed cause"
    cause.save()  # a new content version: the stored entry no longer matches
    assert front(path)[0].startswith("418")
    assert front("/admin/")[0].startswith("418")
    assert django_app.calls == [path, path, "/admin/"]


def test_throttling_applies_to_hits_from_the_front(api_client, db, settings, front, django_app):
    settings.ROOT_URLCONF = "tests.mobile.urls_gated"
    assert api_client.get("/api/v1/throttled/").status_code == 200
    assert front("/api/v1/throttled/")[0] == "200 OK"
    assert front("/api/v1/throttled/")[0].startswith("418")  # over the limit: Django answers
    assert django_app.calls == ["/api/v1/throttled/"]


def test_a_miss_goes_to_django_with_the_content_version_the_front_read(cause, monkeypatch):
    # One signal read per request (issue 14): the response cache and the view behind the front
    # use the version the front keyed the request with, and only for that request.
    from content_app.caching import version

    known = version.content_version()
    signal = version.signal()
    reads = []
    read = signal.read
    monkeypatch.setattr(signal, "read", lambda: reads.append(1) or read())
    seen = []

    def django(environ, start_response):
        seen.append(version.content_version())
        start_response("418 I'm a teapot", [("Content-Type", "text/plain")])
        return [b"from django"]

    app = CrossOriginAwareFront(django)
    environ = RequestFactory().get(DETAIL.format(cause.slug)).environ
    assert b"".join(app(environ, lambda status, headers: None)) == b"from django"
    assert (seen, len(reads)) == ([known], 1)
    version.content_version()
    assert len(reads) == 2  # after the request, reads check the signal again


def test_kneecare_wsgi_application_is_wrapped_by_the_front():
    from kneecare.ops.wsgi import OperationsWSGI
    from kneecare.wsgi import application

    # Outermost the operations layer (503 problems for database errors, request ids).
    assert isinstance(application, OperationsWSGI)
    assert isinstance(application.application, CachedApiWSGI)


def test_anything_the_front_cannot_read_goes_to_django_untouched(
    api_client, cause, front, django_app, monkeypatch
):
    from django.db import OperationalError

    from content_app.caching import version

    path = DETAIL.format(cause.slug)
    api_client.get(path)
    flood = "&".join(f"a{n}=1" for n in range(1001))
    assert front(f"{path}?{flood}")[0].startswith("418")  # TooManyFieldsSent in the front
    assert front("/api/v1/causes/%E8%86%9D/")[0].startswith("418")

    def down():
        raise OperationalError("connection refused")

    version.forget_content_version()
    monkeypatch.setattr(version, "read_version_from_db", down)
    assert front(path)[0].startswith("418")  # content_version() raised: Django answers (503)
