"""/api/v1/exercises/: structured dosage, ordered steps, targets, progressions, filters."""

import pytest

from content_app import models as m
from tests import factories as f
from tests.api.conftest import slugs

pytestmark = pytest.mark.django_db


def test_list_items_carry_the_structured_dosage(api_client, graph):
    results = api_client.get("/api/v1/exercises/?ordering=name").json()["results"]

    assert slugs(results) == ["glute-bridge", "hamstring-stretch", "single-leg-bridge"]
    assert results[1]["dosage"] == {
        "sets": None,
        "reps": 3,
        "hold_seconds": 30,
        "times_per_day": 1,
        "times_per_day_max": None,
        "target": {"sets": None, "reps": None, "hold_seconds": None},
        "note": "",
    }
    assert results[1]["equipment"] == "chair"


def test_detail_has_steps_targets_progressions_regressions_and_causes(api_client, graph):
    bridge = api_client.get("/api/v1/exercises/glute-bridge/").json()
    harder = api_client.get("/api/v1/exercises/single-leg-bridge/").json()

    assert [s["text"] for s in bridge["steps"]] == [
        "Lie on your back, knees bent.",
        "Lift your hips.",
    ]
    assert slugs(bridge["targets"]) == ["biceps-femoris"]
    assert bridge["targets"][0]["role"] == "primary"
    assert slugs(bridge["progressions"]) == ["single-leg-bridge"]
    assert bridge["progressions"][0]["note"] == "When 3x15 is easy."
    assert bridge["regressions"] == []
    assert slugs(harder["regressions"]) == ["glute-bridge"]
    assert slugs(bridge["causes"]) == ["hamstring-tendinopathy"]
    assert harder["causes"][0]["role"] == "avoid"
    assert "draft-" not in str(bridge)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=stretch", ["hamstring-stretch"]),
        ("difficulty=intermediate", ["single-leg-bridge"]),
        ("equipment=chair", ["hamstring-stretch"]),
        ("target=biceps-femoris", ["glute-bridge"]),
        (
            "cause=hamstring-tendinopathy",
            ["glute-bridge", "hamstring-stretch", "single-leg-bridge"],
        ),
        ("cause=draft-cause", []),
        ("max_times_per_day=1", ["hamstring-stretch"]),
        # "at most 2 a day" leaves out the glute bridge, done 2–3 times a day (issue 12)
        ("max_times_per_day=2", ["hamstring-stretch"]),
        ("max_times_per_day=3", ["glute-bridge", "hamstring-stretch"]),
    ],
)
def test_filters(api_client, graph, query, expected):
    response = api_client.get(f"/api/v1/exercises/?{query}")

    assert response.status_code == 200
    assert sorted(slugs(response.json()["results"])) == expected


@pytest.mark.parametrize("value", ["2.5", "1e1", "-1", "0", "25", "two", "", " 2"])
def test_integer_filter_rejects_decimals_and_out_of_range(api_client, db, value):
    response = api_client.get("/api/v1/exercises/", {"max_times_per_day": value})

    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == "max_times_per_day"


def test_draft_exercise_linked_from_published_items_is_invisible(api_client, graph):
    assert api_client.get("/api/v1/exercises/draft-exercise/").status_code == 404
    listed = api_client.get("/api/v1/exercises/?page_size=100").json()["results"]
    assert "draft-exercise" not in slugs(listed)


def test_expand_progressions(api_client, graph):
    f.ExerciseStepFactory(exercise=graph.single_leg_bridge, text="Lift one leg.")

    body = api_client.get("/api/v1/exercises/glute-bridge/?expand=progressions").json()

    assert body["progressions"][0]["item"]["steps"][0]["text"] == "Lift one leg."
    assert body["progressions"][0]["item"]["category"] == m.ExerciseCategory.STRENGTH
