"""Query counts per list and detail endpoint: constant in page size and in related items.

Each endpoint is measured over a small and a larger content web (every cause linked to every
item, every item citing several sources); the count must be equal and within the budget.
The HTTP response cache is off here: these are the costs of a cache miss.
"""

import itertools

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from content_app import models as m
from content_app.api.v1 import representations as rep
from tests import factories as f

pytestmark = pytest.mark.django_db

# Budgets, query by query.
# The page's rows (anatomy's parent is a JOIN); COUNT(*) unless the first page holds them all.
LIST = 2
DETAIL = {
    # the item; then one query per relation, each filtered to published targets; sources;
    # the published disclaimer (its reference); media links (their renditions are one more
    # query, only when there is media)
    "causes": 1 + 6 + 2,  # structures, symptoms, risk factors, red flags, exercises, treatments
    "exercises": 1 + 1 + 4 + 2 + 1,  # steps; targets, progressions, regressions, causes
    "anatomy": 1 + 4 + 2 + 1,  # children, causes, exercises, treatments (parent is a JOIN)
    "treatments": 1 + 2 + 2 + 1,  # structures, causes
    "symptoms": 1 + 2 + 2,  # red flags, causes
    "risk-factors": 1 + 1 + 2,  # causes
    "red-flags": 1 + 2 + 2,  # causes, symptoms
    "sources": 1,
}


@pytest.fixture(autouse=True)
def _no_response_cache(settings):
    settings.MIDDLEWARE = [mw for mw in settings.MIDDLEWARE if "ApiCacheMiddleware" not in mw]


def build_web(n: int) -> dict:
    """n items of every kind; every cause linked to all of them; each item cites n sources."""
    sources = f.SourceFactory.create_batch(n)
    kw = {"sources": sources}
    group = f.AnatomyStructureFactory(kind=m.AnatomyKind.REGION, **kw)
    structures = [group] + [f.AnatomyStructureFactory(parent=group, **kw) for _ in range(n)]
    symptoms = [f.SymptomFactory(**kw) for _ in range(n)]
    risks = [f.RiskFactorFactory(**kw) for _ in range(n)]
    flags = [f.RedFlagFactory(**kw) for _ in range(n)]
    exercises = [f.ExerciseFactory(**kw) for _ in range(n)]
    treatments = [f.TreatmentFactory(**kw) for _ in range(n)]
    causes = [f.CauseFactory(**kw) for _ in range(n)]
    if n == 1:
        f.DisclaimerFactory()  # only one may be published; every detail refers to it
    for cause in causes:
        for order, structure in enumerate(structures):
            f.CauseStructureFactory(cause=cause, structure=structure, order=order)
        for symptom, risk, flag, exercise, treatment in zip(
            symptoms, risks, flags, exercises, treatments, strict=True
        ):
            f.CauseSymptomFactory(cause=cause, symptom=symptom)
            f.CauseRiskFactorFactory(cause=cause, risk_factor=risk)
            f.CauseRedFlagFactory(cause=cause, red_flag=flag)
            f.CauseExerciseFactory(cause=cause, exercise=exercise)
            f.CauseTreatmentFactory(cause=cause, treatment=treatment)
    for symptom in symptoms:
        for flag in flags:
            f.SymptomRedFlagFactory(symptom=symptom, red_flag=flag)
    for easier, harder in itertools.pairwise(exercises):
        f.ExerciseProgressionFactory(easier=easier, harder=harder)
    for exercise in exercises:
        f.ExerciseStepFactory.create_batch(n, exercise=exercise)
        for structure in structures:
            f.ExerciseTargetFactory(exercise=exercise, structure=structure)
    for treatment in treatments:
        for structure in structures:
            f.TreatmentTargetFactory(treatment=treatment, structure=structure)
    return {
        "anatomy": group,
        "causes": causes[0],
        "symptoms": symptoms[0],
        "risk-factors": risks[0],
        "red-flags": flags[0],
        "exercises": exercises[min(1, n - 1)],  # with n >= 3: easier and harder variations
        "treatments": treatments[0],
        "sources": sources[0],
    }


