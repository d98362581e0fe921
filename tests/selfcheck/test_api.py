"""The self-check endpoints: bad input, privacy, caching headers, query counts, content rules."""

import logging

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content_app import models as m
from content_app.selfcheck.ruleset import current_ruleset

SELF_CHECK = "/api/v1/self-check/"
pytestmark = pytest.mark.django_db


def post(api_client, payload, **extra):
    return api_client.post(SELF_CHECK, payload, format="json", **extra)


def invalid_names(response):
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert response["Cache-Control"] == "private, no-store"
    return [p["name"] for p in response.json()["invalid_params"]]


def cache_keys():
    """Every key in the shared cache (local memory or django-redis)."""
    return sorted(cache._cache) if hasattr(cache, "_cache") else sorted(cache.keys("*"))


def test_unknown_slugs_are_named(api_client, shared_launch_content):
    response = post(
        api_client,
        {
            "symptoms": ["pain-in-the-calf", "no-such-symptom"],
            "answers": [
                {"question": "no-such-question", "option": "yes"},
                {"question": "lump", "option": "maybe"},
            ],
        },
    )
    assert invalid_names(response) == [
        "symptoms[1]",
        "answers[0].question",
        "answers[1].option",
    ]
    assert "no-such-symptom" in response.json()["invalid_params"][0]["reason"]


def test_too_many_answers_are_refused(api_client, shared_launch_content):
    many = [{"question": "lump", "option": "yes"}] * 31
    assert invalid_names(post(api_client, {"answers": many})) == ["answers"]
    assert invalid_names(post(api_client, {"symptoms": ["pain-in-the-calf"] * 31})) == ["symptoms"]


@pytest.mark.parametrize(
    "payload",
    [
        {
            "answers": [
                {"question": "weight-bearing", "option": "yes"},
                {"question": "weight-bearing", "option": "no"},
            ]
        },
        {
            "symptoms": ["unable-to-bear-weight"],
            "answers": [{"question": "weight-bearing", "option": "yes"}],
        },
    ],
)
def test_contradictory_answers_are_named(api_client, shared_launch_content, payload):
    response = post(api_client, payload)
    assert invalid_names(response) == ["answers"]
    reason = response.json()["invalid_params"][0]["reason"]
    assert ("weight-bearing" in reason and "yes" in reason and "no" in reason) or "unable" in reason


@pytest.mark.parametrize(
    "payload",
    [
        {"symptoms": "pain-in-the-calf"},
        {"symptoms": [3]},
        {"answers": [{"question": "lump"}]},
        {"answers": {"lump": "yes"}},
        ["pain-in-the-calf"],
    ],
)
def test_malformed_bodies_are_400_problems(api_client, shared_launch_content, payload):
    assert invalid_names(post(api_client, payload))


def test_not_json_is_a_problem(api_client, shared_launch_content):
    response = api_client.post(SELF_CHECK, "symptoms=x", content_type="text/plain")
    assert response.status_code == 415
    assert response["Content-Type"].startswith("application/problem+json")
    broken = api_client.post(SELF_CHECK, "{", content_type="application/json")
    assert broken.status_code == 400


def test_get_is_not_allowed_so_answers_never_reach_a_query_string(api_client, db):
    response = api_client.get(SELF_CHECK, {"symptoms": "pain-in-the-calf"})
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/problem+json")


def test_nothing_of_the_answers_is_stored_logged_or_cached(
    api_client, shared_launch_content, caplog
):
    current_ruleset()  # warm: a request then only reads
    secret = "calf-or-thigh-suddenly-painful-swollen-tender-or-red"
    cache.clear()
    caplog.set_level(logging.DEBUG)
    post(api_client, {})  # the content version is in the cache now, as in production
    keys_before = cache_keys()
    with CaptureQueriesContext(connection) as queries:
        response = post(api_client, {"symptoms": [secret]})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "ETag" not in response
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []
    assert secret not in caplog.text
    assert cache_keys() == keys_before  # nothing was cached
    bad = post(api_client, {"symptoms": ["my-private-symptom"]})
    assert bad.status_code == 400
    assert "my-private-symptom" not in caplog.text


def test_query_count_is_bounded_and_independent_of_the_answers(
    api_client, shared_launch_content, django_assert_max_num_queries
):
    current_ruleset()
    small = {"symptoms": ["pain-in-the-calf"]}
    large = {
        "symptoms": ["pain-in-the-calf", "pain-in-the-hamstring", "swelling-of-the-leg"],
        "answers": [
            {"question": q, "option": "yes"}
            for q in ("lump", "clicking-locking", "twisting", "tightness", "numbness", "injury")
        ],
    }
    for payload in (small, large):
        with django_assert_max_num_queries(1):  # at most the content version
            assert post(api_client, payload).status_code == 200


def test_a_cold_ruleset_costs_a_fixed_number_of_queries(
    api_client, shared_launch_content, django_assert_max_num_queries
):
    from content_app.selfcheck.ruleset import forget_ruleset

    forget_ruleset()
    with django_assert_max_num_queries(20):
        assert (
            post(api_client, {"answers": [{"question": "lump", "option": "yes"}]}).status_code
            == 200
        )


def test_ruleset_and_vectors_are_public_cacheable_gets(api_client, shared_launch_content):
    ruleset = api_client.get("/api/v1/self-check/ruleset/")
    assert ruleset.status_code == 200 and "public" in ruleset["Cache-Control"]
    assert ruleset.json()["version"] == current_ruleset()["version"]
    vectors = api_client.get("/api/v1/self-check/vectors/")
    assert vectors.status_code == 200 and "ETag" in vectors
    assert api_client.get("/api/v1/self-check/ruleset/?x=1").status_code == 400


def test_the_ruleset_follows_the_content_version(api_client, shared_launch_content):
    before = current_ruleset()
    link = m.CauseSymptom.objects.get(
        cause__slug="bakers-cyst", symptom__slug="lump-or-fullness-behind-the-knee"
    )
    link.weight = 4
    link.save()
    from content_app.changelog import forget_content_version

    forget_content_version()
    after = current_ruleset()
    assert after["version"] != before["version"]
    result = post(api_client, {"answers": [{"question": "lump", "option": "yes"}]}).json()
    assert result["ruleset_version"] == after["version"]
    assert result["causes"][0]["score"] == 4
