"""CachedApiWSGI (kneecare/wsgi.py): anonymous hits answered before Django, identically."""

import pytest
from django.test import RequestFactory

from kneecare.wsgi import application
from tests import factories as f

DETAIL = "/api/v1/causes/{}/"


def wsgi_get(path, **headers):
    environ = RequestFactory().get(path, **headers).environ
    captured = {}

    def start_response(status, response_headers):
        captured["status"] = status
        captured["headers"] = dict(response_headers)

    body = b"".join(application(environ, start_response))
    return captured["status"], captured["headers"], body


@pytest.fixture
def cause(db):
    return f.CauseExerciseFactory().cause


def test_a_hit_is_answered_without_queries_and_matches_the_django_response(
    api_client, cause, django_assert_num_queries
):
    path = DETAIL.format(cause.slug)
    api_client.get(path)  # stores the entry
    django_hit = api_client.get(path)
    with django_assert_num_queries(0):
        status, headers, body = wsgi_get(path)
    assert status == "200 OK"
    assert body == django_hit.content
    assert headers == dict(django_hit.items())
    assert headers["X-Content-Type-Options"] == "nosniff"  # added by SecurityMiddleware


def test_revalidation_is_a_304_from_the_front(api_client, cause):
    path = DETAIL.format(cause.slug)
    etag = api_client.get(path)["ETag"]
    status, headers, body = wsgi_get(path, HTTP_IF_NONE_MATCH=etag)
    assert status == "304 Not Modified"
    assert body == b""
    assert headers["ETag"] == etag


def test_requests_with_credentials_go_through_django(api_client, cause):
    path = DETAIL.format(cause.slug)
    api_client.get(path)
    status, headers, _body = wsgi_get(path, HTTP_X_API_KEY="not-a-key")
    assert status.startswith("401")
    assert headers["Content-Type"] == "application/problem+json"


def test_a_change_is_served_at_once_through_the_front(api_client, cause):
    path = DETAIL.format(cause.slug)
    api_client.get(path)
    cause.name = "Renamed cause"
    cause.save()
    _status, _headers, body = wsgi_get(path)
    assert b"Renamed cause" in body


def test_throttling_applies_to_hits_from_the_front(api_client, db, settings):
    settings.ROOT_URLCONF = "tests.mobile.urls_gated"
    assert api_client.get("/api/v1/throttled/").status_code == 200
    status, _headers, _body = wsgi_get("/api/v1/throttled/")
    assert status == "200 OK"
    status, _headers, _body = wsgi_get("/api/v1/throttled/")
    assert status.startswith("429")