@pytest.fixture(scope="module")
def webs(django_db_setup, django_db_blocker):
    """A small, a medium and a large web, built once for the module and rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield {n: build_web(n) for n in (1, 3, 4)}
        transaction.set_rollback(True)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return len(queries)


@pytest.mark.parametrize("api_type", list(DETAIL))
def test_list_query_count_does_not_grow_with_page_size(
    api_client, webs, api_type, django_assert_max_num_queries
):
    small_page = count_queries(api_client, f"/api/v1/{api_type}/?page_size=2")
    second_page = count_queries(api_client, f"/api/v1/{api_type}/?page_size=2&page=2")

    with django_assert_max_num_queries(LIST):
        response = api_client.get(f"/api/v1/{api_type}/?page_size=100")
    assert len(response.json()["results"]) > 2
    assert small_page == second_page == LIST
    assert count_queries(api_client, f"/api/v1/{api_type}/?page_size=100") == 1  # all on page 1


@pytest.mark.parametrize("api_type", list(DETAIL))
def test_detail_query_count_is_constant(api_client, webs, api_type, django_assert_max_num_queries):
    small = count_queries(api_client, webs[1][api_type].get_absolute_url())
    url = webs[4][api_type].get_absolute_url()

    with django_assert_max_num_queries(DETAIL[api_type]):
        api_client.get(url)
    assert count_queries(api_client, url) == small


@pytest.mark.parametrize("api_type", [t for t in DETAIL if rep.EXPANDABLE[t]])
def test_expanding_everything_costs_a_constant_number_of_queries(api_client, webs, api_type):
    query = "?expand=" + ",".join(rep.EXPANDABLE[api_type])
    # From 3 on, every relation has items behind it (with none, its expansion costs nothing).
    small = count_queries(api_client, webs[3][api_type].get_absolute_url() + query)

    assert count_queries(api_client, webs[4][api_type].get_absolute_url() + query) == small


def test_search_costs_one_query_per_type(api_client, webs, django_assert_max_num_queries):
    with django_assert_max_num_queries(len(m.CONTENT_MODELS)):
        response = api_client.get("/api/v1/search/?q=summary")
    assert response.json()["count"] > 0


@pytest.mark.parametrize("api_type", list(DETAIL))
def test_representation_functions_are_query_count_constant(webs, api_type):
    model = m.MODELS_BY_API_TYPE[api_type]
    published = model.objects.published()
    one = model.objects.filter(pk=webs[1][api_type].pk)

    with CaptureQueriesContext(connection) as small_list:
        rep.list_representations(one)
    with CaptureQueriesContext(connection) as small_detail:
        rep.detail_representations(one)
    with CaptureQueriesContext(connection) as big_list:
        items = rep.list_representations(published)
    with CaptureQueriesContext(connection) as big_detail:
        details = rep.detail_representations(published)

    assert len(items) == len(details) == published.count() > 1
    assert len(big_list) == len(small_list) == 1
    assert len(big_detail) == len(small_detail) == DETAIL[api_type]


def test_the_disclaimer_costs_one_query_everywhere_it_is_served(
    api_client, webs, django_assert_max_num_queries
):
    # webs: one published disclaimer. Its detail and list are one query (+ COUNT), the root
    # one, and a content detail pays one query for its reference whatever the page.
    with django_assert_max_num_queries(1):
        body = api_client.get("/api/v1/").json()
    url = body["disclaimer"]["url"]
    with django_assert_max_num_queries(1):
        assert api_client.get(url).status_code == 200
    with django_assert_max_num_queries(LIST):
        assert api_client.get("/api/v1/disclaimers/").json()["count"] == 1
    cause = api_client.get(webs[4]["causes"].get_absolute_url()).json()
    assert cause["disclaimer"] == {k: body["disclaimer"][k] for k in ("slug", "name", "url")}
