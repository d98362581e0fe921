"""/api/v1/bundle/: the whole published set, its cursor, sparse fields and caching."""

import gzip

from content_app import models as m
from content_app.changelog import current_head
from tests import factories as f

BUNDLE = "/api/v1/bundle/"


def test_bundle_holds_every_published_item_by_type_with_its_cursor(api_client, db):
    link = f.CauseExerciseFactory()
    f.SymptomFactory(status=m.Status.DRAFT, sources=[])
    body = api_client.get(BUNDLE).json()
    assert body["cursor"] == current_head()
    assert set(body["content"]) == set(m.MODELS_BY_API_TYPE)
    assert [c["slug"] for c in body["content"]["causes"]] == [link.cause.slug]
    assert body["content"]["symptoms"] == []
    detail = api_client.get(f"/api/v1/exercises/{link.exercise.slug}/").json()
    assert body["content"]["exercises"] == [detail]
    published_sources = m.Source.objects.published().count()
    assert len(body["content"]["sources"]) == published_sources


def test_bundle_fields_trims_items(api_client, db):
    f.CauseExerciseFactory()
    body = api_client.get(BUNDLE, {"fields": "name,updated_at"}).json()
    for items in body["content"].values():
        for item in items:
            assert set(item) == {"slug", "name", "updated_at"}


def test_bundle_rejects_unknown_parameters(api_client, db):
    response = api_client.get(BUNDLE, {"expand": "exercises"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_bundle_is_compressed_and_revalidates(api_client, db):
    f.CauseExerciseFactory.create_batch(5)
    plain = api_client.get(BUNDLE)
    gz = api_client.get(BUNDLE, HTTP_ACCEPT_ENCODING="gzip")
    plain_body, gz_body = plain.getvalue(), gz.getvalue()
    assert len(gz_body) < len(plain_body)
    assert gzip.decompress(gz_body) == plain_body
    assert (
        api_client.get(
            BUNDLE, HTTP_IF_NONE_MATCH=gz["ETag"], HTTP_ACCEPT_ENCODING="gzip"
        ).status_code
        == 304
    )


def test_bundle_query_count_does_not_grow_with_content(
    api_client, db, django_assert_max_num_queries
):
    f.CauseExerciseFactory.create_batch(10)
    f.ExerciseTargetFactory.create_batch(5)
    # version + head + per type 1 + its relations and sources (about 30); constant in items
    # +15: the self-check ruleset the bundle carries (fixed, whatever the content)
    with django_assert_max_num_queries(55):
        api_client.get(BUNDLE)
