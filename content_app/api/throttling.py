"""Rate limits that hold across threads and processes, and the headers that show them.

Counters are fixed windows in the `ratelimit` cache (django-ratelimit's `get_usage`: an atomic
`add` then `incr`; Redis in production, a SQLite disk cache shared by the `make run` workers
otherwise), so concurrent requests can never all read the same count: at most the limit passes
per window. Fixed rather than sliding: one atomic counter per client per window, nothing to
read-modify-write, and the reset time a client is told is exact. Each client's window starts at
its own offset (a hash of its key), so not every client resets at once. DRF's own throttles
keep a request history per client and rewrite it on every request, which lets concurrent
requests overshoot (464 through at 300/minute with two clients, issue 9).

Anonymous clients are counted per address (API_NUM_PROXIES decides which), partners per key:
a key's own `rate_limit` (e.g. "10000/hour", PartnerKey) when set, else API_RATE_PARTNER.
Every keyed request is also counted for the key's usage per day (content_app/partners.py).
A request is decided once per scope: a cached hit refused at the cache's gate is not counted
again when the view then answers the 429.
When the counter store is unreachable the request is allowed (fail open): the limits protect
capacity, and refusing every client during a cache outage would be the outage.

Every response that passed a limit carries the IETF `RateLimit-Policy` and `RateLimit` fields
(draft-ietf-httpapi-ratelimit-headers): `"anonymous";q=300;w=60` and `"anonymous";r=12;t=41`
(quota, window, remaining, seconds to reset); a 429 also has `Retry-After`.
"""

import dataclasses
import logging

from django.conf import settings
from django_ratelimit.core import _split_rate, get_usage
from rest_framework import throttling
from rest_framework_api_key.models import AbstractAPIKey

from content_app import partners

logger = logging.getLogger(__name__)


def client_address(request) -> str:
    """The client's address as the rate limits and the admin lockout see it (API_NUM_PROXIES)."""
    return throttling.BaseThrottle().get_ident(request)


@dataclasses.dataclass(frozen=True)
class RateLimitState:
    policy: str
    quota: int
    window: int
    remaining: int
    reset: int

    def headers(self) -> list[tuple[str, str]]:
        name = f'"{self.policy}"'
        return [
            ("RateLimit-Policy", f"{name};q={self.quota};w={self.window}"),
            ("RateLimit", f"{name};r={self.remaining};t={self.reset}"),
        ]


# Also kept in the WSGI environ (request.META), so code before Django's middleware (the cached
# API front) gets the fields added by kneecare/ops/wsgi.py.
ENVIRON_KEY = "kneecare.rate_limit"


def rate_limit_headers(request) -> list[tuple[str, str]]:
    """The RateLimit fields for a request that went through the throttles (empty otherwise)."""
    state = getattr(request, "rate_limit", None)
    return state.headers() if state is not None else []


def count_in_store(request, *, group: str, ident: str, rate: str) -> dict | None:
    """Count one request of `ident` atomically in the shared rate-limit store (django-ratelimit's
    usage). None when the store fails: callers fail open, as RATELIMIT_FAIL_OPEN says."""
    try:
        return get_usage(
            request, group=group, key=lambda group, request: ident, rate=rate, increment=True
        )
    except Exception:
        logger.warning("rate-limit store failed for %s; allowing the request", group, exc_info=True)
        return None


class _FixedWindowThrottle(throttling.BaseThrottle):
    scope = ""
    setting = ""

    def __init__(self):
        self._wait = None

    def ident(self, request) -> str | None:
        raise NotImplementedError

    def rate(self, request) -> str | None:
        return getattr(settings, self.setting, None) or None

    def allow_request(self, request, view):
        django_request = getattr(request, "_request", request)
        decided = getattr(django_request, "_kneecare_throttled", None)
        if decided is None:
            decided = django_request._kneecare_throttled = {}
        if self.scope in decided:
            allowed, self._wait = decided[self.scope]
            return allowed
        allowed = self._decide(request)
        decided[self.scope] = (allowed, self._wait)
        self.decided(request, allowed)
        return allowed

    def decided(self, request, allowed: bool) -> None:
        """Called once per request and scope with the decision."""

    def _decide(self, request):
        rate = self.rate(request)  # first: no limit set means nothing else to read
        ident = self.ident(request) if rate is not None else None
        if ident is None:
            return True
        usage = count_in_store(request, group=f"kneecare:{self.scope}", ident=ident, rate=rate)
        if usage is None:  # the store is unreachable: fail open (RATELIMIT_FAIL_OPEN)
            return True
        quota, window = _split_rate(rate)
        reset = max(1, usage["time_left"])
        django_request = getattr(request, "_request", request)
        django_request.rate_limit = django_request.META[ENVIRON_KEY] = RateLimitState(
            policy=self.scope,
            quota=quota,
            window=window,
            remaining=max(0, quota - usage["count"]),
            reset=reset,
        )
        if usage["should_limit"]:
            self._wait = reset
            return False
        return True

    def wait(self):
        return self._wait


class AnonymousRateThrottle(_FixedWindowThrottle):
    scope = "anonymous"
    setting = "API_RATE_ANON"

    def ident(self, request):
        return None if request.auth is not None else client_address(request)


class PartnerRateThrottle(_FixedWindowThrottle):
    scope = "partner"
    setting = "API_RATE_PARTNER"

    def ident(self, request):
        return str(request.auth.pk) if isinstance(request.auth, AbstractAPIKey) else None

    def rate(self, request):
        return getattr(request.auth, "rate_limit", None) or super().rate(request)

    def decided(self, request, allowed):
        ident = self.ident(request)
        if ident is not None:
            partners.count_request(ident, limited=not allowed)


class RateLimitHeadersMiddleware:
    """Adds the RateLimit fields to API responses, cached hits included (outside the cache:
    they are per client, so they are never part of a stored response)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in rate_limit_headers(request):
            response[name] = value
        return response
