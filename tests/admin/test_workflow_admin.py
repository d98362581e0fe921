"""Workflow through the admin: buttons, bulk actions, server-side permission checks, delete."""

import pytest

from content_app import models as m
from content_app.models import Status
from tests import factories as f
from tests.admin.helpers import admin_url, change_form_data, messages_of


def _workflow(session, item, step, **data):
    return session.post(admin_url(item, "workflow", step), data, follow=True)


def test_crafted_publish_post_by_an_editor_is_forbidden(login, editor):
    cause = f.CauseFactory(status=Status.IN_REVIEW)
    response = login(editor).post(admin_url(cause, "workflow", "publish"))
    assert response.status_code == 403
    cause.refresh_from_db()
    assert cause.status == Status.IN_REVIEW


def test_editor_cannot_set_status_through_the_change_form(login, editor):
    cause = f.CauseFactory(status=Status.DRAFT)
    session = login(editor)
    page = session.get(admin_url(cause))
    data = change_form_data(page, status="published", name="Edited name")
    response = session.post(admin_url(cause), data)
    assert response.status_code == 302
    cause.refresh_from_db()
    assert (cause.name, cause.status) == ("Edited name", Status.DRAFT)


def test_published_item_is_read_only_for_an_editor(login, editor):
    cause = f.CauseFactory(status=Status.PUBLISHED)
    session = login(editor)
    page = session.get(admin_url(cause))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    response = session.post(admin_url(cause), {"name": "Sneaky", "loaded_revision": cause.revision})
    assert response.status_code == 403
    cause.refresh_from_db()
    assert cause.name != "Sneaky"


def test_buttons_take_a_cause_from_draft_to_published(login, editor, reviewer, publisher):
    cause = f.CauseFactory(status=Status.DRAFT, reviewed_at=None)
    page = login(editor).get(admin_url(cause))
    assert [step.name for step, _ in page.context["workflow_steps"]] == ["submit"]

    _workflow(login(editor), cause, "submit", revision=cause.revision)
    cause.refresh_from_db()
    _workflow(login(reviewer), cause, "review", review_due="2099-01-31", revision=cause.revision)
    cause.refresh_from_db()
    assert str(cause.review_due) == "2099-01-31"
    response = _workflow(login(publisher), cause, "publish", revision=cause.revision)
    cause.refresh_from_db()
    assert cause.status == Status.PUBLISHED
    assert any("was published" in text for text in messages_of(response))


def test_publish_button_refusal_lists_every_problem(login, publisher):
    cause = f.CauseFactory(status=Status.IN_REVIEW, summary="", body="", sources=[])
    response = _workflow(login(publisher), cause, "publish")
    text = " ".join(messages_of(response))
    assert "Summary is empty" in text
    assert "Body is empty" in text
    assert "No source is cited" in text
    cause.refresh_from_db()
    assert cause.status == Status.IN_REVIEW


def test_workflow_button_with_stale_revision_is_refused(login, publisher):
    cause = f.CauseFactory(status=Status.IN_REVIEW)
    response = _workflow(login(publisher), cause, "publish", revision=cause.revision - 1)
    assert any("changed since you opened it" in t for t in messages_of(response))
    assert m.Cause.objects.get(pk=cause.pk).status == Status.IN_REVIEW


def test_workflow_view_rejects_get(login, publisher):
    cause = f.CauseFactory(status=Status.IN_REVIEW)
    assert login(publisher).get(admin_url(cause, "workflow", "publish")).status_code == 405


def test_bulk_publish_reports_per_item(login, publisher):
    good = f.CauseFactory(name="Good", status=Status.IN_REVIEW, reviewed_by=publisher)
    bad = f.CauseFactory(name="Bad", status=Status.IN_REVIEW, sources=[])
    draft = f.CauseFactory(name="Drafty", status=Status.DRAFT)
    response = login(publisher).post(
        admin_url(m.Cause, "changelist"),
        {"action": "publish_selected", "_selected_action": [good.pk, bad.pk, draft.pk]},
        follow=True,
    )
    text = messages_of(response)
    assert any("“Good” was published" in t for t in text)
    assert any("“Bad”" in t and "No source" in t for t in text)
    assert any("“Drafty”" in t and "cannot move to published" in t for t in text)
    statuses = dict(m.Cause.objects.values_list("name", "status"))
    assert statuses == {"Good": "published", "Bad": "in_review", "Drafty": "draft"}


