"""The importable representation functions (admin preview, sync and bundle use them)."""

import json

import pytest

from content_app import models as m
from content_app.api.renderers import OrjsonRenderer
from content_app.api.v1 import representations as rep
from tests import factories as f

pytestmark = pytest.mark.django_db


def as_served(value):
    return json.loads(OrjsonRenderer().render(value))


def test_detail_representation_is_exactly_what_the_detail_endpoint_serves(api_client, graph):
    for obj in (graph.cause, graph.bridge, graph.biceps, graph.massage, graph.source):
        served = api_client.get(obj.get_absolute_url()).json()
        assert as_served(rep.detail_representation(obj)) == served


def test_detail_representation_of_a_draft_shows_only_published_relations(graph):
    draft = graph.drafts.cause
    f.CauseExerciseFactory(cause=draft, exercise=graph.bridge)
    f.CauseExerciseFactory(cause=draft, exercise=graph.drafts.exercise)

    preview = rep.detail_representation(draft)

    assert preview["slug"] == "draft-cause"
    assert [e["slug"] for e in preview["exercises"]] == ["glute-bridge"]
    assert [s["slug"] for s in preview["structures"]] == ["biceps-femoris"]


def test_list_and_detail_representations_follow_the_queryset(api_client, graph):
    queryset = m.Exercise.objects.published().order_by("-name")

    listed = rep.list_representations(queryset)
    details = rep.detail_representations(queryset, expand=("targets",))

    served = api_client.get("/api/v1/exercises/?ordering=-name").json()["results"]
    assert as_served(listed) == served
    assert [d["slug"] for d in details] == [item["slug"] for item in served]
    assert details[0]["targets"] == [] or "item" in details[0]["targets"][0]
    assert set(details[0]) == set(rep.DETAIL_FIELDS["exercises"])


def test_field_names_match_the_representations(graph):
    for api_type, model in m.MODELS_BY_API_TYPE.items():
        obj = model.objects.published().first()
        assert tuple(rep.detail_representation(obj)) == rep.DETAIL_FIELDS[api_type]
        assert (
            tuple(rep.list_representations(model.objects.filter(pk=obj.pk))[0])
            == (rep.LIST_FIELDS[api_type])
        )
