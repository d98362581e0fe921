"""The change log behind mobile sync and the content version."""

from django.db import models
from django.db.models import Q

from content_app.models.choices import choices_check
from content_app.models.constraints import check


class ChangeAction(models.TextChoices):
    UPSERT = "upsert", "Published or changed"
    REMOVE = "remove", "Left the public set"


class ChangeLogEntry(models.Model):
    """One change to what the public API serves. The highest id is the content version.

    Entries are written only for items that were public before or after the change, so
    the log never reveals a draft's existence.
    """

    Action = ChangeAction

    id = models.BigAutoField(primary_key=True)
    entity_type = models.CharField(max_length=32)
    slug = models.SlugField(max_length=120)
    action = models.CharField(max_length=8, choices=Action.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("id",)
        verbose_name_plural = "change log entries"
        indexes = [models.Index(fields=("entity_type", "slug"), name="changelog_item_idx")]
        constraints = [choices_check("action", ChangeAction, "changelog_action_valid")]

    def __str__(self):
        return f"#{self.id} {self.action} {self.entity_type}/{self.slug}"


class SyncHorizon(models.Model):
    """Singleton: entries with id <= `pruned_through` were pruned; older cursors get 410."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    pruned_through = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            check(
                condition=Q(id=1),
                name="synchorizon_singleton",
                message="There is only one sync horizon (id 1).",
            )
        ]

    def __str__(self):
        return f"pruned through #{self.pruned_through}"
