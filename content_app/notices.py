"""Change notices for partners: graded changes, the feed behind /api/v1/changes/, webhooks.

Flow: a change to public content appends to the change log (content_app/changelog.py); on
commit, `record_changes` is enqueued on Django's tasks framework (django-tasks-db backend,
run by `manage.py db_worker`). It compares each changed item's public representation with the
last one recorded, writes one graded `ContentChange` per item (published, updated, removed)
with a field-level summary, and enqueues a signed delivery per matching subscription.
`deliver` POSTs it and, on failure, enqueues itself again with exponential backoff.

Grading, signing and backoff are small and specific to us, so they are written here; the
queue, the worker and retries' scheduling (`run_after`) are the tasks framework's. Signatures
follow Standard Webhooks: `webhook-id`, `webhook-timestamp` and `webhook-signature:
v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, keyed with the subscription's secret.
"""

import base64
import hashlib
import hmac
import logging
import time
import urllib.error
import urllib.request
from datetime import timedelta

import orjson
from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from content_app import models as m

logger = logging.getLogger(__name__)

Grade = m.ChangeGrade
GRADE_ORDER = (Grade.SAFETY, Grade.CLINICAL, Grade.EDITORIAL)

# Top-level fields of a representation that are bookkeeping, not content: never a change.
IGNORED_FIELDS = frozenset({"revision", "updated_at", "published_at", "url"})
# What a change to a field means, per type; anything else is editorial (wording, names,
# review dates, sources).
SAFETY_FIELDS = {
    "red-flags": {"name", "summary", "body", "urgency", "action", "causes"},
    "causes": {"red_flags", "self_care"},
}
CLINICAL_FIELDS = {
    "causes": {"structures", "symptoms", "risk_factors", "exercises", "treatments", "prevalence"},
    "exercises": {"dosage", "steps", "targets", "progressions", "regressions", "causes"},
    "exercises:caution": {"category", "difficulty", "equipment"},
    "anatomy": {"parent", "children", "causes", "exercises", "treatments"},
    "symptoms": {"causes"},
    "risk-factors": {"causes", "modifiable", "category"},
    "treatments": {"kind", "structures", "causes"},
}


def grade_field(api_type: str, field: str) -> str:
    if field in SAFETY_FIELDS.get(api_type, ()):
        return Grade.SAFETY
    if field in CLINICAL_FIELDS.get(api_type, ()) or field in CLINICAL_FIELDS.get(
        f"{api_type}:caution", ()
    ):
        return Grade.CLINICAL
    return Grade.EDITORIAL


def field_changes(api_type: str, before: dict | None, after: dict | None) -> list[dict]:
    """[{field, grade}] for every top-level field that differs (all of them on publish/remove)."""
    keys = dict.fromkeys([*(before or {}), *(after or {})])
    changes = []
    for key in keys:
        if key in IGNORED_FIELDS or key == "slug":
            continue
        old, new = (before or {}).get(key), (after or {}).get(key)
        if before is not None and after is not None and old == new:
            continue
        if before is None and new in (None, "", [], {}):
            continue  # publish: only what the item says
        if after is None and old in (None, "", [], {}):
            continue
        changes.append({"field": key, "grade": grade_field(api_type, key)})
    return changes


def grades_of(changes) -> list[str]:
    present = {change["grade"] for change in changes}
    return [str(grade) for grade in GRADE_ORDER if grade in present]


# --- Recording -------------------------------------------------------------------------------


def schedule_recording() -> None:
    """Called on commit of every change-log write (content_app/changelog.py)."""
    try:
        record_changes.enqueue()
    except Exception:  # a queue outage must never fail an editor's save
        logger.exception("could not enqueue change recording")


def _representation(api_type: str, slug: str) -> dict | None:
    from content_app.api.v1.representations import detail_representations

    model = m.MODELS_BY_API_TYPE.get(api_type)
    if model is None:
        return None
    items = detail_representations(model.objects.published().filter(slug=slug))
    return orjson.loads(orjson.dumps(items[0])) if items else None


def _last_snapshot(api_type: str, slug: str) -> dict | None:
    last = (
        m.ContentChange.objects.filter(entity_type=api_type, slug=slug)
        .order_by("-id")
        .values_list("snapshot", flat=True)
        .first()
    )
    return last


