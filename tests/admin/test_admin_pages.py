"""Every model's admin pages render for the editorial roles, with a bounded number of queries."""

import datetime

import pytest
from django.contrib import admin
from django.utils import timezone

from content_app import models as m
from tests import factories as f
from tests.admin.helpers import admin_url

CONTENT_FACTORIES = {
    m.AnatomyStructure: f.AnatomyStructureFactory,
    m.Cause: f.CauseFactory,
    m.Symptom: f.SymptomFactory,
    m.RiskFactor: f.RiskFactorFactory,
    m.RedFlag: f.RedFlagFactory,
    m.Exercise: f.ExerciseFactory,
    m.Treatment: f.TreatmentFactory,
    m.Source: f.SourceFactory,
    m.Disclaimer: f.DraftDisclaimerFactory,
}


def test_every_content_and_log_model_is_registered():
    for model in (*m.CONTENT_MODELS, m.ChangeLogEntry, m.SyncHorizon):
        assert admin.site.is_registered(model), model


@pytest.mark.parametrize("model", m.CONTENT_MODELS, ids=lambda model: model.__name__)
@pytest.mark.parametrize("role", ["editor", "reviewer", "publisher", "superuser"])
def test_changelist_renders_with_queries_independent_of_rows(
    request, login, django_assert_max_num_queries, model, role
):
    session = login(request.getfixturevalue(role))
    CONTENT_FACTORIES[model].create_batch(3)
    with django_assert_max_num_queries(14) as few:
        assert session.get(admin_url(model, "changelist")).status_code == 200
    CONTENT_FACTORIES[model].create_batch(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = session.get(admin_url(model, "changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", m.CONTENT_MODELS, ids=lambda model: model.__name__)
def test_add_and_change_forms_render(login, superuser, model):
    session = login(superuser)
    item = CONTENT_FACTORIES[model]()
    assert session.get(admin_url(model, "add")).status_code == 200
    response = session.get(admin_url(item))
    assert response.status_code == 200
    assert b'name="loaded_revision"' in response.content


def test_cause_change_form_has_an_inline_for_every_relation(login, superuser):
    response = login(superuser).get(admin_url(f.CauseFactory()))
    inline_models = {i.formset.model for i in response.context["inline_admin_formsets"]}
    assert inline_models == {
        m.CauseStructure,
        m.CauseSymptom,
        m.CauseRiskFactor,
        m.CauseRedFlag,
        m.CauseExercise,
        m.CauseTreatment,
    }


def test_exercise_change_form_has_progressions_in_both_directions(login, superuser):
    response = login(superuser).get(admin_url(f.ExerciseFactory()))
    fk_names = {
        (i.formset.model, i.formset.fk.name) for i in response.context["inline_admin_formsets"]
    }
    assert fk_names == {
        (m.ExerciseStep, "exercise"),
        (m.ExerciseTarget, "exercise"),
        (m.ExerciseProgression, "easier"),
        (m.ExerciseProgression, "harder"),
        (m.ExerciseMedia, "exercise"),
    }


def test_review_filters_find_overdue_and_soon_due_items(login, editor):
    today = timezone.localdate()
    f.CauseFactory(name="Overdue one", review_due=today - datetime.timedelta(days=2))
    f.CauseFactory(name="Due soon one", review_due=today + datetime.timedelta(days=10))
    f.CauseFactory(name="Fine one", review_due=today + datetime.timedelta(days=200))
    session = login(editor)

    def names(review):
        response = session.get(admin_url(m.Cause, "changelist"), {"review": review})
        return {c.name for c in response.context["cl"].result_list}

    assert names("overdue") == {"Overdue one"}
    assert names("due_30") == {"Due soon one"}
    assert names("current") == {"Fine one"}


def test_changelist_search_finds_by_name(login, editor):
    f.CauseFactory(name="Baker's cyst")
    f.CauseFactory(name="Hamstring tendinopathy")
    response = login(editor).get(admin_url(m.Cause, "changelist"), {"q": "baker"})
    assert [c.name for c in response.context["cl"].result_list] == ["Baker's cyst"]


def test_role_sees_only_its_bulk_actions(login, editor, publisher):
    def actions(user):
        response = login(user).get(admin_url(m.Cause, "changelist"))
        return {name for name, _ in response.context["action_form"].fields["action"].choices}

    assert "publish_selected" not in actions(editor)
    assert "submit_selected" in actions(editor)
    assert "delete_selected" not in actions(editor)
    assert {"publish_selected", "unpublish_selected", "archive_selected"} <= actions(publisher)
    assert "review_selected" not in actions(publisher)
