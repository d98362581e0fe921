"""Rate limits hold under concurrency and across processes, and clients can see them.

Before: DRF's throttle rewrote a per-client history (read-modify-write), so at 300/minute 16
concurrent clients got 1,312 requests through, and each gunicorn worker counted on its own.
"""

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import caches
from django.test import RequestFactory
from rest_framework.request import Request

from content_app.api.throttling import AnonymousRateThrottle, PartnerRateThrottle
from content_app.models import PartnerKey
from tests.ops.servers import get, gunicorn

CLIENTS = 16


def _hammer(throttle_class, make_request, attempts: int) -> int:
    """`attempts` checks from CLIENTS threads released at once; how many were allowed."""
    barrier = threading.Barrier(CLIENTS)

    def client(_):
        barrier.wait()
        return sum(
            throttle_class().allow_request(make_request(), None) for _ in range(attempts // CLIENTS)
        )

    with ThreadPoolExecutor(CLIENTS) as pool:
        return sum(pool.map(client, range(CLIENTS)))


def _drf_request(auth=None, address="203.0.113.9"):
    request = Request(RequestFactory().get("/api/v1/", REMOTE_ADDR=address))
    request._authenticator, request._user, request._auth = None, None, auth
    return request


def test_anonymous_limit_holds_under_16_concurrent_clients(settings):
    settings.API_RATE_ANON = "100/minute"

    allowed = _hammer(AnonymousRateThrottle, _drf_request, attempts=CLIENTS * 20)

    assert allowed == 100  # exact: one atomic counter, nothing to overshoot


def test_per_key_limit_holds_under_16_concurrent_clients(db, settings):
    settings.API_RATE_PARTNER = "120/minute"
    key, _ = PartnerKey.objects.create_key(name="partner")

    allowed = _hammer(PartnerRateThrottle, lambda: _drf_request(auth=key), attempts=CLIENTS * 20)

    assert allowed == 120


def test_a_keys_own_rate_wins(db, settings):
    settings.API_RATE_PARTNER = "100/minute"
    key, _ = PartnerKey.objects.create_key(name="small partner")
    key.rate_limit = "3/minute"  # what a key model with its own rate provides

    allowed = [PartnerRateThrottle().allow_request(_drf_request(auth=key), None) for _ in range(5)]

    assert allowed == [True, True, True, False, False]


def test_every_api_response_shows_the_limit_and_a_429_when_to_retry(api_client, graph, settings):
    settings.API_RATE_ANON = "3/minute"

    responses = [api_client.get("/api/v1/causes/") for _ in range(4)]  # 2nd-3rd: cached hits

    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert {r["RateLimit-Policy"] for r in responses} == {'"anonymous";q=3;w=60'}
    remaining = [re.fullmatch(r'"anonymous";r=(\d+);t=(\d+)', r["RateLimit"]) for r in responses]
    assert [int(m[1]) for m in remaining] == [2, 1, 0, 0]
    assert all(1 <= int(m[2]) <= 60 for m in remaining)
    assert 1 <= int(responses[-1]["Retry-After"]) <= 60


def test_partners_see_their_own_policy(api_client, graph, settings):
    settings.API_RATE_PARTNER = "50/minute"
    _, key = PartnerKey.objects.create_key(name="partner")

    response = api_client.get("/api/v1/causes/", HTTP_X_API_KEY=key)

    assert response["RateLimit-Policy"] == '"partner";q=50;w=60'
    assert response["RateLimit"].startswith('"partner";r=49;t=')


def test_counter_store_outage_fails_open(api_client, graph, settings):
    settings.API_RATE_ANON = "1/minute"
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {"BACKEND": "tests.mobile.broken_cache.BrokenCache"},
    }

    statuses = [api_client.get("/api/v1/causes/").status_code for _ in range(3)]

    assert statuses == [200, 200, 200]


def test_anonymous_limit_holds_across_two_gunicorn_workers(served_database_url):
    """`make run`'s two workers share the counters (a SQLite disk cache, or Redis)."""
    limit = 40
    caches["ratelimit"].clear()
    env = {"DATABASE_URL": served_database_url, "API_RATE_ANON": f"{limit}/minute"}
    with gunicorn(env, workers=2, threads=4) as base, ThreadPoolExecutor(CLIENTS) as pool:
        results = list(pool.map(lambda _: get(base + "/api/v1/"), range(CLIENTS * 8)))

    statuses = [status for status, *_ in results]
    assert set(statuses) <= {200, 429}
    assert limit <= statuses.count(200) <= limit * 1.1
    assert all(headers["Retry-After"] for status, headers, *_ in results if status == 429)


@pytest.fixture(autouse=True)
def _fresh_counters():
    caches["ratelimit"].clear()
