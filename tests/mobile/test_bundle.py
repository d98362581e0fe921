"""/api/v1/bundle/: the whole published set, its cursor, sparse fields and caching."""

import datetime
import gzip
import shutil
from pathlib import Path

import brotli
import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import FileResponse
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from content_app import models as m
from content_app.caching import local_entries, reset_process_caches
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


# --- Delivery: built once per content version into a file, sent from it (issue 14) ---------


@pytest.fixture
def from_file(settings):
    """A bundle over the threshold (100x content is 44 MB) is sent from its file; the small
    ones tests make go to the response cache unless the threshold is 0."""
    settings.BUNDLE_RESPONSE_CACHE_MAX_BYTES = 0


def test_a_small_bundle_is_kept_by_the_response_cache(api_client, db):
    f.CauseExerciseFactory()
    response = api_client.get(BUNDLE)

    assert not response.streaming
    assert len(local_entries) == 1  # the WSGI front answers the next request from memory


def _stored(suffix=".json"):
    return sorted(p.name for p in Path(settings.BUNDLE_DIR).glob(f"*{suffix}"))


def test_the_bundle_is_sent_from_a_file_with_its_length(from_file, api_client, db):
    f.CauseExerciseFactory.create_batch(3)
    response = api_client.get(BUNDLE)

    assert isinstance(response, FileResponse)  # streamed; gunicorn uses sendfile(2)
    body = response.getvalue()
    assert int(response["Content-Length"]) == len(body)
    assert "Content-Disposition" not in response
    assert _stored() == [response["ETag"].strip('"') + ".json"]


def test_another_worker_sends_the_stored_bundle_without_rendering(
    from_file, api_client, db, django_assert_num_queries
):
    f.CauseExerciseFactory.create_batch(3)
    body = api_client.get(BUNDLE).getvalue()
    cache.clear()  # another gunicorn worker: nothing in its memory or response cache
    reset_process_caches()

    with django_assert_num_queries(1):  # the content version; nothing rendered
        again = api_client.get(BUNDLE, HTTP_ACCEPT="application/json, */*")
    assert again.getvalue() == body


def test_a_revalidation_needs_no_query_and_no_stored_bundle(
    from_file, api_client, db, django_assert_num_queries
):
    f.CauseExerciseFactory()
    first = api_client.get(BUNDLE, HTTP_ACCEPT_ENCODING="br")
    shutil.rmtree(settings.BUNDLE_DIR)  # another machine, where nothing was built yet

    with django_assert_num_queries(0):
        again = api_client.get(BUNDLE, HTTP_IF_NONE_MATCH=first["ETag"], HTTP_ACCEPT_ENCODING="br")
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert _stored() == []  # the ETag is known without the body


def test_compressed_variants_are_made_from_the_stored_bundle_when_first_asked(
    from_file, api_client, db
):
    f.CauseExerciseFactory.create_batch(3)
    br = api_client.get(BUNDLE, HTTP_ACCEPT_ENCODING="br")
    assert _stored(".gz") == []  # nobody asked for gzip: it was never compressed
    gz = api_client.get(BUNDLE, HTTP_ACCEPT_ENCODING="gzip")
    plain = api_client.get(BUNDLE).getvalue()

    assert brotli.decompress(br.getvalue()) == plain == gzip.decompress(gz.getvalue())
    assert len(_stored(".br")) == len(_stored(".gz")) == len(_stored()) == 1


def test_a_publish_builds_a_new_bundle_and_deletes_the_old_one(from_file, api_client, db):
    f.CauseExerciseFactory()
    before = api_client.get(BUNDLE)
    before.getvalue()
    f.SymptomFactory(sources=[])  # published: a new content version

    after = api_client.get(BUNDLE)
    assert after["ETag"] != before["ETag"]
    assert len(after.json()["content"]["symptoms"]) == 1
    assert _stored() == [after["ETag"].strip('"') + ".json"]
    assert api_client.get(BUNDLE, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200


def test_the_etag_changes_with_the_day_review_status_is_relative_to(
    from_file, api_client, db, monkeypatch
):
    f.CauseExerciseFactory()
    today = api_client.get(BUNDLE)["ETag"]
    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2099, 1, 1))

    assert api_client.get(BUNDLE, HTTP_IF_NONE_MATCH=today).status_code == 200


def test_fields_in_another_order_are_the_same_stored_bundle(from_file, api_client, db):
    f.CauseExerciseFactory()
    one = api_client.get(BUNDLE, {"fields": "name,summary"})
    other = api_client.get(BUNDLE, {"fields": "summary,name"})

    assert one["ETag"] == other["ETag"]
    assert one.getvalue() == other.getvalue()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="isolation levels: PostgreSQL")
def test_a_build_reads_one_repeatable_read_snapshot(from_file, api_client, transactional_db):
    f.CauseExerciseFactory()
    with CaptureQueriesContext(connection) as queries:
        api_client.get(BUNDLE).getvalue()

    statements = [q["sql"] for q in queries]
    snapshot = next(n for n, sql in enumerate(statements) if "REPEATABLE READ" in sql)
    assert "content_app_changelogentry" in statements[snapshot + 1]  # the cursor, first


def test_an_unwritable_bundle_dir_still_serves_the_bundle(api_client, db, settings, tmp_path):
    f.CauseExerciseFactory()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    settings.BUNDLE_DIR = str(blocker / "bundles")

    response = api_client.get(BUNDLE, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert gzip.decompress(response.getvalue()).startswith(b'{"cursor":')
