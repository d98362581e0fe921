"""Symptoms, risk factors, red flags and treatments link back to causes; drafts are 404."""

import pytest

from tests.api.conftest import slugs

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("collection", "slug"),
    [
        ("symptoms", "ache-when-running"),
        ("risk-factors", "sudden-training-increase"),
        ("red-flags", "pain-lasting-weeks"),
        ("treatments", "massage"),
    ],
)
def test_detail_links_back_to_published_causes(api_client, graph, collection, slug):
    body = api_client.get(f"/api/v1/{collection}/{slug}/").json()

    assert body["slug"] == slug
    assert slugs(body["causes"]) == ["hamstring-tendinopathy"]
    assert body["causes"][0]["prevalence"] == "common"
    assert slugs(body["sources"]) == ["nhs-article"]
    assert body["reviewed_at"] and body["review_due"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/symptoms/draft-symptom/",
        "/api/v1/risk-factors/draft-risk/",
        "/api/v1/red-flags/draft-red-flag/",
        "/api/v1/treatments/draft-treatment/",
        "/api/v1/sources/draft-source/",
        "/api/v1/anatomy/draft-structure/",
    ],
)
def test_unpublished_items_are_404(api_client, graph, url):
    assert api_client.get(url).status_code == 404