def test_bulk_action_posted_by_a_role_without_the_permission_changes_nothing(login, editor):
    cause = f.CauseFactory(status=Status.IN_REVIEW)
    login(editor).post(
        admin_url(m.Cause, "changelist"),
        {"action": "publish_selected", "_selected_action": [cause.pk]},
    )
    assert m.Cause.objects.get(pk=cause.pk).status == Status.IN_REVIEW


@pytest.mark.parametrize(
    ("step", "status", "expected"),
    [
        ("submit", Status.DRAFT, Status.IN_REVIEW),
        ("unpublish", Status.PUBLISHED, Status.DRAFT),
        ("archive", Status.PUBLISHED, Status.ARCHIVED),
    ],
)
def test_bulk_actions_move_every_selected_item(request, login, step, status, expected):
    user = request.getfixturevalue("editor" if step == "submit" else "publisher")
    items = f.SymptomFactory.create_batch(3, status=status)
    login(user).post(
        admin_url(m.Symptom, "changelist"),
        {"action": f"{step}_selected", "_selected_action": [i.pk for i in items]},
    )
    assert set(m.Symptom.objects.values_list("status", flat=True)) == {expected}


def test_bulk_mark_reviewed_records_reviewer(login, reviewer):
    items = f.RedFlagFactory.create_batch(2, status=Status.IN_REVIEW, reviewed_by=None)
    login(reviewer).post(
        admin_url(m.RedFlag, "changelist"),
        {"action": "review_selected", "_selected_action": [i.pk for i in items]},
    )
    assert set(m.RedFlag.objects.values_list("reviewed_by", flat=True)) == {reviewer.pk}


def test_editor_cannot_delete_but_superuser_can(login, editor, superuser):
    cause = f.CauseFactory(status=Status.PUBLISHED)
    assert login(editor).post(admin_url(cause, "delete"), {"post": "yes"}).status_code == 403
    assert m.Cause.objects.filter(pk=cause.pk).exists()
    assert login(superuser).post(admin_url(cause, "delete"), {"post": "yes"}).status_code == 302
    assert not m.Cause.objects.filter(pk=cause.pk).exists()


def test_superuser_edit_of_published_item_must_stay_publishable(login, superuser):
    cause = f.CauseFactory(status=Status.PUBLISHED, reviewed_by=superuser)
    session = login(superuser)
    data = change_form_data(session.get(admin_url(cause)), body="", sources=[])
    response = session.post(admin_url(cause), data)
    assert response.status_code == 200
    errors = str(response.context["adminform"].form.non_field_errors())
    assert "Body is empty" in errors
    assert "No source is cited" in errors
    cause.refresh_from_db()
    assert cause.body
    assert cause.sources.exists()


def test_editor_creates_a_draft_cause_with_relations(login, editor):
    exercise = f.ExerciseFactory()
    source = f.SourceFactory()
    session = login(editor)
    data = change_form_data(
        session.get(admin_url(m.Cause, "add")),
        name="Popliteus tendinopathy",
        slug="popliteus-tendinopathy",
        summary="Irritated popliteus tendon.",
        body="Body.",
        prevalence="uncommon",
        onset="overuse",
        self_care="suitable",
        sources=[str(source.pk)],
        **{
            "exercise_links-TOTAL_FORMS": "1",
            "exercise_links-0-exercise": str(exercise.pk),
            "exercise_links-0-role": "recommended",
            "exercise_links-0-phase": "recovery",
            "exercise_links-0-order": "1",
        },
    )
    response = session.post(admin_url(m.Cause, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    cause = m.Cause.objects.get(slug="popliteus-tendinopathy")
    assert cause.status == Status.DRAFT
    assert list(cause.exercises.all()) == [exercise]
    assert cause.history.first().history_user == editor


def test_unpublish_and_hard_delete_leave_tombstones_for_sync(login, publisher, superuser):
    kept = f.CauseFactory(status=Status.PUBLISHED)
    deleted = f.CauseFactory(status=Status.PUBLISHED)
    _workflow(login(publisher), kept, "unpublish")
    login(superuser).post(admin_url(deleted, "delete"), {"post": "yes"})
    removed = set(
        m.ChangeLogEntry.objects.filter(action=m.ChangeAction.REMOVE).values_list("slug", flat=True)
    )
    assert {kept.slug, deleted.slug} <= removed
