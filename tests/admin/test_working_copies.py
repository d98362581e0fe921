"""Working copies: a published item's next version is written, reviewed and published while
the live one keeps being served, and then replaces it atomically (content_app/working_copies.py).
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from content_app import models as m
from content_app import notices, services, working_copies
from content_app.changelog import current_head
from content_app.models import Status
from tests import factories as f
from tests.admin.helpers import admin_url, change_form_data, messages_of


def _entries_since(head):
    return list(
        m.ChangeLogEntry.objects.filter(id__gt=head)
        .order_by("id")
        .values_list("entity_type", "slug", "action")
    )


@pytest.fixture
def live_cause(db):
    source = f.SourceFactory(title="Cited")
    cause = f.CauseFactory(slug="bakers-cyst", summary="A cyst behind the knee.", sources=[source])
    kept = f.CauseStructureFactory(cause=cause, note="unchanged")
    edited = f.CauseStructureFactory(cause=cause, note="old note")
    dropped = f.CauseStructureFactory(cause=cause, note="dropped")
    return cause, kept, edited, dropped


def _reviewed_copy(live, editor, reviewer, **changes):
    copy = working_copies.start_working_copy(item=live, user=editor).item
    for name, value in changes.items():
        setattr(copy, name, value)
    copy.save()
    services.submit_for_review(item=copy, user=editor)
    services.record_review(item=copy, user=reviewer)
    return copy


def test_edit_next_version_copies_the_item_and_is_continued_not_duplicated(live_cause, editor):
    cause, *_ = live_cause
    head = current_head()
    outcome = working_copies.start_working_copy(item=cause, user=editor)
    copy = outcome.item
    assert copy.pk != cause.pk and copy.working_copy_of == cause
    assert copy.status == Status.DRAFT and copy.based_on_revision == cause.revision
    assert copy.slug != cause.slug  # the public slug stays the live item's alone
    assert (copy.name, copy.summary) == (cause.name, cause.summary)
    assert list(copy.sources.all()) == list(cause.sources.all())
    notes = sorted(copy.structure_links.values_list("structure_id", "note"))
    assert notes == sorted(cause.structure_links.values_list("structure_id", "note"))
    assert _entries_since(head) == []  # nothing public changed: no sync entry, no webhook

    again = working_copies.start_working_copy(item=cause, user=editor)
    assert again.item.pk == copy.pk
    assert m.Cause.objects.working_copies().count() == 1


def test_the_live_item_and_its_api_stay_untouched_while_the_copy_is_edited_and_reviewed(
    live_cause, editor, reviewer, api_client
):
    cause, *_ = live_cause
    structure = f.AnatomyStructureFactory()
    before = api_client.get(f"/api/v1/causes/{cause.slug}/").json()
    revision, head = cause.revision, current_head()
    copy = working_copies.start_working_copy(item=cause, user=editor).item
    copy.summary = "A fixed typo."
    copy.save()
    copy.structure_links.first().delete()
    m.CauseStructure.objects.create(cause=copy, structure=structure, note="new in the copy")
    services.submit_for_review(item=copy, user=editor)
    services.record_review(item=copy, user=reviewer)

    cause.refresh_from_db()
    assert (cause.summary, cause.revision) == ("A cyst behind the knee.", revision)
    assert api_client.get(f"/api/v1/causes/{cause.slug}/").json() == before
    assert api_client.get(f"/api/v1/causes/{copy.slug}/").status_code == 404
    assert _entries_since(head) == []


def test_publishing_the_copy_replaces_the_live_item_and_its_relations_at_once(
    live_cause, editor, reviewer, publisher, api_client
):
    cause, kept, edited, dropped = live_cause
    copy = working_copies.start_working_copy(item=cause, user=editor).item
    copy.summary = "A fluid-filled swelling behind the knee."
    copy.save()
    copy.structure_links.get(structure=dropped.structure).delete()
    link = copy.structure_links.get(structure=edited.structure)
    link.note = "new note"
    link.save()
    added = f.CauseStructureFactory(cause=copy, note="added")
    services.submit_for_review(item=copy, user=editor)
    services.record_review(item=copy, user=reviewer)
    revision, head = cause.revision, current_head()

    outcome = services.publish(item=copy, user=publisher)

    assert outcome.item.pk == cause.pk
    cause.refresh_from_db()
    assert cause.summary == "A fluid-filled swelling behind the knee."
    assert cause.status == Status.PUBLISHED and cause.revision == revision + 1
    assert cause.reviewed_by == reviewer  # the new version's review
    links = dict(cause.structure_links.values_list("structure_id", "note"))
    assert links == {
        kept.structure_id: "unchanged",
        edited.structure_id: "new note",
        added.structure_id: "added",
    }
    assert cause.structure_links.filter(pk=kept.pk).exists()  # an unchanged row is kept
    assert not m.Cause.objects.filter(pk=copy.pk).exists()
    assert cause.history.first().history_change_reason == "Published version 2"

    entries = _entries_since(head)
    assert entries.count(("causes", "bakers-cyst", "upsert")) == 1
    assert not [e for e in entries if e[2] == "remove"]  # a new version is never a removal
    detail = api_client.get(f"/api/v1/causes/{cause.slug}/").json()
    assert detail["summary"] == "A fluid-filled swelling behind the knee."
    assert {s["note"] for s in detail["structures"]} == {"unchanged", "new note", "added"}


def test_a_new_version_reaches_sync_as_a_change_never_as_a_tombstone(
    live_cause, editor, reviewer, publisher, api_client
):
    cause, *_ = live_cause
    cursor = api_client.get("/api/v1/sync/").json()["cursor"]
    copy = _reviewed_copy(cause, editor, reviewer, summary="Version two.")
    during = api_client.get("/api/v1/sync/", {"since": cursor}).json()
    assert during["removed"] == [] and during["changed"] == {}

    services.publish(item=copy, user=publisher)
    page = api_client.get("/api/v1/sync/", {"since": cursor}).json()
    assert page["removed"] == []
    assert [c["summary"] for c in page["changed"]["causes"]] == ["Version two."]


@pytest.mark.django_db(transaction=True)
def test_partners_get_an_update_event(editor, reviewer, publisher):
    cause = f.CauseFactory(slug="calf-strain", summary="Old.")
    notices.record_changes.call()
    copy = _reviewed_copy(cause, editor, reviewer, summary="New.")
    notices.record_changes.call()
    assert not m.ContentChange.objects.filter(event=m.ChangeEvent.UPDATED).exists()

    services.publish(item=copy, user=publisher)
    notices.record_changes.call()
    change = m.ContentChange.objects.filter(slug="calf-strain").order_by("-id").first()
    assert change.event == m.ChangeEvent.UPDATED
    assert {"field": "summary", "grade": "editorial"} in change.changes
    assert not m.ContentChange.objects.filter(event=m.ChangeEvent.REMOVED).exists()


def test_publish_validation_and_review_rules_apply_to_the_copy(
    live_cause, editor, reviewer, publisher
):
    cause, *_ = live_cause
    copy = working_copies.start_working_copy(item=cause, user=editor).item
    with pytest.raises(services.WorkflowError):  # a draft cannot skip review
        services.publish(item=copy, user=publisher)
    copy.body = ""
    copy.save()
    services.submit_for_review(item=copy, user=editor)
    copy.refresh_from_db()
    assert copy.reviewed_at is None  # submitting asks for a new review
    with pytest.raises(services.WorkflowError) as refused:
        services.publish(item=copy, user=publisher)
    assert "Body is empty." in refused.value.problems
    assert any("No review is recorded" in p for p in refused.value.problems)
    cause.refresh_from_db()
    assert cause.body and cause.status == Status.PUBLISHED


def test_publishing_is_refused_when_the_live_item_changed_since_the_copy_was_taken(
    live_cause, editor, reviewer, publisher
):
    cause, *_ = live_cause
    copy = _reviewed_copy(cause, editor, reviewer, summary="From the copy.")
    cause.body = "A superuser's direct edit."  # the live row's content moves on
    cause.save()
    revision = cause.revision
    with pytest.raises(services.WorkflowError, match="changed since") as refused:
        services.publish(item=copy, user=publisher)
    assert "changed: body" in str(refused.value)
    cause.refresh_from_db()
    assert cause.revision == revision and cause.summary == "A cyst behind the knee."
    assert m.Cause.objects.filter(pk=copy.pk).exists()  # nothing lost: discard it knowingly


def test_a_new_review_of_the_live_item_does_not_block_its_next_version(
    live_cause, editor, reviewer, publisher
):
    cause, *_ = live_cause
    copy = _reviewed_copy(cause, editor, reviewer, summary="From the copy.")
    services.record_review(item=cause, user=reviewer)  # the annual re-review of the live text
    services.publish(item=copy, user=publisher)
    cause.refresh_from_db()
    assert cause.summary == "From the copy."


def test_the_command_line_opens_and_publishes_a_next_version(
    live_cause, editor, reviewer, publisher
):
    from django.core.management import call_command

    cause, *_ = live_cause
    call_command("workflow", "edit-next", "causes", cause.slug, "--as", editor.username)
    copy = m.Cause.objects.working_copies().get()
    call_command("workflow", "submit", "causes", copy.slug, "--as", editor.username)
    call_command("workflow", "review", "causes", copy.slug, "--as", reviewer.username)
    call_command("workflow", "publish", "causes", copy.slug, "--as", publisher.username)
    assert not m.Cause.objects.working_copies().exists()
    assert (
        m.Cause.objects.get(pk=cause.pk)
        .history.first()
        .history_change_reason.startswith("Published version")
    )


def test_unpublish_while_a_copy_exists_takes_the_item_down_and_the_copy_stays_unpublishable(
    live_cause, editor, reviewer, publisher, api_client
):
    cause, *_ = live_cause
    copy = _reviewed_copy(cause, editor, reviewer, summary="Never live.")
    services.unpublish(item=cause, user=publisher)
    assert api_client.get(f"/api/v1/causes/{cause.slug}/").status_code == 404
    with pytest.raises(services.WorkflowError, match="discard"):
        services.publish(item=copy, user=publisher)
    outcome = working_copies.discard_working_copy(item=copy, user=editor)
    assert outcome.item.pk == cause.pk
    assert not m.Cause.objects.working_copies().exists()


def test_a_second_publish_of_the_same_copy_is_refused_not_an_error(
    live_cause, editor, reviewer, publisher
):
    cause, *_ = live_cause
    copy = _reviewed_copy(cause, editor, reviewer, summary="Once.")
    stale = m.Cause.objects.get(pk=copy.pk)
    services.publish(item=copy, user=publisher)
    with pytest.raises(services.WorkflowError, match="no longer exists"):
        services.publish(item=stale, user=publisher)


def test_unpublish_and_archive_are_not_steps_of_a_copy(live_cause, editor, publisher):
    cause, *_ = live_cause
    copy = working_copies.start_working_copy(item=cause, user=editor).item
    for step in (services.unpublish, services.archive):
        with pytest.raises(services.WorkflowError):
            step(item=copy, user=publisher)


def test_only_editors_open_a_copy_and_only_publishers_publish_it(
    live_cause, editor, reviewer, publisher
):
    cause, *_ = live_cause
    for user in (reviewer, publisher):
        with pytest.raises(PermissionDenied):
            working_copies.start_working_copy(item=cause, user=user)
    copy = _reviewed_copy(cause, editor, reviewer)
    for user in (editor, reviewer):
        with pytest.raises(PermissionDenied):
            services.publish(item=copy, user=user)
    with pytest.raises(PermissionDenied):
        working_copies.discard_working_copy(item=copy, user=reviewer)


def test_only_published_items_get_a_copy(editor, db):
    draft = f.CauseFactory(status=Status.DRAFT)
    with pytest.raises(services.WorkflowError):
        working_copies.start_working_copy(item=draft, user=editor)


def test_the_database_refuses_a_published_working_copy(live_cause, editor):
    cause, *_ = live_cause
    copy = working_copies.start_working_copy(item=cause, user=editor).item
    with pytest.raises(IntegrityError), transaction.atomic():
        m.Cause.objects.filter(pk=copy.pk).update(status=Status.PUBLISHED)


def test_revert_of_a_published_item_goes_through_its_copy_relations_included(
    live_cause, editor, reviewer, publisher
):
    cause, _kept, _edited, dropped = live_cause
    first = cause.history.order_by("history_date").last()
    copy = _reviewed_copy(cause, editor, reviewer, summary="Second version.")
    services.publish(item=copy, user=publisher)
    cause.refresh_from_db()
    cause.structure_links.filter(pk=dropped.pk).delete()  # (a superuser's direct edit)

    outcome = services.revert_to_version(item=cause, version_id=first.history_id, user=editor)
    copy = outcome.item
    assert copy.is_working_copy and copy.summary == "A cyst behind the knee."
    assert copy.structure_links.count() == 3
    cause.refresh_from_db()
    assert cause.summary == "Second version." and cause.structure_links.count() == 2

    services.submit_for_review(item=copy, user=editor)
    services.record_review(item=copy, user=reviewer)
    services.publish(item=copy, user=publisher)
    cause.refresh_from_db()
    assert cause.summary == "A cyst behind the knee." and cause.structure_links.count() == 3
    assert cause.history.first().history_change_reason == "Published version 3"


def test_an_exercise_copy_carries_steps_and_both_progression_directions(
    editor, reviewer, publisher
):
    exercise = f.ExerciseFactory(slug="heel-slides")
    easier, harder = f.ExerciseFactory(), f.ExerciseFactory()
    f.ExerciseStepFactory(exercise=exercise, order=1, text="Lie down.")
    m.ExerciseProgression.objects.create(easier=exercise, harder=harder)
    m.ExerciseProgression.objects.create(easier=easier, harder=exercise)
    copy = working_copies.start_working_copy(item=exercise, user=editor).item
    assert list(copy.steps.values_list("text", flat=True)) == ["Lie down."]
    assert list(copy.harder_variations.all()) == [harder]
    assert list(copy.easier_variations.all()) == [easier]
    step = copy.steps.get()
    step.text = "Lie on your back."
    step.save()
    services.submit_for_review(item=copy, user=editor)
    services.record_review(item=copy, user=reviewer)
    services.publish(item=copy, user=publisher)
    assert list(exercise.steps.values_list("text", flat=True)) == ["Lie on your back."]
    assert list(exercise.harder_variations.all()) == [harder]
    assert list(exercise.easier_variations.all()) == [easier]


def test_a_copy_linking_its_own_live_item_is_refused(editor, reviewer, publisher):
    exercise = f.ExerciseFactory()
    copy = working_copies.start_working_copy(item=exercise, user=editor).item
    m.ExerciseProgression.objects.create(easier=copy, harder=exercise)
    services.submit_for_review(item=copy, user=editor)
    services.record_review(item=copy, user=reviewer)
    with pytest.raises(services.WorkflowError, match="links the item to itself"):
        services.publish(item=copy, user=publisher)


def test_a_disclaimer_copy_replaces_the_one_published_disclaimer(editor, publisher):
    disclaimer = f.DisclaimerFactory(body="Old wording.")
    copy = working_copies.start_working_copy(item=disclaimer, user=editor).item
    copy.body = "New wording."
    copy.save()
    services.submit_for_review(item=copy, user=editor)
    services.publish(item=copy, user=publisher)
    assert list(m.Disclaimer.objects.published().values_list("pk", "body")) == [
        (disclaimer.pk, "New wording.")
    ]


# --- admin ------------------------------------------------------------------------------------


def test_a_published_items_page_leads_the_editor_into_its_next_version(login, editor, live_cause):
    cause, *_ = live_cause
    session = login(editor)
    page = session.get(admin_url(cause))
    assert b"Edit next version" in page.content
    response = session.post(admin_url(cause, "workflow", "edit_next"), {"revision": cause.revision})
    copy = m.Cause.objects.working_copies().get()
    assert response.status_code == 302 and response["Location"] == admin_url(copy)
    copy_page = session.get(admin_url(copy))
    assert copy_page.context["adminform"].form.instance == copy
    assert b"working-copy-notice" in copy_page.content
    assert "slug" not in copy_page.context["adminform"].form.fields  # read-only on a copy

    data = change_form_data(copy_page, summary="Fixed in the admin.")
    saved = session.post(admin_url(copy), data, follow=True)
    assert saved.status_code == 200, messages_of(saved)
    copy.refresh_from_db()
    cause.refresh_from_db()
    assert copy.summary == "Fixed in the admin." and cause.summary == "A cyst behind the knee."
    assert b"next-version-notice" in session.get(admin_url(cause)).content


def test_the_changelist_lists_live_items_with_their_pending_version(
    login, editor, live_cause, django_assert_max_num_queries
):
    cause, *_ = live_cause
    for _ in range(5):
        other = f.CauseFactory()
        working_copies.start_working_copy(item=other, user=editor)
    working_copies.start_working_copy(item=cause, user=editor)
    session = login(editor)
    with django_assert_max_num_queries(12):
        page = session.get(admin_url(m.Cause, "changelist"))
    rows = list(page.context["cl"].result_list)
    assert len(rows) == 6 and not [r for r in rows if r.is_working_copy]
    assert page.content.count(b"Published \xc2\xb7 next version draft") == 6


def test_autocomplete_never_offers_a_working_copy(login, editor, db):
    flag = f.RedFlagFactory(name="Calf swelling")
    copy = working_copies.start_working_copy(item=flag, user=editor).item
    response = login(editor).get(
        "/admin/autocomplete/",
        {
            "term": "Calf",
            "app_label": "content_app",
            "model_name": "causeredflag",
            "field_name": "red_flag",
        },
    )
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {str(flag.pk)} and str(copy.pk) not in ids


def test_the_version_a_copy_replaced_keeps_its_relations_in_history(
    live_cause, editor, reviewer, publisher
):
    cause, *_ = live_cause
    replaced = cause.history.order_by("-history_date").first()
    copy = working_copies.start_working_copy(item=cause, user=editor).item
    m.CauseStructure.objects.filter(cause=copy, note="dropped").delete()
    services.submit_for_review(item=copy, user=editor)
    services.record_review(item=copy, user=reviewer)
    services.publish(item=copy, user=publisher)

    def notes(version):
        rows = services.relations_as_of(item=cause, version=version)[(m.CauseStructure, "cause")]
        return sorted(row.note for row in rows)

    assert notes(replaced) == ["dropped", "old note", "unchanged"]  # what a revert restores
    assert notes(cause.history.order_by("-history_date").first()) == ["old note", "unchanged"]
