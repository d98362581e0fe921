"""Rules as content: drafts never count, publishing does, roles required and against."""

import datetime

import pytest
from django.utils import timezone

from content_app import models as m
from content_app import services
from content_app.selfcheck.ruleset import current_ruleset
from tests import factories as f

SELF_CHECK = "/api/v1/self-check/"
pytestmark = pytest.mark.django_db


def post(api_client, payload):
    return api_client.post(SELF_CHECK, payload, format="json")


def review(item):
    """A recorded review (set directly: services.record_review's history note is longer than
    PostgreSQL's 100 characters for an editorial review, a bug of the safety-model branch)."""
    m.TriageRule.objects.filter(pk=item.pk).update(
        reviewed_at=timezone.now(),
        reviewer_name="Test reviewer",
        reviewer_role=m.ReviewerRole.EDITORIAL,
        review_due=timezone.localdate() + datetime.timedelta(days=30),
    )
    item.refresh_from_db()


def _rule_graph():
    source = f.SourceFactory()
    flag = f.RedFlagFactory(slug="test-flag", urgency=m.Urgency.URGENT, sources=[source])
    a = f.SymptomFactory(slug="sym-a", sources=[source])
    b = f.SymptomFactory(slug="sym-b", sources=[source])
    return flag, a, b


def test_a_draft_rule_never_reaches_the_ruleset_and_publishing_it_does(api_client, db):
    flag, a, b = _rule_graph()
    rule = m.TriageRule.objects.create(
        slug="a-and-b",
        name="A and B",
        summary="Both.",
        body="Both together.",
        red_flag=flag,
        status=m.Status.DRAFT,
    )
    m.TriageRuleSymptom.objects.create(rule=rule, symptom=a)
    m.TriageRuleSymptom.objects.create(rule=rule, symptom=b)
    payload = {"symptoms": ["sym-a", "sym-b"]}
    assert post(api_client, payload).json()["red_flags"] == []
    assert current_ruleset()["rules"] == []

    publisher = f.UserFactory(is_superuser=True)
    rule.sources.set([flag.sources.first()])
    services.submit_for_review(item=rule, user=publisher)
    review(rule)
    services.publish(item=rule, user=publisher)
    result = post(api_client, payload).json()
    assert [x["slug"] for x in result["red_flags"]] == ["test-flag"]
    assert result["red_flags"][0]["rules"] == ["a-and-b"]
    # One symptom alone does not fire a two-symptom rule.
    assert post(api_client, {"symptoms": ["sym-a"]}).json()["red_flags"] == []


def test_publishing_a_rule_needs_its_symptoms_and_a_published_flag(db):
    flag, _a, _b = _rule_graph()
    flag.status = m.Status.DRAFT
    flag.save()
    rule = m.TriageRule.objects.create(
        slug="lonely", name="Lonely", summary="S.", body="B.", red_flag=flag
    )
    problems = services.publish_problems(rule)
    assert any("needs at least one symptom" in p for p in problems)
    assert any("not published" in p for p in problems)


def test_required_and_against_roles(api_client, db):
    source = f.SourceFactory()
    cause = f.CauseFactory(slug="c1", sources=[source])
    other = f.CauseFactory(slug="c2", sources=[source])
    need = f.SymptomFactory(slug="need", sources=[source])
    common = f.SymptomFactory(slug="common", sources=[source])
    contra = f.SymptomFactory(slug="contra", sources=[source])
    m.CauseSymptom.objects.create(cause=cause, symptom=need, role="required", weight=1)
    m.CauseSymptom.objects.create(cause=cause, symptom=common, weight=1)
    m.CauseSymptom.objects.create(cause=other, symptom=common, weight=2)
    m.CauseSymptom.objects.create(cause=other, symptom=contra, role="against", weight=2)
    slugs = lambda payload: [c["slug"] for c in post(api_client, payload).json()["causes"]]  # noqa: E731
    assert slugs({"symptoms": ["common"]}) == ["c2"]  # c1 misses its required symptom
    assert slugs({"symptoms": ["common", "need"]}) == ["c1", "c2"]  # more matched
    assert slugs({"symptoms": ["common", "need", "contra"]}) == ["c1"]  # c2: 2 - 2 = 0


def test_sync_sends_the_new_ruleset_when_a_rule_is_published(api_client, db):
    flag, a, _b = _rule_graph()
    cursor = api_client.get("/api/v1/bundle/").json()["cursor"]
    quiet = api_client.get("/api/v1/sync/", {"since": cursor}).json()
    assert quiet["self_check"] is None  # nothing changed
    rule = m.TriageRule.objects.create(
        slug="only-a", name="Only A", summary="S.", body="B.", red_flag=flag
    )
    m.TriageRuleSymptom.objects.create(rule=rule, symptom=a)
    rule.sources.set([flag.sources.first()])
    draft = api_client.get("/api/v1/sync/", {"since": cursor}).json()
    assert draft["cursor"] == cursor and draft["self_check"] is None  # drafts leave no trace
    user = f.UserFactory(is_superuser=True)
    services.submit_for_review(item=rule, user=user)
    review(rule)
    services.publish(item=rule, user=user)
    page = api_client.get("/api/v1/sync/", {"since": cursor}).json()
    assert page["removed"] == [] and "self-check" not in page["changed"]
    assert [r["slug"] for r in page["self_check"]["rules"]] == ["only-a"]