@task
def record_changes() -> int:
    """Grade every change-log entry not graded yet; returns how many changes were recorded."""
    recorded = 0
    with transaction.atomic():
        state, _ = m.ChangeFeedState.objects.select_for_update().get_or_create(id=1)
        entries = list(
            m.ChangeLogEntry.objects.filter(id__gt=state.graded_through)
            .order_by("id")
            .values_list("id", "entity_type", "slug")
        )
        if not entries:
            return 0
        latest = {}
        for entry_id, api_type, slug in entries:
            latest[(api_type, slug)] = entry_id
        for (api_type, slug), entry_id in sorted(latest.items(), key=lambda item: item[1]):
            change = _record_one(api_type, slug, entry_id)
            if change is not None:
                recorded += 1
                _fan_out(change)
        state.graded_through = entries[-1][0]
        state.save(update_fields=["graded_through"])
    return recorded


def _record_one(api_type, slug, entry_id):
    before = _last_snapshot(api_type, slug)
    after = _representation(api_type, slug)
    if before is None and after is None:
        return None
    if before is None:
        event = m.ChangeEvent.PUBLISHED
    elif after is None:
        event = m.ChangeEvent.REMOVED
    else:
        event = m.ChangeEvent.UPDATED
    changes = field_changes(api_type, before, after)
    if event == m.ChangeEvent.UPDATED and not changes:
        return None  # bookkeeping only (a save that changed nothing partners see)
    return m.ContentChange.objects.create(
        event=event,
        entity_type=api_type,
        slug=slug,
        grades=grades_of(changes) or [str(Grade.EDITORIAL)],
        changes=changes,
        snapshot=after,
        changelog_id=entry_id,
    )


def _fan_out(change) -> None:
    for subscription in m.WebhookSubscription.objects.filter(active=True, api_key__revoked=False):
        if subscription.wants(change.grades):
            delivery = m.WebhookDelivery.objects.create(subscription=subscription, change=change)
            transaction.on_commit(lambda pk=delivery.pk: deliver.enqueue(pk))


# --- The representation partners get (feed and webhooks) -------------------------------------


def change_representation(change) -> dict:
    from django.urls import reverse

    removed = change.event == m.ChangeEvent.REMOVED
    return {
        "id": change.id,
        "event": change.event,
        "type": change.entity_type,
        "slug": change.slug,
        "url": None if removed else reverse(f"v1:{change.entity_type}-detail", args=[change.slug]),
        "grades": change.grades,
        "changes": change.changes,
        "changed_at": change.created_at,
    }


def event_payload(change) -> dict:
    return {
        "type": change.event,
        "timestamp": change.created_at,
        "data": change_representation(change),
    }


# --- Signing and delivery --------------------------------------------------------------------


def _secret_bytes(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix("whsec_"))


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(_secret_bytes(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signed_request(delivery, *, now: int | None = None) -> urllib.request.Request:
    body = orjson.dumps(event_payload(delivery.change))
    timestamp = int(now if now is not None else time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "KneeCare-Webhooks/1",
        "webhook-id": delivery.event_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(delivery.subscription.secret, delivery.event_id, timestamp, body),
    }
    return urllib.request.Request(delivery.subscription.url, body, headers, method="POST")


def backoff(attempt: int) -> timedelta:
    """Delay before retry number `attempt` (1-based): base, 2×base, 4×base, …"""
    return timedelta(seconds=settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** (attempt - 1))


@task
def deliver(delivery_id: int) -> str:
    delivery = m.WebhookDelivery.objects.select_related("subscription", "change").get(
        pk=delivery_id
    )
    if delivery.status != m.DeliveryStatus.PENDING:
        return delivery.status
    status_code, error = None, ""
    try:
        with urllib.request.urlopen(
            signed_request(delivery), timeout=settings.WEBHOOK_TIMEOUT_SECONDS
        ) as response:
            status_code = response.status
    except urllib.error.HTTPError as exc:
        status_code, error = exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        error = str(getattr(exc, "reason", exc))[:300]
    delivery.attempts += 1
    delivery.last_status_code = status_code
    delivery.last_error = error
    if status_code is not None and 200 <= status_code < 300:
        delivery.status = m.DeliveryStatus.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.next_attempt_at = None
    elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status = m.DeliveryStatus.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
        deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
    delivery.save()
    return delivery.status
