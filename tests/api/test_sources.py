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
        "attribution": "NHS article by A. Author, Example Publisher, https://example.org/a",
        "updated_at": body["updated_at"],
        "accessed_on": None,
        "note": "",
        "revision": graph.source.revision,
        "published_at": None,
    }
