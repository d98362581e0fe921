"""Issue 11 (admin part): errors in plain words, dashboard, conflicts that help, readable
history, Markdown preview, normalised line endings, publish markers, exact matches first."""

import datetime
import html
import json

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone

from content_app import models as m
from content_app import services
from content_app.admin.markdown_preview import render_markdown
from content_app.models.constraints import CONSTRAINT_FIELDS
from content_app.safety import publish_required_fields
from tests import factories as f
from tests.admin.helpers import admin_url, change_form_data

pytestmark = pytest.mark.django_db


# --- errors an editor understands ---------------------------------------------------------


def _check_constraints():
    for model in apps.get_app_config("content_app").get_models():
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.CheckConstraint):
                yield model, constraint


def test_every_check_constraint_explains_itself_in_plain_words():
    walked = list(_check_constraints())
    assert len(walked) > 40
    for model, constraint in walked:
        message = constraint.violation_error_message
        assert message != constraint.default_violation_error_message, constraint.name
        assert constraint.name not in message and "%(name)s" not in message, constraint.name
        assert constraint.violation_error_code == constraint.name
        field = CONSTRAINT_FIELDS.get(constraint.name)
        if field is not None:
            model._meta.get_field(field)  # the field the message is shown next to exists


def _exercise_page(session, exercise):
    page = session.get(admin_url(exercise))
    assert page.status_code == 200
    return page


def test_target_reps_below_start_is_a_plain_message_next_to_the_field(login, editor):
    exercise = f.ExerciseFactory(status=m.Status.DRAFT, reps=10, target_reps=None)
    session = login(editor)
    page = _exercise_page(session, exercise)
    refused = session.post(admin_url(exercise), change_form_data(page, target_reps="5"))
    assert refused.status_code == 200
    form = refused.context["adminform"].form
    assert form.errors["target_reps"] == ["Target reps must be at least the starting reps."]
    assert not form.non_field_errors()
    assert "is violated" not in refused.content.decode()


def test_negative_reps_states_the_real_range(login, editor):
    exercise = f.ExerciseFactory(status=m.Status.DRAFT)
    session = login(editor)
    page = _exercise_page(session, exercise)
    low, high = m.EXERCISE_DOSAGE_LIMITS["reps"]
    refused = session.post(admin_url(exercise), change_form_data(page, reps="-3"))
    form = refused.context["adminform"].form
    assert form.errors["reps"] == [f"Starting reps must be between {low} and {high}."]
    assert f'min="{low}"' in str(form["reps"]) and f'max="{high}"' in str(form["reps"])


def test_an_inline_weight_out_of_range_states_the_range(login, editor):
    cause = f.CauseFactory(status=m.Status.DRAFT)
    symptom = f.SymptomFactory()
    session = login(editor)
    page = session.get(admin_url(cause))
    data = change_form_data(
        page,
        **{
            "symptom_links-TOTAL_FORMS": "1",
            "symptom_links-0-symptom": str(symptom.pk),
            "symptom_links-0-role": "supporting",
            "symptom_links-0-weight": "11",
            "symptom_links-0-order": "0",
        },
    )
    refused = session.post(admin_url(cause), data)
    assert refused.status_code == 200
    assert "Weight must be between 1 and 10." in refused.content.decode()


def test_line_endings_are_stored_as_newlines(login, editor):
    cause = f.CauseFactory(status=m.Status.DRAFT)
    session = login(editor)
    page = session.get(admin_url(cause))
    saved = session.post(
        admin_url(cause), change_form_data(page, body="Line one.\r\nLine two.\rThree.")
    )
    assert saved.status_code == 302
    cause.refresh_from_db()
    assert cause.body == "Line one.\nLine two.\nThree."


# --- review work in one place ------------------------------------------------------------


