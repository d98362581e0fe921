"""/api/v1/symptoms/: filter by cause."""

import pytest

from tests.api.conftest import slugs

pytestmark = pytest.mark.django_db


def test_symptoms_filter_by_cause(api_client, graph):
    body = api_client.get("/api/v1/symptoms/?cause=hamstring-tendinopathy").json()

    assert slugs(body["results"]) == ["ache-when-running"]
