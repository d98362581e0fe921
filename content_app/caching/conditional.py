"""Conditional requests (RFC 9110 §13): which stored variant a validator selects, and 304s.

Each content coding is its own representation with its own ETag (`"h"`, `"h-gzip"`,
`"h-br"`). If-None-Match uses the weak comparison, so `W/"h"` matches `"h"`, but a gzip tag
never matches the identity representation. A cache holding the gzip variant that now also
accepts br sends `"h-gzip"`: as long as the client still accepts gzip, that variant is
selected and the 304 confirms what the cache holds (one round trip, never a body it lacks).
If-Modified-Since is only consulted without If-None-Match (§13.2.2).
"""

from __future__ import annotations

from django.utils.http import parse_etags, parse_http_date_safe

from content_app.caching.negotiation import acceptable_codings

# What a 304 carries (RFC 9110 §15.4.5): ETag, Cache-Control, Vary (Date comes from the
# server; no Expires or Content-Location are ever sent). No body or representation headers.
NOT_MODIFIED_HEADERS = ("ETag", "Cache-Control", "Vary")


def etag_for(digest: str, coding: str) -> str:
    return f'"{digest}"' if coding == "identity" else f'"{digest}-{coding}"'


def _opaque(tag: str) -> str:
    return tag.removeprefix("W/")


def select(request, entry) -> tuple[str, bool]:
    """(coding to answer with, whether the answer is 304 Not Modified)."""
    meta = request.META
    codings = [
        c for c in acceptable_codings(meta.get("HTTP_ACCEPT_ENCODING")) if c in entry["bodies"]
    ]
    if not codings:
        codings = ["identity"]
    if_none_match = meta.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        tags = {_opaque(tag) for tag in parse_etags(if_none_match)}
        if "*" in tags:
            return codings[0], True
        for coding in codings:
            if entry["etags"][coding] in tags:
                return coding, True
        return codings[0], False
    if_modified_since = meta.get("HTTP_IF_MODIFIED_SINCE")
    last_modified = entry.get("last_modified_ts")
    if if_modified_since and last_modified is not None:
        since = parse_http_date_safe(if_modified_since)
        if since is not None and last_modified <= since:
            return codings[0], True
    return codings[0], False
