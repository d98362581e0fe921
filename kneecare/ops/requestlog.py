"""Request ids and slow-request warnings (django-log-request-id does the id plumbing).

A sane incoming `X-Request-ID` (1-128 letters, digits, `-`, `_`, `.`, `:`) is kept so one id
follows a request through proxies; anything else is replaced by a fresh one. The id is in the
`X-Request-ID` response header and, through the logging filter, on every log line. Requests
slower than SLOW_REQUEST_SECONDS are logged as warnings with their method, path, status and
duration.
"""

import logging
import re
import time
import uuid

from django.conf import settings
from log_request_id.middleware import RequestIDMiddleware

logger = logging.getLogger("kneecare.requests")

_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def request_id_from(incoming: str | None) -> str:
    """The incoming id when it is sane, else a new one (also for code that runs before Django)."""
    if incoming and _SANE_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware(RequestIDMiddleware):
    def _get_request_id(self, request):
        return request_id_from(request.META.get("HTTP_X_REQUEST_ID"))

    def __call__(self, request):
        started = time.perf_counter()
        response = super().__call__(request)
        elapsed = time.perf_counter() - started
        if elapsed >= settings.SLOW_REQUEST_SECONDS:
            logger.warning(
                "slow request: %s %s %s in %.3f s",
                request.method,
                request.path,
                response.status_code,
                elapsed,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round(elapsed * 1000, 1),
                },
            )
        return response
