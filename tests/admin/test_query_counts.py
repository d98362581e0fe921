"""Admin pages make a bounded number of queries, whatever the number of inline rows.

On the launch content the "Overuse" cause page made 133 queries (superuser; 94 as an editor)
before issue 11: every inline row loaded its parent, its related item and its autocomplete
label one by one. Inline querysets now select_related and autocompletes reuse those objects.
"""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content_app import models as m
from content_app.admin.editorial import EditorialAdmin
from tests import factories as f
from tests.admin.helpers import admin_url

pytestmark = pytest.mark.django_db

REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "content_app"),
    key=lambda model: model.__name__,
)
CHANGE_FORM_MAX = 16
CHANGELIST_MAX = 8
DASHBOARD_MAX = 8 + sum(isinstance(a, EditorialAdmin) for a in admin.site._registry.values())


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def test_every_changelist_and_change_form_is_bounded(
    launch_content, superuser, editor, login, django_assert_max_num_queries
):
    """One launch-content load for all of them (it takes seconds)."""
    for user in (superuser, editor):
        client = login(user)
        _get(client, "/admin/")  # warm the session
        for model in REGISTERED:
            if not user.has_perm(f"content_app.view_{model._meta.model_name}"):
                continue
            with django_assert_max_num_queries(CHANGELIST_MAX):
                _get(client, admin_url(model, "changelist"))
            item = model._default_manager.order_by("pk").last()
            if item is not None:
                with django_assert_max_num_queries(CHANGE_FORM_MAX):
                    _get(client, admin_url(item))
        cause = m.Cause.objects.get(name__icontains="overuse")
        with django_assert_max_num_queries(CHANGE_FORM_MAX):
            _get(client, admin_url(cause))
        with django_assert_max_num_queries(DASHBOARD_MAX):
            _get(client, "/admin/")


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        _get(client, url)
    return len(queries)


def _cause_with_rows(rows):
    cause = f.CauseFactory(status=m.Status.DRAFT)
    for i in range(rows):
        m.CauseStructure.objects.create(cause=cause, structure=f.AnatomyStructureFactory(), order=i)
        m.CauseSymptom.objects.create(cause=cause, symptom=f.SymptomFactory(), order=i)
        m.CauseRiskFactor.objects.create(cause=cause, risk_factor=f.RiskFactorFactory(), order=i)
        m.CauseRedFlag.objects.create(cause=cause, red_flag=f.RedFlagFactory(), order=i)
        m.CauseExercise.objects.create(
            cause=cause, exercise=f.ExerciseFactory(), order=i, phase="any"
        )
        m.CauseTreatment.objects.create(cause=cause, treatment=f.TreatmentFactory(), order=i)
    return cause


def _exercise_with_rows(rows):
    exercise = f.ExerciseFactory(status=m.Status.DRAFT)
    for i in range(rows):
        m.ExerciseStep.objects.create(exercise=exercise, order=i, text=f"Step {i}")
        m.ExerciseTarget.objects.create(
            exercise=exercise, structure=f.AnatomyStructureFactory(), order=i
        )
        m.ExerciseProgression.objects.create(easier=exercise, harder=f.ExerciseFactory(), order=i)
    return exercise


@pytest.mark.parametrize("build", [_cause_with_rows, _exercise_with_rows])
@pytest.mark.parametrize("who", ["superuser", "editor"])
def test_the_change_form_does_not_grow_with_inline_rows(who, build, request, login):
    client = login(request.getfixturevalue(who))
    one, many = build(1), build(10)
    _get(client, admin_url(one))
    assert _count(client, admin_url(many)) == _count(client, admin_url(one))


def _cause_with_history(size):
    """A cause with `size` rows in each inline and `size` more versions, each changing a text,
    a linked user (a foreign key shown by name) and one relation row."""
    cause = _cause_with_rows(size)
    for i in range(size):
        cause.summary = f"Version {i}.\nA second line {i}."
        cause.reviewed_by = f.UserFactory()
        cause.save()
        link = cause.structure_links.order_by("pk").first()
        link.note = f"note {i}"
        link.save()
    return cause


def _history_pages(cause):
    versions = list(cause.history.order_by("history_date").values_list("history_id", flat=True))
    first, last = versions[0], versions[-1]
    return [
        admin_url(cause, "history"),
        admin_url(cause, "compare") + f"?older={first}&newer={last}",
        admin_url(cause, "compare"),  # the latest two versions
        admin_url(cause, "simple_history", first),  # the revert page of the first version
    ]


# Per page: session, user and item (3-5); the versions shown (1-3); per owned relation (six
# for a cause) its rows as of each version shown (1) and the names they link to (1); the
# names a version's foreign keys link to (1 per linked model). Versions and rows add none.
HISTORY_PAGE_MAX = 40


@pytest.mark.parametrize("who", ["superuser", "editor"])
def test_history_compare_and_revert_pages_do_not_grow_with_versions_or_rows(
    who, request, login, django_assert_max_num_queries
):
    client = login(request.getfixturevalue(who))
    small, large = _cause_with_history(1), _cause_with_history(8)
    _get(client, admin_url(small, "history"))  # warm the session
    for few, many in zip(_history_pages(small), _history_pages(large), strict=True):
        with django_assert_max_num_queries(HISTORY_PAGE_MAX):
            _get(client, many)
        assert _count(client, many) == _count(client, few), many


def test_a_changelist_counts_its_rows_once_never_the_whole_table(superuser, login):
    """Issue 14: Django's "N total" beside the filtered count was a second COUNT(*) over the
    whole table on every changelist view, growing with the content."""
    f.CauseFactory.create_batch(3)
    client = login(superuser)
    for model, counted in ((m.Cause, "working_copy_of_id"), (m.ChangeLogEntry, "changelogentry")):
        with CaptureQueriesContext(connection) as queries:
            _get(client, admin_url(model, "changelist"))
        counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
        assert len(counts) == 1, counts  # the paginator's (a cause list: live items only)
        assert counted in counts[0]
