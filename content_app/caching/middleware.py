"""ApiCacheMiddleware: validators, 304s and the rendered-response cache for GET/HEAD /api/v1/.

First in MIDDLEWARE: a hit skips the whole stack, and stored entries hold the headers every
other middleware added (security headers included). Safe ahead of SecurityMiddleware: the key
holds scheme and host, and only 200s are stored, so a request SecurityMiddleware would
redirect never finds an entry.

- Cache-Control: the view's own (sync: `no-cache`), else `public, max-age, swr` from settings;
  errors are `no-store`. Vary: Accept, Accept-Encoding.
- Last-Modified per representation where the change log can say it (see last_modified_for).
- Concurrent misses for one key in one process render once (single flight): after a publish
  every key changes at once, and the other threads wait for the first render instead of
  repeating it.
- A database outage: hits keep being served from the last known content version; a miss
  that needs the database gets a 503 problem with Retry-After (content_app.api.problems).
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseNotModified

from content_app.caching import entries, keys
from content_app.caching.conditional import select
from content_app.caching.entries import local_entries
from content_app.caching.gate import gate_allows, resolve_cached
from content_app.caching.version import content_version, last_modified_for, serving

# A thread waiting for another's render of the same key gives up after this and renders.
SINGLE_FLIGHT_WAIT = 5.0

_in_flight: dict[tuple, threading.Event] = {}
_in_flight_lock = threading.Lock()


def cache_control() -> str:
    return (
        f"public, max-age={settings.API_CACHE_MAX_AGE}, "
        f"stale-while-revalidate={settings.API_CACHE_STALE_WHILE_REVALIDATE}"
    )


def negotiate(request, entry) -> tuple[int, dict, bytes]:
    """(status, header store, body) answering `request` from a stored entry."""
    coding, not_modified = select(request, entry)
    if not_modified:
        return 304, entry["headers_304"][coding], b""
    body = b"" if request.method == "HEAD" else entry["bodies"][coding]
    return entry["status"], entry["headers"][coding], body


def serve(request, entry) -> HttpResponse:
    status, store, body = negotiate(request, entry)
    response = HttpResponseNotModified() if status == 304 else HttpResponse(body, status=status)
    entries.write_headers(response, store)
    return response


def _stored_entry(parts, key):
    entry = local_entries.get(parts)
    if entry is None:
        entry = entries.cache_get(key)
        if entry is not None:
            local_entries.put(parts, entry)
    return entry


def _serve_hit(request, entry):
    match = resolve_cached(request)
    if match is not None and gate_allows(request, match):
        return serve(request, entry)
    return None


class ApiCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not request.path_info.startswith(
            keys.API_PREFIX
        ):
            return self.get_response(request)
        try:
            version = content_version()
        except DatabaseError:
            from kneecare.ops.outages import unavailable_response

            return unavailable_response(request)
        parts = keys.key_parts(request, version)
        key = keys.response_key(parts)
        entry = _stored_entry(parts, key)
        if entry is not None:
            response = _serve_hit(request, entry)
            if response is not None:
                return response
        with _in_flight_lock:
            running = _in_flight.get(parts)
            if running is None:
                mine = _in_flight[parts] = threading.Event()
        if running is not None:
            running.wait(SINGLE_FLIGHT_WAIT)
            entry = local_entries.get(parts)
            if entry is not None:
                response = _serve_hit(request, entry)
                if response is not None:
                    return response
            return self._render(request, parts, key, version)
        try:
            return self._render(request, parts, key, version)
        finally:
            with _in_flight_lock:
                _in_flight.pop(parts, None)
            mine.set()

    def _render(self, request, parts, key, version):
        with serving(version):  # the view reads the version its key holds (search's synonyms)
            response = self.get_response(request)
        if response.status_code != 200 or response.streaming:
            if response.status_code >= 400 and not response.has_header("Cache-Control"):
                response["Cache-Control"] = "no-store"
            return response
        control = response.get("Cache-Control", "")
        if "private" in control.lower() or "no-store" in control.lower():
            return response
        try:
            last_modified = last_modified_for(request, version)
        except DatabaseError:
            last_modified = None
        entry = entries.build_entry(
            response, cache_control=control or cache_control(), last_modified=last_modified
        )
        if request.method == "GET" and entries.storable(response, entry):
            entries.cache_set(key, entry, settings.API_CACHE_TIMEOUT)
            local_entries.put(parts, entry)
        return serve(request, entry)


def clear() -> None:
    with _in_flight_lock:
        _in_flight.clear()


__all__ = ["ApiCacheMiddleware", "cache_control", "negotiate", "serve"]
