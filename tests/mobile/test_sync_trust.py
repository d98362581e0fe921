"""Sync a polling client can trust (issue 10, items 3-5): no-cache pages, pruning reaching
cached pages, walks from 0 that survive pruning, relative `next`."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from content_app import models as m
from content_app.changelog import current_head
from tests import factories as f

SYNC = "/api/v1/sync/"


def _walk(api_client, url):
    pages = []
    while url:
        response = api_client.get(url)
        assert response.status_code == 200, response.content
        pages.append(response.json())
        url = pages[-1]["next"]
    return pages


def test_sync_pages_are_revalidated_every_time_and_a_304_is_cheap(
    api_client, db, django_assert_max_num_queries
):
    f.SymptomFactory(sources=[])
    head = current_head()
    first = api_client.get(SYNC, {"since": head})
    assert first["Cache-Control"] == "public, no-cache"
    with django_assert_max_num_queries(0):
        again = api_client.get(SYNC, {"since": head}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    # An edit: the same URL now answers the change (a cache revalidating gets a 200).
    symptom = f.SymptomFactory(sources=[])
    changed = api_client.get(SYNC, {"since": head}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert [s["slug"] for s in changed.json()["changed"]["symptoms"]] == [symptom.slug]


def test_the_bundle_stays_cacheable(api_client, db):
    assert api_client.get("/api/v1/bundle/")["Cache-Control"].startswith("public, max-age=")


def test_pruning_reaches_cached_sync_pages(api_client, db):
    gone = f.SymptomFactory(sources=[])
    behind = current_head()
    gone.delete()
    f.SymptomFactory(sources=[])
    assert api_client.get(SYNC, {"since": behind}).status_code == 200  # now stored
    m.ChangeLogEntry.objects.filter(action="remove").update(
        created_at=timezone.now() - timedelta(days=100)
    )
    call_command("prune_change_log", "--days", "90", verbosity=0)
    assert api_client.get(SYNC, {"since": behind}).status_code == 410


def test_next_is_relative_and_carries_the_walk_start(api_client, db):
    f.SymptomFactory.create_batch(3, sources=[])
    page = api_client.get(SYNC, {"limit": 2}).json()
    assert page["next"].startswith("/api/v1/sync/?")
    assert "start=0" in page["next"]


def _prunable_log():
    """Published items interleaved with removals old enough to prune."""
    for _ in range(4):
        f.SymptomFactory(sources=[])
        f.SymptomFactory(sources=[]).delete()
    f.SymptomFactory(sources=[])
    m.ChangeLogEntry.objects.filter(action="remove").update(
        created_at=timezone.now() - timedelta(days=100)
    )


def test_a_walk_from_zero_completes_on_a_pruned_log(api_client, db):
    _prunable_log()
    call_command("prune_change_log", "--days", "90", verbosity=0)
    pages = _walk(api_client, f"{SYNC}?since=0&limit=2")
    assert len(pages) > 2
    slugs = {s["slug"] for page in pages for s in page["changed"].get("symptoms", [])}
    assert slugs == set(m.Symptom.objects.published().values_list("slug", flat=True))


def test_a_walk_from_zero_completes_when_pruning_runs_during_it(api_client, db):
    _prunable_log()
    first = api_client.get(SYNC, {"since": 0, "limit": 2}).json()
    call_command("prune_change_log", "--days", "90", verbosity=0)
    assert m.SyncHorizon.objects.get().pruned_through > first["cursor"]
    pages = [first, *_walk(api_client, first["next"])]
    slugs = {s["slug"] for page in pages for s in page["changed"].get("symptoms", [])}
    assert slugs == set(m.Symptom.objects.published().values_list("slug", flat=True))


def test_a_walk_from_a_stored_cursor_behind_the_horizon_still_gets_410(api_client, db):
    f.SymptomFactory(sources=[])
    cursor = current_head()
    _prunable_log()
    call_command("prune_change_log", "--days", "90", verbosity=0)
    assert api_client.get(SYNC, {"since": cursor}).status_code == 410
    # A forged start cannot be later than the position.
    assert api_client.get(SYNC, {"since": cursor, "start": cursor + 1}).status_code == 400
