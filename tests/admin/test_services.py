"""Workflow transitions, publish validation, review and permissions in content_app.services."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from content_app import services
from content_app.models import Cause, Exercise, RedFlag, Status
from tests import factories as f


def _draft_cause(**kwargs):
    return f.CauseFactory(status=Status.DRAFT, reviewed_at=None, **kwargs)


def test_editor_submits_a_draft_for_review_and_the_old_review_is_cleared(editor):
    cause = f.CauseFactory(status=Status.DRAFT, reviewed_by=f.UserFactory())
    services.submit_for_review(item=cause, user=editor)
    cause.refresh_from_db()
    assert cause.status == Status.IN_REVIEW
    assert cause.reviewed_at is None
    assert cause.reviewed_by is None


def test_full_workflow_publishes_and_sets_published_at_once(editor, reviewer, publisher):
    cause = _draft_cause()
    services.submit_for_review(item=cause, user=editor)
    services.record_review(item=cause, user=reviewer)
    services.publish(item=cause, user=publisher)
    cause.refresh_from_db()
    assert cause.status == Status.PUBLISHED
    assert cause.reviewed_by == reviewer
    assert cause.review_due > timezone.localdate()
    first_published = cause.published_at
    assert first_published is not None

    services.unpublish(item=cause, user=publisher)
    services.submit_for_review(item=cause, user=editor)
    services.record_review(item=cause, user=reviewer)
    services.publish(item=cause, user=publisher)
    cause.refresh_from_db()
    assert cause.published_at == first_published


def test_caller_copy_follows_the_saved_row_so_it_can_save_again(editor):
    cause = _draft_cause()
    services.submit_for_review(item=cause, user=editor)
    assert cause.status == Status.IN_REVIEW
    cause.name = "Renamed"
    cause.save()  # would raise RevisionConflict if the copy had a stale revision
    assert Cause.objects.get(pk=cause.pk).name == "Renamed"


@pytest.mark.parametrize(
    ("start", "step"),
    [
        (Status.DRAFT, "publish"),
        (Status.DRAFT, "archive"),
        (Status.IN_REVIEW, "archive"),
        (Status.IN_REVIEW, "submit_for_review"),
        (Status.PUBLISHED, "publish"),
        (Status.ARCHIVED, "publish"),
        (Status.ARCHIVED, "submit_for_review"),
    ],
)
def test_transitions_outside_the_allowed_edges_are_refused(superuser, start, step):
    cause = f.CauseFactory(status=start)
    revision = cause.revision
    with pytest.raises(services.WorkflowError):
        getattr(services, step)(item=cause, user=superuser)
    cause.refresh_from_db()
    assert (cause.status, cause.revision) == (start, revision)


def test_reviewer_sends_back_to_draft(reviewer):
    cause = f.CauseFactory(status=Status.IN_REVIEW)
    services.send_back(item=cause, user=reviewer, reason="Cite the second article.")
    cause.refresh_from_db()
    assert cause.status == Status.DRAFT
    assert cause.history.first().history_change_reason.endswith("Cite the second article.")


def test_archived_item_returns_to_draft_by_unpublish(publisher):
    cause = f.CauseFactory(status=Status.ARCHIVED)
    services.unpublish(item=cause, user=publisher)
    cause.refresh_from_db()
    assert cause.status == Status.DRAFT


@pytest.mark.parametrize(
    ("role", "step"),
    [
        ("editor", "publish"),
        ("editor", "record_review"),
        ("editor", "unpublish"),
        ("editor", "archive"),
        ("reviewer", "publish"),
        ("publisher", "record_review"),
        ("publisher", "submit_for_review"),
        ("reviewer", "submit_for_review"),
    ],
)
def test_roles_cannot_take_steps_that_are_not_theirs(request, role, step):
    user = request.getfixturevalue(role)
    status = {"unpublish": Status.PUBLISHED, "archive": Status.PUBLISHED}.get(step, Status.DRAFT)
    if step in ("publish", "record_review"):
        status = Status.IN_REVIEW
    cause = f.CauseFactory(status=status)
    with pytest.raises(PermissionDenied):
        getattr(services, step)(item=cause, user=user)
    cause.refresh_from_db()
    assert cause.status == status


def test_publish_refusal_names_every_problem_and_saves_nothing(publisher):
    cause = f.CauseFactory(
        status=Status.IN_REVIEW,
        summary="",
        body=" ",
        reviewed_at=None,
        review_due=timezone.localdate() - datetime.timedelta(days=1),
        sources=[],
    )
    revision = cause.revision
    with pytest.raises(services.WorkflowError) as refused:
        services.publish(item=cause, user=publisher)
    problems = " | ".join(refused.value.problems)
    for expected in ("Summary is empty", "Body is empty", "No source", "No review", "was due"):
        assert expected in problems
    cause.refresh_from_db()
    assert (cause.status, cause.revision, cause.published_at) == (Status.IN_REVIEW, revision, None)


def test_publish_refuses_unpublished_sources(publisher):
    cause = f.CauseFactory(
        status=Status.IN_REVIEW, sources=[f.SourceFactory(status=Status.DRAFT, title="Draft src")]
    )
    with pytest.raises(services.WorkflowError, match="Draft src"):
        services.publish(item=cause, user=publisher)


def test_red_flag_needs_an_action_to_publish(publisher):
    flag = f.RedFlagFactory(status=Status.IN_REVIEW, action="")
    with pytest.raises(services.WorkflowError, match="action"):
        services.publish(item=flag, user=publisher)
    assert RedFlag.objects.get(pk=flag.pk).status == Status.IN_REVIEW


def test_exercise_without_dosage_is_not_published(publisher):
    exercise = f.ExerciseFactory(
        status=Status.IN_REVIEW, sets=None, reps=None, times_per_day=None, dosage_note=""
    )
    with pytest.raises(services.WorkflowError, match="no dosage"):
        services.publish(item=exercise, user=publisher)


def test_exercise_dosage_out_of_limits_is_reported():
    exercise = Exercise(sets=11, reps=10, target_reps=5, dosage_note="")
    problems = services.exercise_dosage_problems(exercise)
    assert any("between 1 and 10" in p for p in problems)
    assert any("may not be below" in p for p in problems)


def test_review_due_must_lie_in_the_future(reviewer):
    cause = f.CauseFactory(status=Status.IN_REVIEW)
    with pytest.raises(services.WorkflowError, match="future"):
        services.record_review(item=cause, user=reviewer, review_due=timezone.localdate())


def test_record_review_refused_for_drafts(reviewer):
    with pytest.raises(services.WorkflowError, match="only items in review"):
        services.record_review(item=_draft_cause(), user=reviewer)


def test_stale_expected_revision_refuses_the_step(publisher):
    cause = f.CauseFactory(status=Status.IN_REVIEW)
    seen = cause.revision
    Cause.objects.get(pk=cause.pk).save()
    with pytest.raises(services.WorkflowError, match="changed since you opened it"):
        services.publish(item=cause, user=publisher, expected_revision=seen)
    assert Cause.objects.get(pk=cause.pk).status == Status.IN_REVIEW


def test_only_superusers_hard_delete(editor, superuser):
    cause = f.CauseFactory()
    with pytest.raises(PermissionDenied):
        services.delete_item(item=cause, user=editor)
    pk = cause.pk
    services.delete_item(item=cause, user=superuser)
    assert not Cause.objects.filter(pk=pk).exists()
    assert Cause.history.filter(id=pk).first().history_type == "-"


def test_transitions_are_recorded_in_history_with_user_and_reason(editor):
    cause = _draft_cause()
    services.submit_for_review(item=cause, user=editor)
    latest = cause.history.first()
    assert latest.history_user == editor
    assert latest.history_change_reason == "Submitted for review"
    assert latest.status == Status.IN_REVIEW
