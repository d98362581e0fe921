"""HTTP caching of /api/v1/: validators, 304s, Cache-Control/Vary, the rendered-response cache."""

import gzip
from datetime import UTC, datetime

import brotli
import pytest
from django.core.cache import cache

from content_app import models as m
from content_app.caching import local_entries, reset_process_caches
from tests import factories as f

BUNDLE = "/api/v1/bundle/"


@pytest.fixture(autouse=True, params=["response cache", "file"])
def bundle_delivery(request, settings):
    """Every guarantee holds both ways the bundle is delivered (content_app/api/v1/bundle.py):
    small, through the response cache; big, from its stored file (forced by a 0 threshold)."""
    if request.param == "file":
        settings.BUNDLE_RESPONSE_CACHE_MAX_BYTES = 0


@pytest.fixture
def content(db):
    content = f.CauseExerciseFactory()
    # Last-Modified is only claimed for changes at least a second old (RFC 9110 8.8.2.2).
    m.ChangeLogEntry.objects.update(created_at=datetime(2026, 5, 1, 8, 30, tzinfo=UTC))
    reset_process_caches()
    return content


def test_get_carries_strong_etag_last_modified_cache_control_and_vary(api_client, content):
    response = api_client.get(BUNDLE)
    assert response.status_code == 200
    etag = response["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/")
    assert response["Last-Modified"].endswith("GMT")
    assert response["Cache-Control"] == "public, max-age=300, stale-while-revalidate=86400"
    vary = {v.strip() for v in response["Vary"].split(",")}
    assert {"Accept", "Accept-Encoding"} <= vary


def test_cache_control_follows_settings(api_client, content, settings):
    settings.API_CACHE_MAX_AGE = 60
    settings.API_CACHE_STALE_WHILE_REVALIDATE = 600
    response = api_client.get(BUNDLE)
    assert response["Cache-Control"] == "public, max-age=60, stale-while-revalidate=600"


