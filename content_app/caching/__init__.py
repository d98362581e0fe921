"""HTTP caching for GET/HEAD under /api/v1/, one module per concern:

- `version`: the content version (change-log head) and how every process learns it changed;
- `keys`: what makes two requests the same representation;
- `entries`: stored responses (bodies and headers per content coding), the per-process memo,
  the shared store, and the one write into Django's private header store;
- `negotiation`: Accept-Encoding with q-values;
- `conditional`: If-None-Match / If-Modified-Since and what a 304 carries;
- `gate`: authentication, permissions and throttles for cached responses;
- `middleware`: ApiCacheMiddleware, which renders, stores and serves;
- `wsgi`: CachedApiWSGI, which serves memo hits before Django's request cycle.
"""

from content_app.caching import gate, middleware, negotiation
from content_app.caching.entries import local_entries
from content_app.caching.middleware import ApiCacheMiddleware
from content_app.caching.version import (
    ContentVersion,
    announce_change,
    content_version,
    current_head,
    forget_content_version,
)
from content_app.caching.wsgi import CachedApiWSGI


def reset_process_caches() -> None:
    """Forget everything this process holds in memory (tests: the database was rolled back)."""
    local_entries.clear()
    gate.clear()
    negotiation.clear()
    middleware.clear()
    forget_content_version()


__all__ = [
    "ApiCacheMiddleware",
    "CachedApiWSGI",
    "ContentVersion",
    "announce_change",
    "content_version",
    "current_head",
    "forget_content_version",
    "local_entries",
    "reset_process_caches",
]
