"""Publish validation keeps the safety rules (issue 8), review provenance and the disclaimer's
workflow: editors cannot break what the launch content guarantees."""

import pytest
from django.contrib.auth.models import Group

from content_app import models as m
from content_app import services
from content_app.roles import CLINICAL_REVIEWER
from content_app.safety import DVT_FLAG, NUMBNESS_FLAG
from tests import factories as f
from tests.admin.helpers import admin_url

Status = m.Status


def _problems(item):
    return " ".join(services.publish_problems(item))


@pytest.fixture
def dvt(db):
    return f.RedFlagFactory(slug=DVT_FLAG, name="Signs of a DVT", urgency=m.Urgency.EMERGENCY)


def test_a_calf_symptom_cannot_be_published_without_the_dvt_flag(dvt):
    symptom = f.SymptomFactory(status=Status.IN_REVIEW, name="Pain in the calf")

    assert "must link the red flag “Signs of a DVT”" in _problems(symptom)

    f.SymptomRedFlagFactory(symptom=symptom, red_flag=dvt)
    assert _problems(symptom) == ""


def test_a_cause_with_a_swelling_symptom_must_link_the_dvt_flag(dvt):
    cause = f.CauseFactory(status=Status.IN_REVIEW, name="Some cause")
    f.CauseSymptomFactory(cause=cause, symptom=f.SymptomFactory(name="Swelling of the leg"))

    assert "“Swelling of the leg” mentions the calf or thigh, swelling or redness" in _problems(
        cause
    )
    f.CauseRedFlagFactory(cause=cause, red_flag=dvt)
    assert _problems(cause) == ""


def test_numbness_needs_the_numbness_flag(db):
    numbness = f.RedFlagFactory(slug=NUMBNESS_FLAG, name="Numbness flag")
    symptom = f.SymptomFactory(status=Status.IN_REVIEW, summary="Pins and needles in the foot.")

    assert "“Numbness flag”" in _problems(symptom)
    f.SymptomRedFlagFactory(symptom=symptom, red_flag=numbness)
    assert _problems(symptom) == ""


def test_the_red_flag_rules_wait_until_the_flag_exists(db):
    assert _problems(f.SymptomFactory(status=Status.IN_REVIEW, name="Pain in the calf")) == ""


def test_a_prevention_only_exercise_cannot_be_a_treatment(db):
    nordic = f.ExerciseFactory(name="Nordic curl", prevention_only=True)
    cause = f.CauseFactory(status=Status.IN_REVIEW)
    row = f.CauseExerciseFactory(cause=cause, exercise=nordic, phase=m.RecommendationPhase.ACUTE)

    assert "“Nordic curl” is given for prevention only" in _problems(cause)
    assert "recommends it with the phase “Acute pain (first aid)”" in _problems(nordic)

    row.phase = m.RecommendationPhase.PREVENTION
    row.save()
    assert _problems(cause) == "" and _problems(nordic) == ""
    row.phase, row.role = m.RecommendationPhase.ANY, m.ExerciseRole.AVOID
    row.save()
    assert _problems(cause) == ""  # avoiding it is always fine


def test_recommended_massage_and_stretching_need_a_caution(db):
    cause = f.CauseFactory(status=Status.IN_REVIEW)
    stretch = f.ExerciseFactory(name="Calf stretch", category=m.ExerciseCategory.STRETCH)
    f.CauseExerciseFactory(cause=cause, exercise=stretch)
    f.CauseTreatmentFactory(cause=cause, treatment=f.TreatmentFactory(name="Massage"), caution="")

    problems = _problems(cause)

    assert "Recommending the stretch “Calf stretch” needs a caution" in problems
    assert "Recommending “Massage” needs a caution" in problems


def test_an_exercise_needs_a_stop_rule(db):
    exercise = f.ExerciseFactory(status=Status.IN_REVIEW, stop_rule=" ")

    assert "no stop rule" in _problems(exercise)


def test_publish_refuses_an_item_without_a_whole_review(db):
    cause = f.CauseFactory(status=Status.IN_REVIEW, reviewed_at=None)

    assert "No review is recorded (who reviewed it, in what role, and when)" in _problems(cause)


# --- Review provenance --------------------------------------------------------------------------


def test_a_reviewer_records_an_editorial_review_under_the_editorial_team(reviewer):
    cause = f.CauseFactory(status=Status.IN_REVIEW, reviewed_at=None)

    outcome = services.record_review(item=cause, user=reviewer)

    cause.refresh_from_db()
    assert cause.reviewer_role == m.ReviewerRole.EDITORIAL
    assert cause.reviewer_name == services.EDITORIAL_TEAM  # the user has no full name
    assert cause.reviewed_by == reviewer
    assert "editorial review" in outcome.message
    assert "editorial" in cause.history.first().history_change_reason.lower()