def test_if_none_match_gives_304_without_body(api_client, content):
    first = api_client.get(BUNDLE)
    again = api_client.get(BUNDLE, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == first["Cache-Control"]


def test_if_none_match_of_a_compressed_variant_also_matches(api_client, content):
    gz = api_client.get(BUNDLE, HTTP_ACCEPT_ENCODING="gzip")
    assert gz["ETag"].endswith('-gzip"')
    # A cache holding the gzip variant that now prefers br: its stored variant is confirmed.
    again = api_client.get(BUNDLE, HTTP_IF_NONE_MATCH=gz["ETag"], HTTP_ACCEPT_ENCODING="br, gzip")
    assert again.status_code == 304
    assert again["ETag"] == gz["ETag"]


def test_stale_etag_gets_the_full_response(api_client, content):
    response = api_client.get(BUNDLE, HTTP_IF_NONE_MATCH='"not-the-current-one"')
    assert response.status_code == 200
    assert response.json()["content"]["causes"]


def test_if_modified_since_gives_304_and_older_dates_do_not(api_client, content):
    first = api_client.get(BUNDLE)
    same = api_client.get(BUNDLE, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    older = api_client.get(BUNDLE, HTTP_IF_MODIFIED_SINCE="Sat, 01 Jan 2000 00:00:00 GMT")
    assert same.status_code == 304
    assert older.status_code == 200


def test_every_process_gives_the_same_validators(api_client, content):
    first = api_client.get("/api/v1/causes/")
    assert first["Last-Modified"] == "Fri, 01 May 2026 08:30:00 GMT"  # the last change's time
    # Another gunicorn worker: its own local-memory cache, nothing rendered yet.
    api_client.get("/api/v1/symptoms/")
    cache.clear()
    reset_process_caches()
    other = api_client.get("/api/v1/causes/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert other.status_code == 304
    assert other["ETag"] == first["ETag"]
    assert "Last-Modified" not in other  # a 304 with an ETag carries no other metadata


def test_etag_changes_when_the_representation_changes(api_client, content):
    before = api_client.get(BUNDLE)["ETag"]
    content.exercise.name = "A new name"
    content.exercise.save()
    after = api_client.get(BUNDLE)
    assert after["ETag"] != before
    assert api_client.get(BUNDLE, HTTP_IF_NONE_MATCH=before).status_code == 200


def test_etag_stays_when_only_other_content_changes(api_client, content):
    # The API root does not depend on content: a version bump must not change its ETag.
    before = api_client.get("/api/v1/")
    f.SymptomFactory()
    after = api_client.get("/api/v1/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 304
    assert after["ETag"] == before["ETag"]


def test_cache_hit_costs_no_database_query(api_client, content, django_assert_num_queries):
    first = api_client.get(BUNDLE)
    with django_assert_num_queries(0):
        hit = api_client.get(BUNDLE)
    with django_assert_num_queries(0):
        revalidated = api_client.get(BUNDLE, HTTP_IF_NONE_MATCH=first["ETag"])
    assert hit.getvalue() == first.getvalue()
    assert revalidated.status_code == 304


def test_query_order_does_not_split_the_cache(api_client, content, django_assert_num_queries):
    api_client.get("/api/v1/sync/?since=0&limit=5")
    with django_assert_num_queries(0):
        response = api_client.get("/api/v1/sync/?limit=5&since=0")
    assert response.status_code == 200


def test_publishing_changes_every_key_so_the_next_get_is_fresh(api_client, content):
    assert api_client.get(BUNDLE).json()["content"]["symptoms"] == []
    symptom = f.SymptomFactory(status=m.Status.DRAFT, sources=[])
    assert api_client.get(BUNDLE).json()["content"]["symptoms"] == []
    symptom.status = m.Status.PUBLISHED
    symptom.save()
    slugs = [item["slug"] for item in api_client.get(BUNDLE).json()["content"]["symptoms"]]
    assert slugs == [symptom.slug]


def test_a_cache_outage_serves_from_the_database(api_client, content, settings):
    expected = api_client.get(BUNDLE).json()
    settings.CACHES = {"default": {"BACKEND": "tests.mobile.broken_cache.BrokenCache"}}
    settings.API_RATE_ANON = "5/minute"  # the throttle's counters live in the broken cache too
    reset_process_caches()
    response = api_client.get(BUNDLE, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert gzip.decompress(response.getvalue()) == api_client.get(BUNDLE).getvalue()
    synced = api_client.get("/api/v1/sync/")
    assert synced.status_code == 200
    assert synced.json()["cursor"] == expected["cursor"]
    # Unthrottled rather than failing: more requests than the rate allows still succeed.
    assert {api_client.get("/api/v1/causes/").status_code for _ in range(7)} == {200}


def test_compressed_once_gzip_and_brotli_by_accept_encoding(api_client, content):
    plain = api_client.get(BUNDLE)
    gz = api_client.get(BUNDLE, HTTP_ACCEPT_ENCODING="gzip, deflate")
    br = api_client.get(BUNDLE, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    refused = api_client.get(BUNDLE, HTTP_ACCEPT_ENCODING="br;q=0, gzip;q=0")
    plain_body, gz_body = plain.getvalue(), gz.getvalue()
    assert "Content-Encoding" not in plain
    assert gz["Content-Encoding"] == "gzip"
    assert gzip.decompress(gz_body) == plain_body
    assert br["Content-Encoding"] == "br"
    assert brotli.decompress(br.getvalue()) == plain_body
    assert "Content-Encoding" not in refused
    assert len({plain["ETag"], gz["ETag"], br["ETag"]}) == 3
    assert int(gz["Content-Length"]) == len(gz_body)


def test_head_has_the_headers_and_no_body(api_client, content):
    get = api_client.get(BUNDLE)
    head = api_client.head(BUNDLE)
    assert head.status_code == 200
    assert head.getvalue() == b""
    assert head["ETag"] == get["ETag"]
    assert head["Content-Length"] == str(len(get.getvalue()))


def test_errors_are_not_cached_as_successes(api_client, db):
    bad = api_client.get("/api/v1/sync/?since=nope")
    assert bad.status_code == 400
    assert bad["Content-Type"] == "application/problem+json"
    assert bad["Cache-Control"] == "no-store"
    assert "ETag" not in bad
    assert api_client.get("/api/v1/sync/?since=nope").status_code == 400


@pytest.fixture
def gated_urls(settings):
    settings.ROOT_URLCONF = "tests.mobile.urls_gated"
    reset_process_caches()
    yield
    reset_process_caches()


def test_throttling_still_applies_to_cached_responses(api_client, db, gated_urls):
    first = api_client.get("/api/v1/throttled/")
    second = api_client.get("/api/v1/throttled/")
    third = api_client.get("/api/v1/throttled/")
    assert (first.status_code, second.status_code) == (200, 200)
    assert second["ETag"] == first["ETag"]
    assert third.status_code == 429


def test_permissions_still_apply_to_cached_responses(api_client, db, gated_urls):
    allowed = api_client.get("/api/v1/keyed/", HTTP_X_TEST_KEY="open-sesame")
    assert allowed.status_code == 200
    assert len(local_entries) == 1  # the 200 is stored: the denial below must beat a hit
    denied = api_client.get("/api/v1/keyed/")
    assert denied.status_code in (401, 403)
    assert b"hello" not in denied.content
