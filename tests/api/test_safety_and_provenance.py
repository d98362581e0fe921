"""What safety needs in the API (issue 8): symptom red flags, recommendation conditions,
exercise safety cues, review provenance and the disclaimer on every item."""

import datetime

import pytest
from django.utils import timezone

from content_app import models as m
from tests import factories as f
from tests.api.conftest import slugs

pytestmark = pytest.mark.django_db

DISCLAIMER_REF = {
    "slug": "general-information",
    "name": "About this information",
    "url": "/api/v1/disclaimers/general-information/",
}


def test_symptom_detail_shows_its_red_flags_most_urgent_first_and_published_only(api_client, graph):
    body = api_client.get("/api/v1/symptoms/ache-when-running/").json()

    # The routine flag has the lower `order`, but the emergency comes first.
    assert slugs(body["red_flags"]) == ["calf-swelling-and-breathlessness", "pain-lasting-weeks"]
    assert body["red_flags"][0] == {
        "slug": "calf-swelling-and-breathlessness",
        "name": "Calf swelling and breathlessness",
        "url": "/api/v1/red-flags/calf-swelling-and-breathlessness/",
        "order": 5,
        "note": "",
        "urgency": "emergency",
        "action": "Call an ambulance.",
    }


def test_symptom_red_flags_expand_and_filter_both_ways(api_client, graph):
    expanded = api_client.get("/api/v1/symptoms/ache-when-running/?expand=red_flags").json()
    by_flag = api_client.get("/api/v1/symptoms/?red_flag=calf-swelling-and-breathlessness").json()
    by_symptom = api_client.get("/api/v1/red-flags/?symptom=ache-when-running").json()
    flag = api_client.get("/api/v1/red-flags/calf-swelling-and-breathlessness/").json()

    assert expanded["red_flags"][0]["item"]["action"] == "Call an ambulance."
    assert slugs(by_flag["results"]) == ["ache-when-running"]
    assert slugs(by_symptom["results"]) == [
        "calf-swelling-and-breathlessness",
        "pain-lasting-weeks",
    ]
    assert slugs(flag["symptoms"]) == ["ache-when-running"]


def test_cause_links_carry_phase_caution_and_role(api_client, graph):
    m.CauseExercise.objects.filter(exercise=graph.stretch).update(
        phase=m.RecommendationPhase.RECOVERY, caution="Only once a clot is ruled out."
    )
    m.CauseTreatment.objects.filter(treatment=graph.massage).update(
        role=m.TreatmentRole.ONLY_AFTER_DIAGNOSIS, phase=m.RecommendationPhase.RECOVERY
    )

    body = api_client.get("/api/v1/causes/hamstring-tendinopathy/").json()
    stretch = next(e for e in body["exercises"] if e["slug"] == "hamstring-stretch")
    massage = body["treatments"][0]
    treatment = api_client.get("/api/v1/treatments/massage/").json()

    assert (stretch["role"], stretch["phase"], stretch["caution"]) == (
        "recommended",
        "recovery",
        "Only once a clot is ruled out.",
    )
    assert (massage["role"], massage["phase"]) == ("only_after_diagnosis", "recovery")
    assert massage["caution"] == "Only once serious conditions have been ruled out."
    assert treatment["causes"][0]["role"] == "only_after_diagnosis"


def test_exercise_detail_carries_its_stop_rule_cautions_and_prevention_flag(api_client, graph):
    m.Exercise.objects.filter(pk=graph.bridge.pk).update(
        cautions="Only as deep as is comfortable.\n\n  Ask a professional first.  \n",
        prevention_only=True,
    )

    body = api_client.get("/api/v1/exercises/glute-bridge/").json()

    assert body["stop_rule"] == "Stop if it makes the pain worse."
    assert body["cautions"] == ["Only as deep as is comfortable.", "Ask a professional first."]
    assert body["prevention_only"] is True


def test_every_item_says_who_reviewed_it_in_what_role_and_its_review_status(api_client, graph):
    today = timezone.localdate()
    f.CauseFactory(slug="due-soon", review_due=today + datetime.timedelta(days=10))
    f.CauseFactory(slug="overdue", review_due=today)
    f.CauseFactory(
        slug="clinical",
        reviewer_name="Dr A. Example",
        reviewer_role=m.ReviewerRole.CLINICAL,
    )

    listed = {c["slug"]: c for c in api_client.get("/api/v1/causes/").json()["results"]}

    assert listed["hamstring-tendinopathy"]["reviewed_by"] == "Test Reviewer"
    assert listed["hamstring-tendinopathy"]["reviewer_role"] == "editorial"
    assert listed["hamstring-tendinopathy"]["review_status"] == "current"
    assert listed["due-soon"]["review_status"] == "due_soon"
    assert listed["overdue"]["review_status"] == "overdue"
    assert (listed["clinical"]["reviewed_by"], listed["clinical"]["reviewer_role"]) == (
        "Dr A. Example",
        "clinical",
    )


def test_an_unreviewed_item_shows_no_reviewer_and_not_reviewed(api_client, graph):
    # Published items are always reviewed; the admin preview shows drafts too.
    from content_app.api.v1.representations import detail_representation

    draft = f.CauseFactory(slug="unreviewed", status=m.Status.DRAFT, reviewed_at=None)

    preview = detail_representation(draft)

    assert preview["reviewed_by"] is None and preview["reviewer_role"] is None
    assert preview["review_status"] == "not_reviewed"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/causes/hamstring-tendinopathy/",
        "/api/v1/symptoms/ache-when-running/",
        "/api/v1/exercises/glute-bridge/",
        "/api/v1/treatments/massage/",
        "/api/v1/red-flags/pain-lasting-weeks/",
        "/api/v1/anatomy/hamstrings/",
        "/api/v1/risk-factors/sudden-training-increase/",
    ],
)
def test_every_content_detail_refers_to_the_published_disclaimer(api_client, graph, path):
    assert api_client.get(path).json()["disclaimer"] == DISCLAIMER_REF


def test_the_disclaimer_is_served_at_the_root_bundle_sync_and_its_own_collection(api_client, graph):
    root = api_client.get("/api/v1/").json()["disclaimer"]
    bundle = api_client.get("/api/v1/bundle/").json()
    sync = api_client.get("/api/v1/sync/?since=0&limit=1").json()
    listed = api_client.get("/api/v1/disclaimers/").json()["results"]

    assert root["slug"] == "general-information"
    assert root["body"] == graph.disclaimer.body and root["summary"] == graph.disclaimer.summary
    assert bundle["disclaimer"] == root == sync["disclaimer"]
    assert slugs(bundle["content"]["disclaimers"]) == ["general-information"]
    assert slugs(listed) == ["general-information"]  # drafts stay hidden
    assert api_client.get("/api/v1/disclaimers/draft-disclaimer/").status_code == 404


def test_red_flags_come_emergency_first_in_cause_symptom_bundle_and_sync(api_client, graph):
    bundle = api_client.get("/api/v1/bundle/").json()["content"]
    sync = api_client.get("/api/v1/sync/?since=0&limit=500").json()["changed"]

    for content in (bundle, sync):
        cause = next(c for c in content["causes"] if c["slug"] == "hamstring-tendinopathy")
        symptom = next(s for s in content["symptoms"] if s["slug"] == "ache-when-running")
        assert [r["urgency"] for r in cause["red_flags"]] == ["emergency", "routine"]
        assert [r["urgency"] for r in symptom["red_flags"]] == ["emergency", "routine"]
        assert [r["urgency"] for r in content["red-flags"]] == ["emergency", "routine"]
