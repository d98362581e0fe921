"""Change notices for partners: the graded change feed and webhook subscriptions/deliveries."""

import base64
import secrets

from django.db import models

from content_app.models.choices import choices_check
from content_app.models.constraints import check
from content_app.models.partners import PartnerKey


class ChangeGrade(models.TextChoices):
    EDITORIAL = "editorial", "Editorial (wording)"
    CLINICAL = "clinical", "Clinical (dosage, relations, advice)"
    SAFETY = "safety", "Safety (red flags, urgency, cautions)"


class ChangeEvent(models.TextChoices):
    PUBLISHED = "content.published", "Published"
    UPDATED = "content.updated", "Updated"
    REMOVED = "content.removed", "Removed"


class ContentChange(models.Model):
    """One graded change of a published item, as partners see it (feed and webhooks).

    Written by `content_app.notices.record_changes` from the change log, comparing the item's
    public representation with the last one recorded (`snapshot`).
    """

    Event = ChangeEvent

    id = models.BigAutoField(primary_key=True)
    event = models.CharField(max_length=24, choices=ChangeEvent.choices)
    entity_type = models.CharField(max_length=32)
    slug = models.SlugField(max_length=120)
    grades = models.JSONField(default=list, help_text="Grades present, most serious first.")
    changes = models.JSONField(default=list, help_text="[{field, grade}] per changed field.")
    snapshot = models.JSONField(null=True, help_text="The representation after the change.")
    changelog_id = models.BigIntegerField(help_text="The change-log entry it was graded at.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("id",)
        indexes = [
            models.Index(fields=("entity_type", "slug", "-id"), name="contentchange_item_idx")
        ]
        constraints = [choices_check("event", ChangeEvent, "contentchange_event_valid")]

    def __str__(self):
        return f"#{self.id} {self.event} {self.entity_type}/{self.slug}"


class ChangeFeedState(models.Model):
    """Singleton: the change-log id up to which changes have been graded."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    graded_through = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            check(
                condition=models.Q(id=1),
                name="feedstate_singleton",
                message="There is only one change-feed state (id 1).",
            )
        ]

    def __str__(self):
        return f"graded through #{self.graded_through}"


def new_webhook_secret() -> str:
    """Standard Webhooks' form: `whsec_` + the base64 of 24 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


class WebhookSubscription(models.Model):
    """A partner's endpoint for change notices, signed with its own secret."""

    api_key = models.ForeignKey(PartnerKey, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500, help_text="HTTPS endpoint that receives the events.")
    secret = models.CharField(
        max_length=80,
        default=new_webhook_secret,
        help_text="Signing secret (HMAC-SHA256); give it to the partner once.",
    )
    grades = models.JSONField(
        default=list,
        blank=True,
        help_text='Grades to send, e.g. ["safety", "clinical"]; empty: every change.',
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("api_key__name", "url")

    def __str__(self):
        return f"{self.api_key.name}: {self.url}"

    def wants(self, grades) -> bool:
        return not self.grades or bool(set(self.grades) & set(grades))


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending (will be retried)"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed (gave up)"


class WebhookDelivery(models.Model):
    """One event for one subscription: every attempt is logged here (admin: delivery log)."""

    Status = DeliveryStatus

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    change = models.ForeignKey(ContentChange, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default="pending")
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-id",)
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=("subscription", "change"), name="webhookdelivery_once_per_change"
            ),
            choices_check("status", DeliveryStatus, "webhookdelivery_status_valid"),
        ]

    def __str__(self):
        return f"{self.change} → {self.subscription.url} ({self.status})"

    @property
    def event_id(self) -> str:
        return f"evt_{self.change_id}"
