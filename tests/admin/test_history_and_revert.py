"""History: who changed what, readable diffs, relation history, and revert as a new version."""

import pytest
from django.core.exceptions import PermissionDenied

from content_app import models as m
from content_app import services
from content_app.models import Status
from tests import factories as f
from tests.admin.helpers import admin_url, messages_of


def _edit(item, user, **changes):
    for name, value in changes.items():
        setattr(item, name, value)
    item._history_user = user
    item.save()


@pytest.fixture
def edited_cause(editor):
    """A draft cause at version 1 (summary, source one, structure A), then edited away."""
    one, two = f.SourceFactory(title="Source one"), f.SourceFactory(title="Source two")
    structure_a = f.AnatomyStructureFactory(name="Structure A")
    structure_b = f.AnatomyStructureFactory(name="Structure B")
    cause = f.CauseFactory(status=Status.DRAFT, summary="Version one.", sources=[one])
    m.CauseStructure.objects.create(cause=cause, structure=structure_a, order=1, note="first")
    version_one = cause.history.order_by("-history_date").first()

    _edit(cause, editor, summary="Version two.")
    cause.sources.set([two])
    m.CauseStructure.objects.filter(cause=cause).delete()
    m.CauseStructure.objects.create(cause=cause, structure=structure_b, order=2)
    return cause, version_one, one, structure_a


def test_revert_restores_fields_sources_and_relations_as_a_new_version(editor, edited_cause):
    cause, version_one, source_one, structure_a = edited_cause
    versions_before = cause.history.count()
    services.revert_to_version(item=cause, version_id=version_one.history_id, user=editor)
    cause.refresh_from_db()
    assert cause.summary == "Version one."
    assert list(cause.sources.all()) == [source_one]
    links = list(cause.structure_links.values_list("structure_id", "order", "note"))
    assert links == [(structure_a.pk, 1, "first")]
    assert cause.status == Status.DRAFT
    assert cause.history.count() > versions_before
    newest = cause.history.order_by("-history_date").first()
    assert newest.history_user == editor
    assert "Reverted to the version of" in (
        cause.history.filter(history_type="~")
        .exclude(history_change_reason=None)
        .first()
        .history_change_reason
    )


def test_revert_through_the_history_page(login, editor, edited_cause):
    cause, version_one, *_ = edited_cause
    session = login(editor)
    page = session.get(admin_url(cause, "simple_history", version_one.history_id))
    assert page.status_code == 200
    assert not page.context["revert_disabled"]
    response = session.post(
        admin_url(cause, "simple_history", version_one.history_id), {}, follow=True
    )
    assert any("was reverted" in text for text in messages_of(response))
    cause.refresh_from_db()
    assert cause.summary == "Version one."


def test_history_page_shows_who_changed_what_and_relation_changes(login, editor, edited_cause):
    cause, *_ = edited_cause
    response = login(editor).get(admin_url(cause, "history"))
    html = response.content.decode()
    assert "Version one." in html and "Version two." in html  # the field diff
    assert "Structure A" in html and "removed" in html  # the relation history
    assert ">ed<" in html or "ed</a>" in html


def test_reverting_a_published_item_prepares_its_next_version_live_untouched(editor, publisher):
    cause = f.CauseFactory(status=Status.DRAFT, body="", reviewed_by=publisher)
    empty_body = cause.history.order_by("-history_date").first()
    _edit(cause, publisher, body="Now with a body.", status=Status.PUBLISHED)
    revision = cause.revision
    outcome = services.revert_to_version(item=cause, version_id=empty_body.history_id, user=editor)
    copy = outcome.item
    assert copy.working_copy_of_id == cause.pk and copy.status == Status.DRAFT
    assert copy.body == ""
    cause.refresh_from_db()
    assert (cause.body, cause.revision, cause.status) == ("Now with a body.", revision, "published")
    # The old content goes through the same publish validation as any change.
    assert "Body is empty." in services.publish_problems(copy)


def test_reverting_a_published_item_is_an_editors_change_not_a_publishers(publisher):
    cause = f.CauseFactory(status=Status.PUBLISHED)
    version = cause.history.first()
    with pytest.raises(PermissionDenied):
        services.revert_to_version(item=cause, version_id=version.history_id, user=publisher)
    assert not m.Cause.objects.working_copies().exists()


def test_items_in_review_cannot_be_reverted(superuser):
    cause = f.CauseFactory(status=Status.IN_REVIEW)
    with pytest.raises(services.WorkflowError, match="frozen"):
        services.revert_to_version(
            item=cause, version_id=cause.history.first().history_id, user=superuser
        )


def test_revert_restores_exercise_steps_and_progressions(editor):
    exercise = f.ExerciseFactory(status=Status.DRAFT)
    harder = f.ExerciseFactory()
    m.ExerciseStep.objects.create(exercise=exercise, order=1, text="Sit tall.")
    m.ExerciseProgression.objects.create(easier=exercise, harder=harder)
    version = exercise.history.order_by("-history_date").first()
    _edit(exercise, editor, name="Renamed")
    m.ExerciseStep.objects.filter(exercise=exercise).update(text="Changed")
    m.ExerciseStep.objects.create(exercise=exercise, order=2, text="Extra.")
    m.ExerciseProgression.objects.all().delete()

    services.revert_to_version(item=exercise, version_id=version.history_id, user=editor)
    exercise.refresh_from_db()
    assert exercise.name != "Renamed"
    assert list(exercise.steps.values_list("order", "text")) == [(1, "Sit tall.")]
    assert list(exercise.harder_variations.all()) == [harder]


def test_history_diff_names_changed_fields(editor):
    cause = f.CauseFactory(status=Status.DRAFT, summary="Old.")
    older = cause.history.order_by("-history_date").first()
    _edit(cause, editor, summary="New.")
    newer = cause.history.order_by("-history_date").first()
    changes = {
        c["field"]: (c["old"], c["new"]) for c in services.history_diff(older=older, newer=newer)
    }
    assert changes["summary"] == ("Old.", "New.")


def test_revert_keeps_a_foreign_key_whose_old_target_was_deleted(editor):
    old_parent, new_parent = f.AnatomyStructureFactory(), f.AnatomyStructureFactory()
    child = f.AnatomyStructureFactory(status=Status.DRAFT, parent=old_parent, latin_name="Old")
    version = child.history.order_by("-history_date").first()
    _edit(child, editor, parent=new_parent, latin_name="New")
    old_parent.delete()
    outcome = services.revert_to_version(item=child, version_id=version.history_id, user=editor)
    child.refresh_from_db()
    assert (child.latin_name, child.parent) == ("Old", new_parent)
    assert "Kept the current parent" in outcome.message
