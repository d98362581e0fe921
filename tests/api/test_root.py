"""/api/v1/: where everything is."""

import pytest

pytestmark = pytest.mark.django_db


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
