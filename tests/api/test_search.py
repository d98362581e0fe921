"""/api/v1/search/: typed, ranked results across collections; hostile input is a 400."""

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_results_are_typed_and_a_name_match_ranks_above_a_body_match(api_client, db):
    f.SymptomFactory(slug="swelling", name="Swelling", body="Puffiness.", sources=[])
    f.CauseFactory(slug="bakers-cyst", name="Baker's cyst", body="Causes swelling.", sources=[])
    f.SourceFactory(slug="swelling-guide", title="A guide to swelling")

    body = api_client.get("/api/v1/search/?q=swelling").json()

    assert body["count"] == 3
    first = body["results"][0]
    assert first == {
        "type": "symptoms",
        "slug": "swelling",
        "name": "Swelling",
        "summary": "Summary of Swelling.",
        "url": "/api/v1/symptoms/swelling/",
        "rank": first["rank"],
        "highlight": {"field": "name", "snippet": "<mark>Swelling</mark>"},
    }
    assert body["did_you_mean"] is None
    types = {r["slug"]: r["type"] for r in body["results"]}
    assert types == {"swelling": "symptoms", "bakers-cyst": "causes", "swelling-guide": "sources"}
    ranks = {r["slug"]: r["rank"] for r in body["results"]}
    assert ranks["swelling"] > ranks["bakers-cyst"]
    assert [r["rank"] for r in body["results"]] == sorted(ranks.values(), reverse=True)


def test_every_word_must_match_and_type_narrows(api_client, db):
    f.CauseFactory(slug="runners-knee", name="Runner's knee", sources=[])
    f.ExerciseFactory(slug="knee-bend", name="Knee bend", sources=[])

    both = api_client.get("/api/v1/search/?q=knee").json()["results"]
    exercises = api_client.get("/api/v1/search/?q=knee&type=exercises").json()["results"]
    runners = api_client.get("/api/v1/search/?q=runner knee").json()["results"]

    assert {r["slug"] for r in both} == {"runners-knee", "knee-bend"}
    assert [r["slug"] for r in exercises] == ["knee-bend"]
    assert [r["slug"] for r in runners] == ["runners-knee"]


def test_drafts_are_never_found(api_client, graph):
    results = api_client.get("/api/v1/search/?q=draft").json()["results"]
    summary_hits = api_client.get("/api/v1/search/?q=Summary").json()["results"]

    assert results == []
    assert all(not r["slug"].startswith("draft-") for r in summary_hits)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "x" * 101},
        {"q": "knee\x00"},
        {"q": "knee\x1b[31m"},
        {"q": "a\u0085b"},
        {"q": "knee", "type": "people"},
        {"q": "knee", "page": "0"},
        {"q": "knee", "sort": "rank"},
    ],
)
def test_bad_input_is_a_400_problem(api_client, db, params):
    response = api_client.get("/api/v1/search/", params)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["invalid_params"]


def test_sql_and_markup_in_q_are_just_text(api_client, db):
    for q in ["'; DROP TABLE content_app_cause; --", "<script>alert(1)</script>", "% _ \\"]:
        response = api_client.get("/api/v1/search/", {"q": q})
        assert response.status_code == 200
        assert response.json()["results"] == []
