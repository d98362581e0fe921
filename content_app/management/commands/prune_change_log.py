"""Keep the change log small without breaking sync.

Two steps, both in one locked transaction:
1. Compaction: an entry followed by a later one for the same item tells no client anything
   the later one does not, so it goes. Clients are unaffected; a sync from 0 still gets
   every published item.
2. Old tombstones: removals older than --days go, and `SyncHorizon.pruned_through` moves up
   to the newest of them, so a client whose cursor is older gets a 410 and refetches the bundle.
The head entry always stays: it is the content version and must never go backwards. A moved
horizon is announced like a change, so cached sync pages behind it answer 410 at once.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from content_app import models as m
from content_app.caching.version import announce_change
from content_app.changelog import current_head, lock_log


class Command(BaseCommand):
    help = "Compact the change log and drop tombstones older than --days (default 90)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=90, help="Keep tombstones this long.")

    def handle(self, *args, days, **options):
        with transaction.atomic():
            lock_log("default")
            head = current_head()
            latest = (
                m.ChangeLogEntry.objects.values("entity_type", "slug")
                .annotate(last=Max("id"))
                .values("last")
            )
            superseded, _ = m.ChangeLogEntry.objects.exclude(id__in=latest).delete()
            old_tombstones = m.ChangeLogEntry.objects.filter(
                action=m.ChangeAction.REMOVE,
                created_at__lt=timezone.now() - timedelta(days=days),
            ).exclude(id=head)
            newest_pruned = old_tombstones.aggregate(newest=Max("id"))["newest"]
            pruned, _ = old_tombstones.delete()
            if newest_pruned:
                horizon, _ = m.SyncHorizon.objects.get_or_create(id=1)
                if newest_pruned > horizon.pruned_through:
                    horizon.pruned_through = newest_pruned
                    horizon.save(update_fields=["pruned_through"])
                    announce_change()  # the horizon is in the content version: sync answers change
        self.stdout.write(
            f"Removed {superseded} superseded entries and {pruned} tombstones older than "
            f"{days} days; the log head stays at {head}."
        )
