"""The staff-only API preview shows exactly the detail JSON /api/v1/ serves."""

import json

import pytest

from content_app import services
from content_app.models import Status
from tests import factories as f
from tests.admin.helpers import admin_url

pytestmark = pytest.mark.django_db


def test_preview_of_a_draft_shows_its_json_while_the_api_answers_404(login, editor, client):
    exercise = f.ExerciseFactory(status=Status.PUBLISHED, name="Heel slide")
    cause = f.CauseFactory(status=Status.DRAFT, name="Draft cause", slug="draft-cause-x")
    f.CauseExerciseFactory(cause=cause, exercise=exercise)
    session = login(editor)

    page = session.get(admin_url(cause, "preview"))
    assert page.status_code == 200
    assert "Draft cause" in page.context["json"]
    raw = json.loads(session.get(admin_url(cause, "preview"), {"raw": "1"}).content)
    assert raw["slug"] == "draft-cause-x"
    assert [e["name"] for e in raw["exercises"]] == ["Heel slide"]

    assert client.get(cause.get_absolute_url()).status_code == 404


def test_preview_matches_the_public_api_once_published(login, publisher, client):
    cause = f.CauseFactory(status=Status.IN_REVIEW, reviewed_by=publisher)
    f.CauseRedFlagFactory(cause=cause)
    f.CauseStructureFactory(cause=cause)
    services.publish(item=cause, user=publisher)
    preview = login(publisher).get(admin_url(cause, "preview"), {"raw": "1"})
    public = client.get(cause.get_absolute_url())
    assert public.status_code == 200
    assert json.loads(preview.content) == json.loads(public.content)


def test_preview_needs_a_staff_login(client):
    cause = f.CauseFactory(status=Status.DRAFT)
    response = client.get(admin_url(cause, "preview"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_no_preview_route_under_the_public_api(client):
    cause = f.CauseFactory(status=Status.DRAFT, slug="secret-draft", name="Secret draft name")
    for path in (f"/api/v1/causes/{cause.slug}/preview/", f"/api/v1/causes/{cause.slug}/"):
        response = client.get(path)
        assert response.status_code == 404
        assert b"Secret draft name" not in response.content


@pytest.mark.parametrize("status", [Status.IN_REVIEW, Status.ARCHIVED])
def test_preview_works_for_every_unpublished_status(login, editor, status):
    symptom = f.SymptomFactory(status=status)
    assert login(editor).get(admin_url(symptom, "preview")).status_code == 200


def test_a_next_versions_preview_keeps_the_links_other_items_hold_to_it(
    login, editor, reviewer, publisher, client
):
    from content_app import working_copies

    flag = f.RedFlagFactory(slug="hot-swollen-knee", action="See a doctor today.")
    f.CauseRedFlagFactory(red_flag=flag, cause=f.CauseFactory(name="Septic arthritis"))
    f.SymptomRedFlagFactory(red_flag=flag, symptom=f.SymptomFactory(name="Swelling"))
    copy = working_copies.start_working_copy(item=flag, user=editor).item
    copy.action = "Go to an emergency department now."
    copy.save()

    preview = json.loads(login(editor).get(admin_url(copy, "preview"), {"raw": "1"}).content)
    assert preview["slug"] == "hot-swollen-knee" and preview["action"].startswith("Go to")
    assert [c["name"] for c in preview["causes"]] == ["Septic arthritis"]
    assert [s["name"] for s in preview["symptoms"]] == ["Swelling"]
    live = client.get(flag.get_absolute_url()).json()
    assert live["action"] == "See a doctor today."

    services.submit_for_review(item=copy, user=editor)
    services.record_review(item=copy, user=reviewer)
    services.publish(item=copy, user=publisher)
    public = client.get(flag.get_absolute_url()).json()
    for key in ("slug", "url", "action", "causes", "symptoms"):
        assert preview[key] == public[key], key
