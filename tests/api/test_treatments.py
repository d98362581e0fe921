"""/api/v1/treatments/: kind and structure filters, target structures."""

import pytest

from content_app import models as m
from tests import factories as f
from tests.api.conftest import slugs

pytestmark = pytest.mark.django_db


def test_treatments_filter_by_kind_and_structure(api_client, graph):
    f.TreatmentFactory(slug="brace", name="Brace", kind=m.TreatmentKind.SUPPORT)

    support = api_client.get("/api/v1/treatments/?kind=support").json()["results"]
    for_muscle = api_client.get("/api/v1/treatments/?structure=biceps-femoris").json()["results"]
    detail = api_client.get("/api/v1/treatments/massage/").json()

    assert slugs(support) == ["brace"]
    assert slugs(for_muscle) == ["massage"]
    assert slugs(detail["structures"]) == ["biceps-femoris"]
