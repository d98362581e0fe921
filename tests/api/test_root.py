"""/api/v1/: where everything is."""

import pytest

pytestmark = pytest.mark.django_db


def test_root_lists_every_collection(api_client, db):
    body = api_client.get("/api/v1/").json()

    assert body.pop("disclaimer") is None  # none published in this database
    assert body == {
        "anatomy": "/api/v1/anatomy/",
        "causes": "/api/v1/causes/",
        "symptoms": "/api/v1/symptoms/",
        "risk_factors": "/api/v1/risk-factors/",
        "red_flags": "/api/v1/red-flags/",
        "exercises": "/api/v1/exercises/",
        "treatments": "/api/v1/treatments/",
        "sources": "/api/v1/sources/",
        "disclaimers": "/api/v1/disclaimers/",
        "search": "/api/v1/search/",
        "schema": "/api/v1/schema/",
        "docs": "/api/v1/docs/",
    }


def test_root_carries_the_published_disclaimer_in_full(api_client, db):
    from tests import factories as f

    f.DraftDisclaimerFactory(slug="old-draft")
    disclaimer = f.DisclaimerFactory(slug="general-information", name="About this information")

    body = api_client.get("/api/v1/").json()["disclaimer"]

    assert body["slug"] == "general-information"
    assert body["summary"] == disclaimer.summary and body["body"] == disclaimer.body
    assert body["url"] == "/api/v1/disclaimers/general-information/"
