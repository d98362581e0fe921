"""Per-key usage, counted without a database write per request.

The partner throttle (content_app/api/throttling.py) counts every keyed request in the
rate-limit store, the same shared, atomic store its limits use (Redis in production, the
disk cache the `make run` workers share otherwise): one `incr` on `usage:<day>:<key>`. Keyed
requests never take the WSGI front's shortcut (it hands every request with credentials to
Django), so cached hits and 304s are counted by the same throttle call that lets them
through. In steady state that is one extra round trip per keyed request (the counter's
`incr`); the flush lock is tried at most every few seconds per process.

`flush_usage`, a django-tasks task run by `db_worker`, copies the counters of the last
USAGE_DAYS days into `ApiKeyUsage` rows; the throttle enqueues it at most once per
API_USAGE_FLUSH_SECONDS (a lock key in the same store), and `manage.py flush_api_usage`
runs it by hand or from cron. A row only grows: if the store loses a counter (a Redis
restart), the day keeps what was flushed before.
"""

from __future__ import annotations

import datetime
import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger(__name__)

# Counters live this many days; each flush rewrites this many days, so yesterday's total is
# final after the first flush of today.
USAGE_DAYS = 3
_FLUSH_LOCK = "kneecare:usage:flush-scheduled"


def _store():
    return caches[settings.RATELIMIT_USE_CACHE]


def _today() -> datetime.date:
    return timezone.now().astimezone(datetime.UTC).date()


def counter_key(kind: str, key_pk: str, day: datetime.date) -> str:
    return f"kneecare:usage:{kind}:{day.isoformat()}:{key_pk}"


_TTL = USAGE_DAYS * 86400 + 3600
_next_flush_check = 0.0  # per process: the shared lock is only tried this often


def _incr(store, name: str) -> None:
    """One round trip once the day's counter exists (incr; add only the first time)."""
    try:
        store.incr(name)
    except ValueError:  # no counter yet today
        if not store.add(name, 1, timeout=_TTL):
            store.incr(name)  # another process created it first


def _schedule_flush(store) -> None:
    global _next_flush_check
    now = time.monotonic()
    if now < _next_flush_check:
        return
    _next_flush_check = now + min(5.0, settings.API_USAGE_FLUSH_SECONDS)
    if store.add(_FLUSH_LOCK, 1, timeout=settings.API_USAGE_FLUSH_SECONDS):
        flush_usage.enqueue()


def forget_flush_check() -> None:
    """Let the next keyed request try the flush lock (tests; a fresh process does anyway)."""
    global _next_flush_check
    _next_flush_check = 0.0


def count_request(key_pk: str, *, limited: bool) -> None:
    """One keyed request (called by the partner throttle). Never raises."""
    try:
        store = _store()
        day = _today()
        _incr(store, counter_key("requests", key_pk, day))
        if limited:
            _incr(store, counter_key("limited", key_pk, day))
        _schedule_flush(store)
    except Exception:
        logger.warning("could not count a keyed request", exc_info=True)


def live_counts(key_pks, day: datetime.date | None = None) -> dict[str, int]:
    """Requests today per key, read from the store (what the admin shows as 'today')."""
    day = day or _today()
    names = {counter_key("requests", pk, day): pk for pk in key_pks}
    try:
        found = _store().get_many(list(names))
    except Exception:
        logger.warning("could not read usage counters", exc_info=True)
        return {}
    return {names[name]: int(value) for name, value in found.items()}


def flush() -> int:
    """Copy the counters of the last USAGE_DAYS days into ApiKeyUsage; returns rows written."""
    from content_app.models import ApiKeyUsage, PartnerKey

    store = _store()
    today = _today()
    days = [today - datetime.timedelta(days=n) for n in range(USAGE_DAYS)]
    pks = list(PartnerKey.objects.values_list("pk", flat=True))
    names = [
        counter_key(kind, pk, day) for pk in pks for day in days for kind in ("requests", "limited")
    ]
    counted = store.get_many(names) if names else {}
    written = 0
    with transaction.atomic():
        rows = {
            (row.api_key_id, row.day): row
            for row in ApiKeyUsage.objects.select_for_update().filter(day__in=days, api_key__in=pks)
        }
        for pk in pks:
            for day in days:
                requests = int(counted.get(counter_key("requests", pk, day), 0))
                limited = int(counted.get(counter_key("limited", pk, day), 0))
                if not requests and not limited:
                    continue
                row = rows.get((pk, day))
                if row is None:
                    ApiKeyUsage.objects.create(
                        api_key_id=pk, day=day, requests=requests, limited=limited
                    )
                elif requests > row.requests or limited > row.limited:
                    row.requests = max(row.requests, requests)
                    row.limited = max(row.limited, limited)
                    row.save(update_fields=["requests", "limited", "updated_at"])
                else:
                    continue
                written += 1
    return written


@task
def flush_usage() -> int:
    return flush()
