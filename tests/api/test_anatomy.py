"""/api/v1/anatomy/: kinds, groups (parent and children), filters."""

import pytest

from content_app import models as m
from tests.api.conftest import slugs

pytestmark = pytest.mark.django_db


def test_list_shows_the_published_parent_as_a_reference(api_client, graph):
    results = api_client.get("/api/v1/anatomy/?ordering=name").json()["results"]

    assert slugs(results) == ["biceps-femoris", "hamstrings"]
    assert results[0]["parent"] == {
        "slug": "hamstrings",
        "name": "Hamstrings",
        "url": "/api/v1/anatomy/hamstrings/",
    }
    assert results[1]["parent"] is None


def test_unpublished_parent_is_shown_as_null(api_client, graph):
    graph.hamstrings.status = m.Status.DRAFT
    graph.hamstrings.save()

    results = api_client.get("/api/v1/anatomy/").json()["results"]

    assert results == [results[0]] and results[0]["parent"] is None


def test_detail_lists_published_children_causes_exercises_and_treatments(api_client, graph):
    group = api_client.get("/api/v1/anatomy/hamstrings/").json()
    muscle = api_client.get("/api/v1/anatomy/biceps-femoris/").json()

    assert slugs(group["children"]) == ["biceps-femoris"]  # not the draft member
    assert muscle["latin_name"] == "Musculus biceps femoris"
    assert slugs(muscle["causes"]) == ["hamstring-tendinopathy"]  # not the draft cause
    assert slugs(muscle["exercises"]) == ["glute-bridge"]
    assert slugs(muscle["treatments"]) == ["massage"]
    assert slugs(muscle["sources"]) == ["nhs-article"]  # not the draft source


def test_expand_parent(api_client, graph):
    body = api_client.get("/api/v1/anatomy/biceps-femoris/?expand=parent").json()

    assert body["parent"]["item"]["kind"] == "region"
    assert slugs(body["parent"]["item"]["children"]) == ["biceps-femoris"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=muscle", ["biceps-femoris"]),
        ("kind=region", ["hamstrings"]),
        ("parent=hamstrings", ["biceps-femoris"]),
        ("top_level=true", ["hamstrings"]),
        ("top_level=false", ["biceps-femoris"]),
        ("cause=hamstring-tendinopathy", ["biceps-femoris", "hamstrings"]),
    ],
)
def test_filters(api_client, graph, query, expected):
    assert sorted(slugs(api_client.get(f"/api/v1/anatomy/?{query}").json()["results"])) == expected


@pytest.mark.parametrize("query", ["kind=organ", "top_level=yes", "top_level=1", "parent=a%20b"])
def test_invalid_filter_values_are_400(api_client, db, query):
    assert api_client.get(f"/api/v1/anatomy/?{query}").status_code == 400