def test_dashboard_lists_in_review_sent_back_with_reason_overdue_and_due_soon(
    login, editor, reviewer
):
    today = timezone.localdate()
    waiting = f.CauseFactory(name="Waiting cause", status=m.Status.IN_REVIEW)
    returned = f.SymptomFactory(name="Returned symptom", status=m.Status.IN_REVIEW)
    services.send_back(item=returned, user=reviewer, reason="Cite the second source")
    f.RedFlagFactory(name="Old flag", review_due=today - datetime.timedelta(days=3))
    f.ExerciseFactory(name="Soon exercise", review_due=today + datetime.timedelta(days=10))
    f.ExerciseFactory(name="Fine exercise")
    page = login(editor).get("/admin/")
    sections = {s["key"]: s for s in page.context["waiting"]}
    assert [str(w.item) for w in sections["in_review"]["items"]] == ["Waiting cause"]
    assert [(str(w.item), w.reason) for w in sections["sent_back"]["items"]] == [
        ("Returned symptom", "Cite the second source")
    ]
    assert [str(w.item) for w in sections["overdue"]["items"]] == ["Old flag"]
    assert [str(w.item) for w in sections["due_soon"]["items"]] == ["Soon exercise"]
    html = page.content.decode()
    assert "KneeCare editorial" in html and "Cite the second source" in html
    assert admin_url(waiting) in html


def test_item_page_shows_review_state_and_the_send_back_reason(login, editor, reviewer):
    symptom = f.SymptomFactory(status=m.Status.IN_REVIEW)
    services.send_back(item=symptom, user=reviewer, reason="Too long")
    page = login(editor).get(admin_url(symptom))
    assert page.context["sent_back"]["reason"] == "Too long"
    html = page.content.decode()
    assert 'id="sent-back"' in html and "Too long" in html
    assert "Reviewed, current (editorial)" in html


def test_changelists_show_a_short_review_state(login, editor):
    f.ExerciseFactory(name="Listed exercise")
    html = login(editor).get(admin_url(m.Exercise, "changelist")).content.decode()
    assert "Reviewed, current (editorial)" in html
    assert "3×10" in html


# --- conflicts that help -----------------------------------------------------------------


def test_a_refused_save_shows_their_values_beside_mine_and_hides_workflow_buttons(login, editor):
    other = f.UserFactory(username="ed2")
    other.groups.add(Group.objects.get(name="Editor"))
    cause = f.CauseFactory(status=m.Status.DRAFT, summary="Original.")
    first, second = login(editor), login(other)
    first_page, second_page = first.get(admin_url(cause)), second.get(admin_url(cause))
    assert (
        first.post(admin_url(cause), change_form_data(first_page, summary="Theirs.")).status_code
        == 302
    )

    refused = second.post(admin_url(cause), change_form_data(second_page, summary="Mine."))
    assert refused.status_code == 200
    rows = {row["name"]: row for row in refused.context["conflict"]["rows"]}
    assert rows["summary"]["theirs"] == "Theirs." and rows["summary"]["mine"] == "Mine."
    assert set(rows) == {"summary"}  # only what they changed
    assert refused.context["workflow_steps"] == []
    html = refused.content.decode()
    assert 'id="conflict"' in html and "workflow-submit" not in html
    form = refused.context["adminform"].form
    assert form["summary"].value() == "Mine."  # nothing lost from my screen
    cause.refresh_from_db()
    assert form["loaded_revision"].value() == str(cause.revision)

    # Saving again after seeing their values keeps mine, deliberately.
    again = second.post(admin_url(cause), change_form_data(refused))
    assert again.status_code == 302
    cause.refresh_from_db()
    assert cause.summary == "Mine."


# --- history you can read -----------------------------------------------------------------


def _versions(cause, editor):
    for body in (
        "First paragraph.\n\nSecond paragraph.",
        "First paragraph.\n\nSecond, changed.\n\nThird.",
    ):
        cause.body = body
        cause._history_user = editor
        cause.save()
    return list(cause.history.order_by("history_date"))


def test_compare_shows_whole_texts_side_by_side_with_labels(login, editor):
    cause = f.CauseFactory(status=m.Status.DRAFT)
    versions = _versions(cause, editor)
    first, middle, last = versions[0], versions[-2], versions[-1]
    session = login(editor)
    history = session.get(admin_url(cause, "history")).content.decode()
    assert "None" not in history and "Deleted user" not in history
    assert "Draft" in history and ">draft<" not in history
    page = session.get(
        admin_url(cause, "compare") + f"?older={middle.history_id}&newer={last.history_id}"
    )
    assert page.status_code == 200
    text = html.unescape(page.content.decode()).replace("\xa0", " ")
    assert 'class="diff"' in text
    assert "Second paragraph." in text and "Second, changed." in text and "Third." in text
    assert "First paragraph." in text  # unchanged lines too: whole texts
    oldest = session.get(
        admin_url(cause, "compare") + f"?older={first.history_id}&newer={last.history_id}"
    )
    assert "Body text about" in html.unescape(oldest.content.decode()).replace("\xa0", " ")
    assert session.get(admin_url(cause, "compare") + "?older=999999&newer=1").status_code == 404


