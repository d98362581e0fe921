"""Symptoms, risk factors, red flags, treatments and sources: lists, details, filters."""

import pytest

from content_app import models as m
from tests import factories as f
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


def test_red_flags_list_most_urgent_first_and_filter_by_urgency(api_client, graph):
    listed = api_client.get("/api/v1/red-flags/").json()["results"]
    urgent = api_client.get("/api/v1/red-flags/?urgency=emergency").json()["results"]

    assert [r["urgency"] for r in listed] == ["emergency", "routine"]
    assert listed[0]["action"] == "Call an ambulance."
    assert slugs(urgent) == ["calf-swelling-and-breathlessness"]


def test_risk_factors_filter_by_category_and_modifiable(api_client, graph):
    f.RiskFactorFactory(
        slug="age", name="Age", category=m.RiskFactorCategory.BODY, modifiable=False
    )

    fixed = api_client.get("/api/v1/risk-factors/?modifiable=false").json()["results"]
    training = api_client.get("/api/v1/risk-factors/?category=training").json()["results"]

    assert slugs(fixed) == ["age"]
    assert slugs(training) == ["sudden-training-increase"]


def test_treatments_filter_by_kind_and_structure(api_client, graph):
    f.TreatmentFactory(slug="brace", name="Brace", kind=m.TreatmentKind.SUPPORT)

    support = api_client.get("/api/v1/treatments/?kind=support").json()["results"]
    for_muscle = api_client.get("/api/v1/treatments/?structure=biceps-femoris").json()["results"]
    detail = api_client.get("/api/v1/treatments/massage/").json()

    assert slugs(support) == ["brace"]
    assert slugs(for_muscle) == ["massage"]
    assert slugs(detail["structures"]) == ["biceps-femoris"]


def test_symptoms_filter_by_cause(api_client, graph):
    body = api_client.get("/api/v1/symptoms/?cause=hamstring-tendinopathy").json()

    assert slugs(body["results"]) == ["ache-when-running"]


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


def test_root_lists_every_collection(api_client, db):
    body = api_client.get("/api/v1/").json()

    assert body == {
        "anatomy": "/api/v1/anatomy/",
        "causes": "/api/v1/causes/",
        "symptoms": "/api/v1/symptoms/",
        "risk_factors": "/api/v1/risk-factors/",
        "red_flags": "/api/v1/red-flags/",
        "exercises": "/api/v1/exercises/",
        "treatments": "/api/v1/treatments/",
        "sources": "/api/v1/sources/",
        "search": "/api/v1/search/",
        "schema": "/api/v1/schema/",
        "docs": "/api/v1/docs/",
    }
