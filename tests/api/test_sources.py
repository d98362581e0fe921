"""/api/v1/sources/: the citation fields."""

import pytest

pytestmark = pytest.mark.django_db


def test_sources_show_the_citation(api_client, graph):
    body = api_client.get("/api/v1/sources/nhs-article/").json()

    assert body == {
        "slug": "nhs-article",
        "name": "NHS article",
        "url": "/api/v1/sources/nhs-article/",
        "title": "NHS article",
        "author": "A. Author",
        "publisher": "Example Publisher",
        "published_on": None,
        "link": "https://example.org/a",
        "updated_at": body["updated_at"],
        "accessed_on": None,
        "note": "",
        "revision": graph.source.revision,
        "published_at": None,
    }


@pytest.mark.parametrize("value", [",", "title,", ",title", ",,"])
def test_empty_ordering_terms_are_a_400_problem(api_client, graph, value):
    response = api_client.get("/api/v1/sources/", {"ordering": value})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["invalid_params"][0]["name"] == "ordering"
