"""Partner API keys: a name, an owner contact, their own rate, and requests per day.

`PartnerKey` is djangorestframework-api-key's documented way to extend keys (a concrete
`AbstractAPIKey`); the throttle reads its `rate_limit` (content_app/api/throttling.py).
`ApiKeyUsage` is written by a task from counters kept in the rate-limit store, never per
request (content_app/partners.py).
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from rest_framework_api_key.models import AbstractAPIKey, BaseAPIKeyManager

# What django-ratelimit reads: "<count>/<period>", the period a unit or a number and a unit.
RATE_PATTERN = re.compile(r"^[1-9][0-9]*/([1-9][0-9]*)?(s|sec|second|m|min|minute|h|hour|d|day)$")


def validate_rate(value: str) -> None:
    if value and not RATE_PATTERN.match(value):
        raise ValidationError(
            "Give a rate such as 10000/hour, 600/minute or 100/5m.", code="invalid_rate"
        )


class PartnerKeyManager(BaseAPIKeyManager):
    pass


class PartnerKey(AbstractAPIKey):
    objects = PartnerKeyManager()

    owner_email = models.EmailField(
        "owner contact",
        help_text="Who to tell about this key (limits, deprecations, abuse): an email address.",
    )
    rate_limit = models.CharField(
        max_length=32,
        blank=True,
        validators=[validate_rate],
        help_text="This key's own rate, e.g. 10000/hour; empty: API_RATE_PARTNER.",
    )

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "partner API key"
        verbose_name_plural = "partner API keys"


class ApiKeyUsage(models.Model):
    """Requests one key made on one UTC day (refused ones included, and counted apart)."""

    api_key = models.ForeignKey(PartnerKey, on_delete=models.CASCADE, related_name="usage")
    day = models.DateField()
    requests = models.PositiveBigIntegerField(default=0)
    limited = models.PositiveBigIntegerField(
        default=0, help_text="Of those, refused with 429 (over the key's rate)."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "API key usage"
        verbose_name_plural = "API key usage (requests per day)"
        ordering = ("-day", "api_key__name")
        constraints = [
            models.UniqueConstraint(fields=("api_key", "day"), name="apikeyusage_one_per_day")
        ]

    def __str__(self):
        return f"{self.api_key.name} {self.day}: {self.requests}"
