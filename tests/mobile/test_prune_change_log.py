"""prune_change_log: compaction keeps every client correct; old tombstones move the horizon."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from content_app import models as m
from content_app.changelog import current_head
from tests import factories as f


def test_compaction_keeps_the_latest_entry_per_item_and_the_head(db):
    symptom = f.SymptomFactory(sources=[])
    for n in range(3):
        symptom.name = f"Name {n}"
        symptom.save()
    head = current_head()
    call_command("prune_change_log", verbosity=0)
    entries = list(m.ChangeLogEntry.objects.filter(slug=symptom.slug))
    assert [e.id for e in entries] == [head]
    assert current_head() == head
    assert m.SyncHorizon.objects.get().pruned_through == 0


def test_old_tombstones_are_dropped_and_the_horizon_moves(api_client, db):
    gone = f.SymptomFactory(sources=[])
    gone.delete()
    tombstone = m.ChangeLogEntry.objects.get(slug=gone.slug, action="remove")
    kept = f.SymptomFactory(sources=[])
    m.ChangeLogEntry.objects.filter(id=tombstone.id).update(
        created_at=timezone.now() - timedelta(days=100)
    )
    call_command("prune_change_log", "--days", "90", verbosity=0)
    assert not m.ChangeLogEntry.objects.filter(id=tombstone.id).exists()
    assert m.SyncHorizon.objects.get().pruned_through == tombstone.id
    assert api_client.get("/api/v1/sync/", {"since": tombstone.id - 1}).status_code == 410
    page = api_client.get("/api/v1/sync/").json()
    assert [s["slug"] for s in page["changed"]["symptoms"]] == [kept.slug]


def test_the_head_entry_is_never_pruned(db):
    gone = f.SymptomFactory(sources=[])
    gone.delete()
    head = current_head()
    m.ChangeLogEntry.objects.update(created_at=timezone.now() - timedelta(days=365))
    call_command("prune_change_log", "--days", "1", verbosity=0)
    assert current_head() == head
