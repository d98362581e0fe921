"""Response-cache keys: what makes two requests the same representation."""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings

API_PREFIX = "/api/v1/"


def _code_fingerprint() -> str:
    """Changes with the source of content_app, so a deploy never serves old representations."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        if "migrations" not in path.parts:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


CODE_FINGERPRINT = _code_fingerprint()


def normalised_query(request) -> str:
    """Parameters sorted by name; repeated values keep their order (it can matter).

    Re-encoded, so a value holding `&` or `=` (`?q=knee%26type%3Dcauses`) cannot produce the
    key of a different query (`?q=knee&type=causes`) and poison its cache entry.
    """
    params = request.GET
    return urlencode([(name, value) for name in sorted(params) for value in params.getlist(name)])


def key_parts(request, version) -> tuple:
    return (
        settings.API_CACHE_RELEASE,
        CODE_FINGERPRINT,
        settings.API_CACHE_MAX_AGE,  # stored entries carry their Cache-Control
        settings.API_CACHE_STALE_WHILE_REVALIDATE,
        version.head,
        version.changed_at,  # ids can repeat after a database restore; their times do not
        version.horizon,  # pruning changes what sync pages answer (410 behind it)
        request.scheme,
        request.META.get("HTTP_HOST", ""),
        request.path,
        normalised_query(request),
        request.META.get("HTTP_ACCEPT", "").replace(" ", "").lower(),
    )


def response_key(parts: tuple) -> str:
    digest = hashlib.sha256("\n".join(map(str, parts)).encode()).hexdigest()
    return f"kneecare:response:{digest}"
