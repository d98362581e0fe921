"""No lost updates: a save based on a stale revision is refused, in the admin and in the ORM."""

import threading
import time

import pytest
from django.db import OperationalError, connection, transaction

from content_app import models as m
from content_app.admin.forms import EditorialForm
from content_app.models.base import RevisionConflict
from tests import factories as f
from tests.admin.helpers import admin_url, change_form_data

pytestmark = pytest.mark.django_db


def test_second_editor_saving_a_stale_form_is_refused_and_the_first_change_survives(
    login, editor, editorial_groups
):
    from django.contrib.auth.models import Group

    other = f.UserFactory(username="ed2")
    other.groups.add(Group.objects.get(name="Editor"))
    cause = f.CauseFactory(status=m.Status.DRAFT, summary="Original summary.")
    first, second = login(editor), login(other)
    first_page = first.get(admin_url(cause))
    second_page = second.get(admin_url(cause))

    saved = first.post(admin_url(cause), change_form_data(first_page, summary="First editor."))
    assert saved.status_code == 302

    refused = second.post(admin_url(cause), change_form_data(second_page, summary="Second."))
    assert refused.status_code == 200
    errors = str(refused.context["adminform"].form.non_field_errors())
    assert "Someone else saved this cause by ed " in errors
    assert "NOT saved" in errors
    cause.refresh_from_db()
    assert cause.summary == "First editor."
    assert cause.revision == first_page.context["original"].revision + 1


def test_stale_form_refuses_inline_changes_too(login, editor):
    cause = f.CauseFactory(status=m.Status.DRAFT)
    structure = f.AnatomyStructureFactory()
    session = login(editor)
    page = session.get(admin_url(cause))
    m.Cause.objects.get(pk=cause.pk).save()  # someone else saved meanwhile
    data = change_form_data(
        page,
        **{
            "structure_links-TOTAL_FORMS": "1",
            "structure_links-0-structure": str(structure.pk),
            "structure_links-0-role": "primary",
            "structure_links-0-order": "0",
        },
    )
    assert session.post(admin_url(cause), data).status_code == 200
    assert not m.CauseStructure.objects.exists()


