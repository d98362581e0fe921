"""/api/v1/: where everything is, and under which licence."""

import pytest

pytestmark = pytest.mark.django_db


def test_root_links_every_collection_sync_bundle_and_the_docs(api_client, db, settings):
    body = api_client.get("/api/v1/").json()

    assert body.pop("disclaimer") is None  # none published in this database
    assert body == {
        "anatomy": "/api/v1/anatomy/",
        "causes": "/api/v1/causes/",
        "symptoms": "/api/v1/symptoms/",
        "risk-factors": "/api/v1/risk-factors/",
        "red-flags": "/api/v1/red-flags/",
        "exercises": "/api/v1/exercises/",
        "treatments": "/api/v1/treatments/",
        "sources": "/api/v1/sources/",
        "disclaimers": "/api/v1/disclaimers/",
        "search": "/api/v1/search/",
        "sync": "/api/v1/sync/",
        "bundle": "/api/v1/bundle/",
        "changes": "/api/v1/changes/",
        "self-check": "/api/v1/self-check/",
        "schema": "/api/v1/schema/",
        "docs": "/api/v1/docs/",
        "redoc": "/api/v1/redoc/",
        "licence": settings.CONTENT_LICENCE,
        # v1.0 spellings, kept for old clients (deprecated in the schema).
        "risk_factors": "/api/v1/risk-factors/",
        "red_flags": "/api/v1/red-flags/",
    }


def test_root_carries_the_published_disclaimer_in_full(api_client, db):
    from tests import factories as f

    f.DraftDisclaimerFactory(slug="old-draft")
    disclaimer = f.DisclaimerFactory(slug="general-information", name="About this information")

    body = api_client.get("/api/v1/").json()["disclaimer"]

    assert body["slug"] == "general-information"
    assert body["summary"] == disclaimer.summary and body["body"] == disclaimer.body
    assert body["url"] == "/api/v1/disclaimers/general-information/"


def test_every_root_link_answers(api_client, db):
    body = api_client.get("/api/v1/").json()
    for name, path in body.items():
        if name == "search":
            path += "?q=knee"
        if name in ("licence", "disclaimer"):
            continue  # objects, not links
        expected = 405 if name == "self-check" else 200  # the self-check is a POST
        assert api_client.get(path).status_code == expected, name


def test_the_licence_is_in_the_schema_and_the_bundle(api_client, db, settings):
    info = api_client.get("/api/v1/schema/?format=json").json()["info"]
    bundle = api_client.get("/api/v1/bundle/").json()

    assert info["license"] == {
        "name": settings.CONTENT_LICENCE["name"],
        "url": settings.CONTENT_LICENCE["url"],
    }
    assert info["version"] == settings.API_CONTRACT_VERSION
    assert info["contact"]["email"] and info["termsOfService"]
    assert bundle["licence"] == settings.CONTENT_LICENCE
    assert api_client.get(info["termsOfService"]).status_code == 200
