"""Deprecation and sunset signals (RFC 9745 `Deprecation`, RFC 8594 `Sunset`, `Link`).

settings.API_LIFECYCLE maps a version (`v1`) or one operation's URL name (`v1:causes-list`)
to `{"deprecation": date, "sunset": date, "link": url}`; an operation's entry wins over its
version's. No library sets these headers from settings, hence this module. The middleware sits
outside the response cache (a change of settings needs no cache flush), and the WSGI front's
hits get the same headers (content_app/api/cors.py).
"""

import json
from datetime import UTC, date, datetime
from functools import cache

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils.http import http_date


def _timestamp(value: str) -> int:
    return int(datetime.combine(date.fromisoformat(value), datetime.min.time(), UTC).timestamp())


@cache
def _headers_for(url_name: str, lifecycle_json: str) -> tuple:
    lifecycle = json.loads(lifecycle_json)
    entry = lifecycle.get(url_name) or lifecycle.get(url_name.split(":", 1)[0])
    if not entry:
        return ()
    headers = []
    links = []
    if entry.get("deprecation"):
        headers.append(("Deprecation", f"@{_timestamp(entry['deprecation'])}"))
    if entry.get("sunset"):
        headers.append(("Sunset", http_date(_timestamp(entry["sunset"]))))
    if entry.get("link"):
        links.append(f'<{entry["link"]}>; rel="deprecation"; type="text/html"')
        if entry.get("sunset"):
            links.append(f'<{entry["link"]}>; rel="sunset"; type="text/html"')
    if links:
        headers.append(("Link", ", ".join(links)))
    return tuple(headers)


def headers_for_path(path: str) -> tuple:
    """The lifecycle headers of the operation at `path` (none when nothing is deprecated)."""
    lifecycle = getattr(settings, "API_LIFECYCLE", None)
    if not lifecycle:
        return ()
    try:
        match = resolve(path)
    except Resolver404:
        return ()
    if not match.view_name:
        return ()
    return _headers_for(match.view_name, json.dumps(lifecycle, sort_keys=True))


class LifecycleMiddleware:
    """Adds the headers to every response under /api/, cache hits included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path_info.startswith("/api/"):
            return response
        for name, value in headers_for_path(request.path_info):
            if name == "Link" and response.has_header("Link"):
                value = f"{response['Link']}, {value}"
            response[name] = value
        return response