def test_a_save_losing_the_race_after_the_form_check_shows_the_conflict_page_with_my_input(
    login, editor, monkeypatch
):
    cause = f.CauseFactory(status=m.Status.DRAFT, summary="Before.")
    structure = f.AnatomyStructureFactory()
    session = login(editor)
    page = session.get(admin_url(cause))
    original_clean = EditorialForm.clean

    def clean_then_lose_the_race(form):
        cleaned = original_clean(form)
        racer = m.Cause.objects.get(pk=cause.pk)
        racer.summary = "The racer's change."
        racer.save()
        return cleaned

    monkeypatch.setattr(EditorialForm, "clean", clean_then_lose_the_race)
    data = change_form_data(
        page,
        summary="Mine.",
        **{
            "structure_links-TOTAL_FORMS": "1",
            "structure_links-0-structure": str(structure.pk),
            "structure_links-0-role": "primary",
            "structure_links-0-order": "0",
        },
    )
    response = session.post(admin_url(cause), data)

    # The conflict page, as for a stale form: what I typed is still on it, inlines included,
    # and no workflow button acts on content I have not seen.
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "Someone else saved this cause" in str(form.non_field_errors())
    assert "conflict" in response.context and response.context["workflow_steps"] == []
    html = response.content.decode()
    assert 'id="conflict"' in html and "workflow-submit" not in html
    assert form["summary"].value() == "Mine."
    inline = next(
        i.formset
        for i in response.context["inline_admin_formsets"]
        if i.formset.prefix == "structure_links"
    )
    assert [row["structure"].value() for row in inline.forms] == [str(structure.pk)]
    # The racer saved inside the rolled-back request transaction here, so neither survives;
    # in production the racer's own request commits independently and only ours is refused.
    cause.refresh_from_db()
    assert cause.summary in ("Before.", "The racer's change.")
    assert not m.CauseStructure.objects.exists()

    # Saving the conflict page again is the deliberate "keep mine".
    monkeypatch.setattr(EditorialForm, "clean", original_clean)
    again = session.post(admin_url(cause), {**data, "loaded_revision": str(cause.revision)})
    assert again.status_code == 302
    cause.refresh_from_db()
    assert cause.summary == "Mine." and m.CauseStructure.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_writer_committing_between_check_and_write_is_shown_beside_my_input(
    login, editor, monkeypatch
):
    """The real race: another request commits after my form was checked, before my UPDATE."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's shared in-memory test database refuses the concurrent writer")
    cause = f.CauseFactory(status=m.Status.DRAFT, summary="Before.")
    session = login(editor)
    page = session.get(admin_url(cause))
    original_clean = EditorialForm.clean
    raced = []

    def racer():
        try:
            theirs = m.Cause.objects.get(pk=cause.pk)
            theirs.summary = "The racer's committed change."
            theirs.save()
        finally:
            connection.close()

    def clean_then_lose_the_race(form):
        cleaned = original_clean(form)
        if not raced:
            raced.append(True)
            thread = threading.Thread(target=racer)
            thread.start()
            thread.join(timeout=10)
        return cleaned

    monkeypatch.setattr(EditorialForm, "clean", clean_then_lose_the_race)
    response = session.post(admin_url(cause), change_form_data(page, summary="Mine."))

    assert response.status_code == 200 and raced
    rows = {row["name"]: row for row in response.context["conflict"]["rows"]}
    assert rows["summary"]["theirs"] == "The racer's committed change."
    assert rows["summary"]["mine"] == "Mine."
    assert response.context["adminform"].form["summary"].value() == "Mine."
    cause.refresh_from_db()
    assert cause.summary == "The racer's committed change."


def test_orm_save_from_a_stale_copy_raises_and_changes_nothing():
    cause = f.CauseFactory(summary="Start.")
    first = m.Cause.objects.get(pk=cause.pk)
    second = m.Cause.objects.get(pk=cause.pk)
    first.summary = "First."
    first.save()
    second.summary = "Second."
    with pytest.raises(RevisionConflict) as conflict, transaction.atomic():
        second.save()
    assert (conflict.value.expected, conflict.value.current) == (first.revision - 1, first.revision)
    assert second.revision == first.revision - 1  # the failed save left the copy as it was
    assert m.Cause.objects.get(pk=cause.pk).summary == "First."


def test_every_save_bumps_the_revision_once():
    cause = f.CauseFactory()
    start = cause.revision
    cause.save()
    cause.save(update_fields=["name"])
    cause.refresh_from_db()
    assert cause.revision == start + 2


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_of_the_same_revision_let_exactly_one_win():
    cause = f.CauseFactory(summary="Start.")
    both_loaded = threading.Barrier(2, timeout=10)
    outcome = {}

    def save_as(editor):
        try:
            copy = m.Cause.objects.get(pk=cause.pk)
            copy.summary = f"{editor}'s change."
            both_loaded.wait()
            for attempt in range(50):
                try:
                    with transaction.atomic():
                        copy.save()
                    outcome[editor] = "saved"
                    return
                except OperationalError as locked:
                    # SQLite's shared in-memory test database refuses a concurrent writer
                    # ("table is locked") instead of queueing it, as PostgreSQL would: the
                    # editor's save is simply tried again, still with the revision it loaded.
                    assert connection.vendor == "sqlite", locked
                    time.sleep(0.01 * (attempt + 1))
            outcome[editor] = "gave up"
        except RevisionConflict:
            outcome[editor] = "refused"
        finally:
            connection.close()

    threads = [threading.Thread(target=save_as, args=(name,)) for name in ("Ann", "Bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(outcome.values()) == ["refused", "saved"], outcome
    (winner,) = (name for name, result in outcome.items() if result == "saved")
    cause.refresh_from_db()
    assert cause.summary == f"{winner}'s change."
    assert cause.revision == 2
