"""Admin sign-in that cannot starve the API: at most ADMIN_LOGIN_CONCURRENCY password checks
run at once per process.

A password check is deliberately slow (PBKDF2, ~0.5 s of CPU here) and runs on the same
threads and cores as the API. django-axes refuses locked-out username + address pairs before
this backend runs; this bounds what is left (many usernames, many addresses). A sign-in that
cannot start its check within ADMIN_LOGIN_WAIT seconds fails at once with a "try again"
message, without hashing, and is logged.
"""

import logging
import threading

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

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
