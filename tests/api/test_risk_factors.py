"""/api/v1/risk-factors/: category and modifiable filters."""

import pytest

from content_app import models as m
from tests import factories as f
from tests.api.conftest import slugs

pytestmark = pytest.mark.django_db


def test_risk_factors_filter_by_category_and_modifiable(api_client, graph):
    f.RiskFactorFactory(
        slug="age", name="Age", category=m.RiskFactorCategory.BODY, modifiable=False
    )

    fixed = api_client.get("/api/v1/risk-factors/?modifiable=false").json()["results"]
    training = api_client.get("/api/v1/risk-factors/?category=training").json()["results"]

    assert slugs(fixed) == ["age"]
    assert slugs(training) == ["sudden-training-increase"]