def test_revert_page_shows_relations_it_restores_and_is_not_a_form(login, editor):
    cause = f.CauseFactory(status=m.Status.DRAFT)
    m.CauseStructure.objects.create(
        cause=cause, structure=f.AnatomyStructureFactory(name="Popliteus"), order=1
    )
    version = _versions(cause, editor)[1]
    m.CauseStructure.objects.filter(cause=cause).delete()
    page = login(editor).get(admin_url(cause, "simple_history", version.history_id))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Popliteus" in html and 'id="revert-relations"' in html
    assert 'name="summary"' not in html and 'name="body"' not in html
    assert 'id="revert-form"' in html


def test_launch_content_starts_with_its_launch_version(launch_content):
    cause = m.Cause.objects.get(name__icontains="overuse")
    first = cause.history.order_by("history_date").first()
    assert first.history_change_reason == "Launch content loaded"
    for model in (m.CauseStructure, m.Exercise, m.Source):
        assert not model.history.filter(history_change_reason__isnull=True).exists(), model


# --- writing comfort -----------------------------------------------------------------------


def test_markdown_preview_renders_and_sanitises(login, editor):
    response = login(editor).post(
        "/admin/content_app/cause/markdown-preview/",
        {"text": "**Rest**\r\n\r\n- one\n- two\n\n<script>alert(1)</script>"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>Rest</strong>" in html and "<li>one</li>" in html
    assert "<script" not in html
    assert render_markdown("[x](javascript:alert(1))").count("javascript") == 0


def test_markdown_preview_needs_post_and_login(client, login, editor):
    url = "/admin/content_app/cause/markdown-preview/"
    assert login(editor).get(url).status_code == 405
    assert client.post(url, {"text": "x"}).status_code == 302  # to the login page


def test_publish_markers_match_what_publish_validation_requires(login, editor):
    for model, factory, blank in (
        (m.Cause, f.CauseFactory, {"summary": "", "body": "", "name": ""}),
        (m.Exercise, f.ExerciseFactory, {"stop_rule": ""}),
        (m.RedFlag, f.RedFlagFactory, {"action": ""}),
    ):
        for field in publish_required_fields(model):
            item = factory(status=m.Status.DRAFT)
            if field == "sources":
                item.sources.clear()
            else:
                setattr(item, field, blank.get(field, ""))
            assert services.publish_problems(item), (model, field)
    html = login(editor).get(admin_url(f.ExerciseFactory(status=m.Status.DRAFT))).content.decode()
    assert "Stop rule (needed to publish)" in html


def test_exercise_form_groups_dosage_start_to_target_and_puts_workflow_last(login, editor):
    page = login(editor).get(admin_url(f.ExerciseFactory(status=m.Status.DRAFT)))
    fieldsets = page.context["adminform"].model_admin.get_fieldsets(page.wsgi_request)
    names = [name for name, _ in fieldsets]
    assert names[0] is None and names[-1] == "Workflow and review"
    dosage = dict(fieldsets)["Dosage: start → target"]["fields"]
    assert dosage[:2] == [("sets", "target_sets"), ("reps", "target_reps")]


def test_autocomplete_puts_exact_name_matches_first(login, editor):
    f.AnatomyStructureFactory(name="Popliteus tendon")
    f.AnatomyStructureFactory(name="Around the popliteus")
    f.AnatomyStructureFactory(name="Popliteus")
    response = login(editor).get(
        "/admin/autocomplete/",
        {
            "term": "popliteus",
            "app_label": "content_app",
            "model_name": "causestructure",
            "field_name": "structure",
        },
    )
    assert response.status_code == 200
    names = [r["text"] for r in json.loads(response.content)["results"]]
    assert names[:2] == ["Popliteus", "Popliteus tendon"]
