"""/api/v1/causes/: compact list, the one-call detail, filters, expansion and sparse fields."""

import pytest

from content_app import models as m
from tests import factories as f
from tests.api.conftest import slugs

pytestmark = pytest.mark.django_db


def test_list_is_compact_and_published_only(api_client, graph):
    response = api_client.get("/api/v1/causes/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["count"] == 1
    assert body["next"] is None and body["previous"] is None
    item = body["results"][0]
    assert list(item) == [
        "slug", "name", "url", "summary", "prevalence", "onset", "self_care",
        "reviewed_at", "review_due", "reviewed_by", "reviewer_role", "review_status", "updated_at",
    ]  # fmt: skip
    assert item["slug"] == "hamstring-tendinopathy"
    assert item["url"] == "/api/v1/causes/hamstring-tendinopathy/"
    assert item["url"] == graph.cause.get_absolute_url()
    assert item["review_due"] == graph.cause.review_due.isoformat()


def test_draft_cause_is_not_listed_and_its_slug_is_404(api_client, graph):
    assert "draft-cause" not in slugs(api_client.get("/api/v1/causes/").json()["results"])

    response = api_client.get("/api/v1/causes/draft-cause/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("status", [m.Status.IN_REVIEW, m.Status.ARCHIVED])
def test_unpublished_statuses_answer_404_not_403(api_client, db, status):
    f.CauseFactory(slug="hidden", status=status)

    assert api_client.get("/api/v1/causes/hidden/").status_code == 404


def test_detail_answers_the_app_screen_in_one_call(api_client, graph):
    body = api_client.get("/api/v1/causes/hamstring-tendinopathy/").json()

    assert body["body"] == "Body text about Hamstring tendinopathy."
    assert body["reviewed_at"] is not None and body["review_due"] is not None
    assert slugs(body["structures"]) == ["biceps-femoris", "hamstrings"]
    assert body["structures"][1] == {
        "slug": "hamstrings",
        "name": "Hamstrings",
        "url": "/api/v1/anatomy/hamstrings/",
        "order": 2,
        "role": "involved",
        "note": "",
        "kind": "region",
    }
    assert slugs(body["symptoms"]) == ["ache-when-running"]
    assert body["risk_factors"][0]["note"] == "Build up slowly."
    assert body["risk_factors"][0]["modifiable"] is True
    # Most urgent first, whatever the editors' order says.
    assert [(r["slug"], r["urgency"]) for r in body["red_flags"]] == [
        ("calf-swelling-and-breathlessness", "emergency"),
        ("pain-lasting-weeks", "routine"),
    ]
    assert body["red_flags"][0]["action"] == "Call an ambulance."
    assert slugs(body["exercises"]) == ["glute-bridge", "hamstring-stretch", "single-leg-bridge"]
    assert [e["role"] for e in body["exercises"]] == ["recommended", "recommended", "avoid"]
    assert body["exercises"][0]["dosage"] == {
        "sets": 2,
        "reps": 8,
        "hold_seconds": None,
        "times_per_day": 2,
        "times_per_day_max": 3,
        "target": {"sets": 3, "reps": 15, "hold_seconds": None},
        "note": "",
    }
    assert slugs(body["treatments"]) == ["massage"]
    assert body["sources"] == [
        {"slug": "nhs-article", "name": "NHS article", "url": "/api/v1/sources/nhs-article/"}
    ]


def test_detail_shows_no_trace_of_unpublished_related_items(api_client, graph):
    content = api_client.get("/api/v1/causes/hamstring-tendinopathy/").content.decode()

    assert "draft-" not in content


def test_expand_embeds_full_items_one_level_deep(api_client, graph):
    body = api_client.get(
        "/api/v1/causes/hamstring-tendinopathy/?expand=exercises,red_flags"
    ).json()

    bridge = body["exercises"][0]
    assert bridge["role"] == "recommended"  # the relation's attributes stay
    assert bridge["item"]["steps"] == [
        {"order": 1, "text": "Lie on your back, knees bent."},
        {"order": 2, "text": "Lift your hips."},
    ]
    assert "item" not in bridge["item"]["progressions"][0]  # one level only
    assert body["red_flags"][0]["item"]["body"].startswith("Body text")
    assert all("item" not in ref for ref in body["structures"])
    assert "draft-" not in str(body)


def test_unknown_expand_is_a_400_naming_it(api_client, graph):
    response = api_client.get("/api/v1/causes/hamstring-tendinopathy/?expand=exercises,friends")

    assert response.status_code == 400
    problem = response.json()
    assert problem["invalid_params"][0]["name"] == "expand"
    assert "'friends'" in problem["invalid_params"][0]["reason"]


def test_fields_trims_list_and_detail(api_client, graph):
    listed = api_client.get("/api/v1/causes/?fields=slug,onset").json()["results"]
    detail = api_client.get("/api/v1/causes/hamstring-tendinopathy/?fields=slug,red_flags").json()

    assert listed == [{"slug": "hamstring-tendinopathy", "onset": "overuse"}]
    assert list(detail) == ["slug", "red_flags"]


def test_unknown_field_is_a_400(api_client, graph):
    response = api_client.get("/api/v1/causes/?fields=slug,body")  # body is detail-only

    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == "fields"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("structure=biceps-femoris", ["hamstring-tendinopathy"]),
        ("structure=draft-structure", []),
        ("symptom=ache-when-running", ["hamstring-tendinopathy"]),
        ("risk_factor=sudden-training-increase", ["hamstring-tendinopathy"]),
        ("red_flag=pain-lasting-weeks", ["hamstring-tendinopathy"]),
        ("exercise=glute-bridge", ["hamstring-tendinopathy"]),
        ("treatment=massage", ["hamstring-tendinopathy"]),
        ("prevalence=common", ["hamstring-tendinopathy", "rare-one"]),
        ("prevalence=rare", []),
        ("onset=acute", ["rare-one"]),
        ("self_care=not_suitable", ["rare-one"]),
        ("onset=acute&prevalence=rare", []),
    ],
)
def test_filters(api_client, graph, query, expected):
    f.CauseFactory(
        slug="rare-one",
        name="Rare one",
        onset=m.Onset.ACUTE,
        self_care=m.SelfCare.NOT_SUITABLE,
    )

    response = api_client.get(f"/api/v1/causes/?{query}")

    assert response.status_code == 200
    assert sorted(slugs(response.json()["results"])) == expected


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("prevalence=often", "prevalence"),
        ("structure=not a slug", "structure"),
        ("ordering=body", "ordering"),
        ("onset=acute&onset=overuse", "onset"),
        ("colour=red", "colour"),
    ],
)
def test_invalid_filter_values_are_a_400_naming_the_parameter(api_client, db, query, param):
    response = api_client.get(f"/api/v1/causes/?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [p["name"] for p in response.json()["invalid_params"]] == [param]


def test_ordering_allow_list(api_client, db):
    f.CauseFactory(slug="b", name="B", prevalence=m.Prevalence.RARE)
    f.CauseFactory(slug="a", name="A", prevalence=m.Prevalence.UNCOMMON)

    by_name = api_client.get("/api/v1/causes/?ordering=-name").json()["results"]
    by_prevalence = api_client.get("/api/v1/causes/?ordering=prevalence").json()["results"]

    assert slugs(by_name) == ["b", "a"]
    assert slugs(by_prevalence) == ["b", "a"]  # alphabetical: rare < uncommon
