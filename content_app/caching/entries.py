"""Stored responses: one entry per representation, with bytes and ready headers per coding.

An entry is built once, when a 200 is rendered: the gzip and br bodies and, per coding, the
complete header set of the 200 and of the 304. Entries live in the Django cache (shared in
production) and in a small per-process memo in front of it.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import threading
from datetime import datetime

import brotli
from django.core.cache import cache
from django.utils.http import http_date

from content_app.caching.conditional import NOT_MODIFIED_HEADERS, etag_for

logger = logging.getLogger(__name__)

VARY = ("Accept", "Accept-Encoding")
# Request headers the key already accounts for; anything else in Vary is not stored.
KEYED_VARY = frozenset({"accept", "accept-encoding"})
_NOT_REPLAYED = frozenset(
    {
        "content-length",
        "content-encoding",
        "etag",
        "last-modified",
        "cache-control",
        "vary",
        "set-cookie",
        "date",
        "expires",
    }
)
MIN_COMPRESS_BYTES = 256
BROTLI_QUALITY = 5
GZIP_LEVEL = 6


def build_entry(response, *, cache_control: str, last_modified: datetime | None) -> dict:
    """The stored form of a rendered 200 (`last_modified` None: no Last-Modified claim)."""
    body = response.content
    content_type = response.get("Content-Type", "")
    digest = hashlib.sha256(content_type.encode() + b"\0" + body).hexdigest()[:32]
    bodies = {"identity": body}
    if len(body) >= MIN_COMPRESS_BYTES:
        gz = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
        if len(gz) < len(body):
            bodies["gzip"] = gz
            br = brotli.compress(body, quality=BROTLI_QUALITY)
            if len(br) < len(gz):
                bodies["br"] = br
    vary = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
    seen: set[str] = set()
    merged_vary = [v for v in (*vary, *VARY) if not (v.lower() in seen or seen.add(v.lower()))]
    validators = {"Cache-Control": cache_control, "Vary": ", ".join(merged_vary)}
    if last_modified is not None:
        validators["Last-Modified"] = http_date(last_modified.timestamp())
    replayed = {
        name: value for name, value in response.items() if name.lower() not in _NOT_REPLAYED
    }
    etags, full, not_modified = {}, {}, {}
    for coding, content in bodies.items():
        etags[coding] = etag_for(digest, coding)
        encoding = {} if coding == "identity" else {"Content-Encoding": coding}
        headers = {
            **replayed,
            **encoding,
            "Content-Length": str(len(content)),
            "ETag": etags[coding],
            **validators,
        }
        full[coding] = header_store(headers)
        not_modified[coding] = header_store({name: headers[name] for name in NOT_MODIFIED_HEADERS})
    return {
        "status": response.status_code,
        "etags": etags,
        "last_modified_ts": int(last_modified.timestamp()) if last_modified else None,
        "vary": vary,
        "bodies": bodies,
        "headers": full,
        "headers_304": not_modified,
    }


def storable(response, entry) -> bool:
    if response.cookies or response.has_header("Set-Cookie"):
        return False
    return all(header.lower() in KEYED_VARY for header in entry["vary"])


# --- Writing stored headers into a response -----------------------------------------------------


def header_store(headers: dict) -> dict:
    """Headers in the shape of Django's ResponseHeaders store: {lower name: (name, value)}."""
    return {name.lower(): (name, value) for name, value in headers.items()}


def write_headers(response, store: dict) -> None:
    """Put a stored header set on `response`: the one place that uses Django's private store.

    Every value was validated when the original response was built (or is ASCII we made), and
    re-validating ~10 headers per hit costs more than the rest of serving it. If Django's
    ResponseHeaders ever stops keeping `_store`, this falls back to the public API (slower,
    same result); tests/mobile/test_cache_package.py checks both paths agree.
    """
    target = getattr(response.headers, "_store", None)
    if isinstance(target, dict):
        target.update(store)
        return
    for name, value in store.values():
        response.headers[name] = value


# --- The per-process memo ---------------------------------------------------------------------


class LocalEntries:
    """A small in-process memo in front of the Django cache: a hit needs no unpickling.

    Always correct, because keys hold the content version; bounded by total body bytes and
    emptied oldest-first. Reads take no lock (dict reads are atomic under the GIL).
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: dict[tuple, dict] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self):
        return len(self._entries)

    def get(self, parts):
        return self._entries.get(parts)

    def put(self, parts, entry) -> None:
        size = sum(len(body) for body in entry["bodies"].values())
        if size > self.max_bytes // 4:
            return
        with self._lock:
            if parts in self._entries:
                return
            while self._entries and self._bytes + size > self.max_bytes:
                oldest = next(iter(self._entries))
                self._bytes -= self._entries.pop(oldest)["size"]
            entry["size"] = size
            self._entries[parts] = entry
            self._bytes += size

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


local_entries = LocalEntries(max_bytes=32 * 1024 * 1024)


# --- The shared store (the Django cache); an outage degrades to rendering -------------------


def cache_get(key):
    try:
        return cache.get(key)
    except Exception:
        logger.warning("response cache unavailable; rendering from the database", exc_info=True)
        return None


def cache_set(key, value, timeout) -> None:
    try:
        cache.set(key, value, timeout=timeout)
    except Exception:
        logger.warning("response cache unavailable; not storing", exc_info=True)
