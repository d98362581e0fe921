"""What keeps sync and the bundle from growing faster than the content (issue 14)."""

import orjson
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content_app import models as m
from content_app.api.v1 import bundle, representations, sync
from content_app.api.v1.media import manifest
from content_app.selfcheck.ruleset import current_ruleset
from tests import factories as f

pytestmark = pytest.mark.django_db


def _bundle_in_one_go(cursor):
    content = {
        api_type: sync.detail_items(model) for api_type, model in m.MODELS_BY_API_TYPE.items()
    }
    return orjson.dumps(
        {
            "cursor": cursor,
            "licence": settings.CONTENT_LICENCE,
            "disclaimer": representations.current_disclaimer(),
            "content": content,
            "media": manifest(m.MediaAsset.objects.published()),
            "self_check": current_ruleset(at_least=cursor),
        }
    )


def test_bundle_rendered_in_chunks_equals_rendering_it_whole(monkeypatch, db):
    for n in range(7):
        f.CauseFactory(name=f"Cause {n:02d}")
    f.RedFlagFactory(urgency="routine"), f.RedFlagFactory(urgency="emergency")
    f.DisclaimerFactory()
    monkeypatch.setattr(bundle, "BUNDLE_CHUNK", 3)

    assert orjson.loads(bundle.bundle_bytes(42, None))["disclaimer"] is not None
    assert bundle.bundle_bytes(42, None) == _bundle_in_one_go(42)


def test_bundle_queries_grow_per_chunk_not_per_item(monkeypatch, db, django_assert_max_num_queries):
    monkeypatch.setattr(bundle, "BUNDLE_CHUNK", 1000)
    f.CauseFactory()
    few, many = [], []

    def recorder(into):
        def record(execute, sql, params, many_, context):
            into.append(sql)
            return execute(sql, params, many_, context)

        return record

    with connection.execute_wrapper(recorder(few)):
        bundle.bundle_bytes(1, None)
    for _ in range(30):
        f.CauseFactory()
    with django_assert_max_num_queries(len(few)), connection.execute_wrapper(recorder(many)):
        bundle.bundle_bytes(1, None)

    if connection.vendor == "postgresql":
        # A chunk's ids are one array parameter: statements do not lengthen with the chunk.
        def chunk_statements(statements):
            return sorted(sql for sql in statements if "= ANY(" in sql)

        assert chunk_statements(many) == chunk_statements(few) != []


def test_a_sync_page_walks_the_log_by_id_never_grouping_all_of_it(api_client, db):
    for _n in range(25):
        f.SymptomFactory(sources=[])
    with CaptureQueriesContext(connection) as queries:
        page = api_client.get("/api/v1/sync/", {"limit": 10}).json()

    keys_sql = next(
        q["sql"]
        for q in queries
        if "content_app_changelogentry" in q["sql"] and "EXISTS" in q["sql"]
    )
    assert "GROUP BY" not in keys_sql.upper()
    assert "LIMIT 11" in keys_sql.upper()
    assert (
        page["has_more"] and len(page["changed"]["symptoms"]) + len(page.get("removed", [])) <= 10
    )


def test_sync_pages_cost_the_same_queries_however_long_the_log(
    api_client, db, django_assert_max_num_queries
):
    for _n in range(5):
        f.SymptomFactory(sources=[])
    with CaptureQueriesContext(connection) as short:
        api_client.get("/api/v1/sync/", {"limit": 3})
    for _n in range(60):
        f.SymptomFactory(sources=[])
    with django_assert_max_num_queries(len(short)):
        api_client.get("/api/v1/sync/", {"limit": 3, "since": 1})
