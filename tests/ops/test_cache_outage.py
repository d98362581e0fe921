"""Redis down or hung: no 5xx, every answer within 2.5 s, rate limits fail open, readiness
names the cache. Each cache call is bounded by its socket timeouts, and after one failure the
process stops trying for CACHE_OUTAGE_COOLDOWN seconds (before: up to 3.4 s per request)."""

import time

import pytest

from kneecare.settings import redis_cache
from tests.ops.servers import closed_port, listener

BUDGET = 2.5


@pytest.fixture(params=["refuse", "hang"])
def redis_outage(request, settings):
    with listener("hang") as hung:
        port = hung.port if request.param == "hang" else closed_port()
        cache = redis_cache(f"redis://127.0.0.1:{port}/1")
        settings.CACHES = {"default": cache, "ratelimit": {**cache, "KEY_PREFIX": "rl"}}
        yield request.param


def test_api_answers_fast_without_errors_while_redis_is_out(client, graph, redis_outage, settings):
    settings.API_RATE_ANON = "3/minute"  # counters are unreachable: the limit fails open
    paths = ["/api/v1/causes/", "/api/v1/causes/hamstring-tendinopathy/", "/api/v1/search/?q=knee"]
    timings = []
    for path in paths * 5:
        started = time.monotonic()
        response = client.get(path)
        timings.append(time.monotonic() - started)
        assert response.status_code == 200, (path, response.content[:200])

    assert max(timings) < BUDGET
    # One failure opens the breaker: the other calls do not each wait for a timeout.
    assert sum(timings) < BUDGET


def test_readiness_names_the_cache_while_redis_is_out(client, migrated, redis_outage):
    started = time.monotonic()
    response = client.get("/health/ready?format=json")

    assert time.monotonic() - started < BUDGET
    assert response.status_code == 503
    assert response.json()["Cache(alias='default')"] != "OK"
    assert response.json()["Database(alias='default')"] == "OK"
