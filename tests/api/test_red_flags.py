"""/api/v1/red-flags/: most urgent first, filter by urgency."""

import pytest

from tests.api.conftest import slugs

pytestmark = pytest.mark.django_db


def test_red_flags_list_most_urgent_first_and_filter_by_urgency(api_client, graph):
    listed = api_client.get("/api/v1/red-flags/").json()["results"]
    urgent = api_client.get("/api/v1/red-flags/?urgency=emergency").json()["results"]

    assert [r["urgency"] for r in listed] == ["emergency", "routine"]
    assert listed[0]["action"] == "Call an ambulance."
    assert slugs(urgent) == ["calf-swelling-and-breathlessness"]