def test_only_clinical_reviewers_record_a_clinical_review_under_their_name(reviewer):
    cause = f.CauseFactory(status=Status.IN_REVIEW, reviewed_at=None)
    with pytest.raises(services.WorkflowError, match="clinical reviewer group"):
        services.record_review(item=cause, user=reviewer, role=m.ReviewerRole.CLINICAL)

    reviewer.groups.add(Group.objects.get(name=CLINICAL_REVIEWER))
    with pytest.raises(services.WorkflowError, match="needs the reviewer's name"):
        services.record_review(item=cause, user=reviewer)  # clinical by default now
    reviewer.first_name, reviewer.last_name = "Ada", "Physio"
    reviewer.save()
    services.record_review(item=cause, user=reviewer)

    cause.refresh_from_db()
    assert (cause.reviewer_role, cause.reviewer_name) == (m.ReviewerRole.CLINICAL, "Ada Physio")


def test_submitting_clears_the_whole_review_record(editor):
    cause = f.CauseFactory(status=Status.DRAFT)
    services.submit_for_review(item=cause, user=editor)
    cause.refresh_from_db()
    assert (cause.reviewed_at, cause.reviewer_name, cause.reviewer_role) == (None, "", "")


def test_a_null_reviewer_cannot_be_stored_as_reviewed(db):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        f.CauseFactory(reviewer_name="", reviewer_role="")


def test_admin_record_review_button_records_the_role_and_the_name(login, reviewer):
    cause = f.CauseFactory(status=Status.IN_REVIEW, reviewed_at=None)
    session = login(reviewer)
    form = session.get(admin_url(cause)).content.decode()
    assert 'name="role"' in form and "Clinical review" not in form  # not a clinical reviewer

    session.post(
        admin_url(cause, "workflow", "review"),
        {"revision": cause.revision, "role": "editorial", "reviewer_name": "Editorial desk"},
    )

    cause.refresh_from_db()
    assert (cause.reviewer_name, cause.reviewer_role) == ("Editorial desk", "editorial")


# --- The disclaimer -----------------------------------------------------------------------------


def test_publishing_a_disclaimer_archives_the_one_it_replaces(editor, publisher):
    current = f.DisclaimerFactory()
    new = f.DraftDisclaimerFactory(name="New wording")
    services.submit_for_review(item=new, user=editor)

    services.publish(item=new, user=publisher)

    current.refresh_from_db()
    assert current.status == Status.ARCHIVED
    assert list(m.Disclaimer.objects.published()) == [new]
    assert "Replaced by “New wording”" in current.history.first().history_change_reason


def test_the_last_published_disclaimer_cannot_be_taken_down(publisher, superuser):
    current = f.DisclaimerFactory()
    for step in (services.unpublish, services.archive):
        with pytest.raises(services.WorkflowError, match="always carry a disclaimer"):
            step(item=current, user=publisher)
    with pytest.raises(services.WorkflowError, match="always carry a disclaimer"):
        services.delete_item(item=current, user=superuser)
    assert m.Disclaimer.objects.published().get() == current


def test_a_disclaimer_change_reaches_sync_and_every_item_when_a_new_one_is_published(
    editor, publisher
):
    cause = f.CauseFactory()
    current = f.DisclaimerFactory()
    since = m.ChangeLogEntry.objects.order_by("-id").values_list("id", flat=True).first()
    new = f.DraftDisclaimerFactory(slug="new-wording")
    services.submit_for_review(item=new, user=editor)
    services.publish(item=new, user=publisher)

    entries = set(
        m.ChangeLogEntry.objects.filter(id__gt=since).values_list("entity_type", "slug", "action")
    )

    assert ("disclaimers", "new-wording", "upsert") in entries
    assert ("disclaimers", current.slug, "remove") in entries
    assert ("causes", cause.slug, "upsert") in entries  # its `disclaimer` reference changed


def test_the_exercise_inline_refuses_a_prevention_only_exercise_as_treatment(login, editor):
    from tests.admin.helpers import change_form_data

    nordic = f.ExerciseFactory(name="Nordic curl", prevention_only=True)
    cause = f.CauseFactory(status=Status.DRAFT)
    session = login(editor)
    link = {
        "exercise_links-TOTAL_FORMS": "1",
        "exercise_links-0-exercise": str(nordic.pk),
        "exercise_links-0-role": "recommended",
        "exercise_links-0-order": "1",
    }

    refused = session.post(
        admin_url(cause),
        change_form_data(
            session.get(admin_url(cause)), **link, **{"exercise_links-0-phase": "recovery"}
        ),
    )
    accepted = session.post(
        admin_url(cause),
        change_form_data(
            session.get(admin_url(cause)), **link, **{"exercise_links-0-phase": "prevention"}
        ),
    )

    assert refused.status_code == 200
    assert "“Nordic curl” is given for prevention only" in refused.content.decode()
    assert accepted.status_code == 302
    assert cause.exercise_links.get().phase == m.RecommendationPhase.PREVENTION
