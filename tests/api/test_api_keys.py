"""Partner API keys and rate limits: anonymous allowed (lower rate), valid key (higher rate)."""

import pytest

from content_app.changelog import content_version
from content_app.models import PartnerKey

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(db):
    _, key = PartnerKey.objects.create_key(name="partner")
    return key


@pytest.fixture
def rates(settings):
    settings.API_RATE_ANON = "2/minute"
    settings.API_RATE_PARTNER = "4/minute"
    return settings


@pytest.mark.parametrize("header", ["HTTP_AUTHORIZATION", "HTTP_X_API_KEY"])
def test_valid_key_in_either_header_is_accepted(api_client, key, header):
    value = f"Api-Key {key}" if header == "HTTP_AUTHORIZATION" else key

    assert api_client.get("/api/v1/causes/", **{header: value}).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_AUTHORIZATION": "Api-Key nope.nope"},
        {"HTTP_AUTHORIZATION": "Api-Key "},
        {"HTTP_X_API_KEY": "garbage"},
    ],
)
def test_invalid_key_is_a_401_problem_with_www_authenticate(api_client, db, headers):
    response = api_client.get("/api/v1/causes/", **headers)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Api-Key realm="api"'
    assert response.json()["type"] == "urn:kneecare:problem:invalid-api-key"


def test_revoked_key_is_401(api_client, db):
    api_key, key = PartnerKey.objects.create_key(name="old")
    api_key.revoked = True
    api_key.save()

    assert api_client.get("/api/v1/", HTTP_X_API_KEY=key).status_code == 401


def test_anonymous_rate_limit_is_a_429_problem_with_retry_after(api_client, db, rates):
    statuses = [api_client.get("/api/v1/causes/").status_code for _ in range(3)]
    response = api_client.get("/api/v1/causes/")

    assert statuses == [200, 200, 429]
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["type"] == "urn:kneecare:problem:rate-limited"


def test_a_key_gets_the_higher_rate(api_client, key, rates):
    statuses = [api_client.get("/api/v1/causes/", HTTP_X_API_KEY=key).status_code for _ in range(5)]

    assert statuses == [200, 200, 200, 200, 429]


def test_anonymous_request_costs_only_the_content_queries(
    api_client, db, rates, django_assert_num_queries
):
    content_version()  # read by the response cache once per process and TTL, not per request
    # The root reads only the disclaimer; the throttle lives in the cache.
    with django_assert_num_queries(1):
        assert api_client.get("/api/v1/").status_code == 200


def test_rate_limits_can_be_switched_off(api_client, db, settings):
    settings.API_RATE_ANON = None

    assert {api_client.get("/api/v1/").status_code for _ in range(20)} == {200}


def test_forged_forwarded_for_does_not_dodge_the_anonymous_limit(api_client, db, rates):
    statuses = [
        api_client.get("/api/v1/", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}").status_code for i in range(3)
    ]

    assert statuses == [200, 200, 429]
