"""Page-number pagination: default size, hard cap, strict parameters, relative links."""

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def symptoms(db):
    return f.SymptomFactory.create_batch(25, sources=[])


def test_default_page_size_is_20_with_relative_links(api_client, symptoms):
    first = api_client.get("/api/v1/symptoms/").json()
    second = api_client.get(first["next"]).json()

    assert first["count"] == 25
    assert len(first["results"]) == 20
    assert first["next"] == "/api/v1/symptoms/?page=2"
    assert first["previous"] is None
    assert len(second["results"]) == 5
    assert second["next"] is None
    assert second["previous"] == "/api/v1/symptoms/"


def test_page_size_up_to_100(api_client, symptoms):
    body = api_client.get("/api/v1/symptoms/?page_size=100").json()

    assert len(body["results"]) == 25


@pytest.mark.parametrize("value", ["101", "0", "-1", "abc", "1.5", "", "99999999999"])
def test_page_size_outside_1_to_100_is_400(api_client, symptoms, value):
    response = api_client.get("/api/v1/symptoms/", {"page_size": value})

    assert response.status_code == 400
    assert response.json()["invalid_params"] == [
        {"name": "page_size", "reason": response.json()["invalid_params"][0]["reason"]}
    ]


@pytest.mark.parametrize("value", ["0", "abc", "-2", "2.0", ""])
def test_malformed_page_is_400(api_client, symptoms, value):
    response = api_client.get("/api/v1/symptoms/", {"page": value})

    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == "page"


@pytest.mark.parametrize("value", ["3", "1000", "123456789012345"])
def test_page_past_the_end_is_404_problem(api_client, symptoms, value):
    response = api_client.get("/api/v1/symptoms/", {"page": value})

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "urn:kneecare:problem:not-found"


def test_empty_collection_has_an_empty_first_page(api_client, db):
    body = api_client.get("/api/v1/symptoms/").json()

    assert body == {"count": 0, "next": None, "previous": None, "results": []}
