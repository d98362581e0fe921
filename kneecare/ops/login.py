"""Admin sign-in that cannot starve the API.

- At most ADMIN_LOGIN_RATE sign-in POSTs per client address (`limit_per_address`, a
  django-ratelimit fixed window in the shared `ratelimit` store, the API throttles' store):
  a flood under many usernames from one address is refused with a 429 before the form is
  read, so it costs no password hash, no axes record and no database query.
- At most ADMIN_LOGIN_CONCURRENCY password checks run at once per process.

A password check is deliberately slow (PBKDF2, ~0.5 s of CPU here) and runs on the same
threads and cores as the API. django-axes refuses locked-out username + address pairs before
this backend runs; this bounds what is left (many usernames, many addresses). A sign-in that
cannot start its check within ADMIN_LOGIN_WAIT seconds fails at once with a "try again"
message, without hashing, and is logged.
"""

import functools
import logging
import threading

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

logger = logging.getLogger("kneecare.ops")

_lock = threading.Lock()
_semaphore: threading.BoundedSemaphore | None = None
_size = 0


def _slots() -> threading.BoundedSemaphore:
    global _semaphore, _size
    size = max(1, settings.ADMIN_LOGIN_CONCURRENCY)
    if _semaphore is None or _size != size:
        with _lock:
            if _semaphore is None or _size != size:
                _semaphore, _size = threading.BoundedSemaphore(size), size
    return _semaphore


class BoundedModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        slots = _slots()
        if not slots.acquire(timeout=settings.ADMIN_LOGIN_WAIT):
            logger.warning("admin sign-in refused: too many at once (username %r)", username)
            raise PermissionDenied("Too many sign-ins at once; try again in a moment.")
        try:
            return super().authenticate(request, username=username, password=password, **kwargs)
        finally:
            slots.release()


def limit_per_address(view):
    """Wraps the admin login view: sign-in POSTs beyond ADMIN_LOGIN_RATE per address are a 429
    with Retry-After, logged. Fails open when the store is unreachable (RATELIMIT_FAIL_OPEN)."""

    @functools.wraps(view)
    def limited(request, *args, **kwargs):
        rate = settings.ADMIN_LOGIN_RATE
        if request.method == "POST" and rate:
            from content_app.api.throttling import client_address, count_in_store

            address = client_address(request)
            usage = count_in_store(request, group="kneecare:admin-login", ident=address, rate=rate)
            if usage is not None and usage["should_limit"]:
                logger.warning("admin sign-in refused: over %s from address %s", rate, address)
                wait = max(1, usage["time_left"])
                return HttpResponse(
                    f"Too many sign-in attempts from your address; try again in {wait} s.\n",
                    status=429,
                    content_type="text/plain; charset=utf-8",
                    headers={"Retry-After": str(wait), "Cache-Control": "no-store"},
                )
        return view(request, *args, **kwargs)

    return limited
