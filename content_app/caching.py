"""HTTP caching for GET/HEAD under /api/v1/: validators, 304s, and a rendered-response cache.

`ApiCacheMiddleware` does all of it, for every API view at once:

- ETag: a hash of the representation's bytes (strong; a content-coding suffix per variant), so
  it changes when, and only when, the representation changes. Last-Modified: when the published
  set last changed (the change-log head's time), identical in every process.
  `If-None-Match` (wins) and `If-Modified-Since` give 304.
- Cache-Control `public, max-age, stale-while-revalidate` (API_CACHE_* settings) and
  `Vary: Accept, Accept-Encoding` on successful responses; errors are `no-store`.
- Rendered 200 responses are kept in the Django cache, compressed once (gzip and br) when
  stored. The key holds path, normalised query, Accept, host, code fingerprint and the content
  version (the change-log head): a publish changes every key, so there is nothing to
  invalidate, and many processes stay correct with a shared cache or with their own.
- A cached response still passes the view's authentication, permission and throttle checks;
  views that have none skip that step, so a hit costs no database query.
- Any cache error degrades to rendering from the database.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import threading
from datetime import datetime
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlencode

import brotli
from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny
from rest_framework.request import Request

from content_app.changelog import content_version, forget_content_version

logger = logging.getLogger(__name__)

API_PREFIX = "/api/v1/"
VARY = ("Accept", "Accept-Encoding")
# Response headers that the key already accounts for; anything else in Vary is not stored.
_KEYED_VARY = frozenset({"accept", "accept-encoding"})
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


def _code_fingerprint() -> str:
    """Changes with the source of content_app, so a deploy never serves old representations."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        if "migrations" not in path.parts:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


CODE_FINGERPRINT = _code_fingerprint()


# --- Keys -------------------------------------------------------------------------------------


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
        request.scheme,
        request.META.get("HTTP_HOST", ""),
        request.path,
        normalised_query(request),
        request.META.get("HTTP_ACCEPT", "").replace(" ", "").lower(),
    )


def response_key(parts: tuple) -> str:
    digest = hashlib.sha256("\n".join(map(str, parts)).encode()).hexdigest()
    return f"kneecare:response:{digest}"


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


def reset_process_caches() -> None:
    """Forget everything this process holds in memory (tests: the database was rolled back)."""
    local_entries.clear()
    _resolved.clear()
    _open_views.clear()
    _encodings_seen.clear()
    forget_content_version()


def _cache_get(key):
    try:
        return cache.get(key)
    except Exception:
        logger.warning("response cache unavailable; rendering from the database", exc_info=True)
        return None


def _cache_set(key, value, timeout):
    try:
        cache.set(key, value, timeout=timeout)
    except Exception:
        logger.warning("response cache unavailable; not storing", exc_info=True)


# --- Entries ----------------------------------------------------------------------------------


def build_entry(response, *, last_modified: datetime) -> dict:
    """The stored form of a rendered response: bytes per content-coding plus ready headers.

    Everything a hit needs is computed here, once: the compressed bodies and, per coding,
    the complete header set of the 200 and of the 304.
    """
    body = response.content
    content_type = response.get("Content-Type", "")
    etag = hashlib.sha256(content_type.encode() + b"\0" + body).hexdigest()[:32]
    bodies = {"identity": body}
    if len(body) >= MIN_COMPRESS_BYTES:
        gz = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
        if len(gz) < len(body):
            bodies["gzip"] = gz
            br = brotli.compress(body, quality=BROTLI_QUALITY)
            if len(br) < len(gz):
                bodies["br"] = br
    vary = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
    seen = set()
    merged_vary = [v for v in (*vary, *VARY) if not (v.lower() in seen or seen.add(v.lower()))]
    validators = {
        "Last-Modified": http_date(last_modified.timestamp()),
        "Cache-Control": cache_control(),
        "Vary": ", ".join(merged_vary),
    }
    replayed = {
        name: value for name, value in response.items() if name.lower() not in _NOT_REPLAYED
    }
    full, not_modified = {}, {}
    for coding, content in bodies.items():
        tag = {"ETag": f'"{etag}"' if coding == "identity" else f'"{etag}-{coding}"'}
        encoding = {} if coding == "identity" else {"Content-Encoding": coding}
        headers = {**replayed, **encoding, "Content-Length": str(len(content)), **tag}
        full[coding] = _header_store({**headers, **validators})
        not_modified[coding] = _header_store({**tag, **validators})
    return {
        "status": response.status_code,
        "etag": etag,
        "last_modified": last_modified,
        "vary": vary,
        "bodies": bodies,
        "headers": full,
        "headers_304": not_modified,
    }


def _header_store(headers: dict) -> dict:
    return {name.lower(): (name, value) for name, value in headers.items()}


def _set_headers(response, store: dict) -> None:
    # Straight into ResponseHeaders' store: every value was checked when the original
    # response was built (or is ASCII we made), and re-checking ~10 headers per hit costs
    # more than the rest of serving it.
    response.headers._store.update(store)


_encodings_seen: dict[str, str] = {}


def _accepted_encodings(header: str) -> dict[str, float]:
    accepted = {}
    for part in header.split(","):
        token, _, params = part.strip().partition(";")
        if not token:
            continue
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        accepted[token.strip().lower()] = quality
    return accepted


def choose_encoding(request, bodies) -> str:
    header = request.META.get("HTTP_ACCEPT_ENCODING", "")
    best = _encodings_seen.get(header)
    if best is None:
        accepted = _accepted_encodings(header)
        usable = [c for c in ("br", "gzip") if accepted.get(c, accepted.get("*", 0.0)) > 0]
        best = ",".join(usable)
        if len(_encodings_seen) > 1024:
            _encodings_seen.clear()
        _encodings_seen[header] = best
    for coding in best.split(",") if best else ():
        if coding in bodies:
            return coding
    return "identity"


def _not_modified(request, etag: str, last_modified: datetime) -> bool:
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        # Weak comparison (RFC 9110 13.1.2), and any content-coding of this representation.
        for tag in parse_etags(if_none_match):
            if tag == "*":
                return True
            base = tag.removeprefix("W/").strip('"').removesuffix("-gzip").removesuffix("-br")
            if base == etag:
                return True
        return False
    if_modified_since = request.META.get("HTTP_IF_MODIFIED_SINCE")
    if not if_modified_since:
        return False
    since = parse_http_date_safe(if_modified_since)
    return since is not None and int(last_modified.timestamp()) <= since


def cache_control() -> str:
    return (
        f"public, max-age={settings.API_CACHE_MAX_AGE}, "
        f"stale-while-revalidate={settings.API_CACHE_STALE_WHILE_REVALIDATE}"
    )


def negotiate(request, entry) -> tuple[int, dict, bytes]:
    """(status, header store, body) answering `request` from a stored entry."""
    coding = choose_encoding(request, entry["bodies"])
    if _not_modified(request, entry["etag"], entry["last_modified"]):
        return 304, entry["headers_304"][coding], b""
    body = b"" if request.method == "HEAD" else entry["bodies"][coding]
    return entry["status"], entry["headers"][coding], body


def serve(request, entry) -> HttpResponse:
    """The response for `request` from a stored entry: 304, or the best content-coding."""
    status, store, body = negotiate(request, entry)
    response = HttpResponseNotModified() if status == 304 else HttpResponse(body, status=status)
    _set_headers(response, store)
    return response


# --- The gate: authentication, permissions and throttles for cached responses ------------------

_open_views: dict[type, bool] = {}


def _is_open(view_class) -> bool:
    """True when the view applies no authentication, permission or throttle at all."""
    known = _open_views.get(view_class)
    if known is None:
        known = _open_views[view_class] = (
            not view_class.authentication_classes
            and not view_class.throttle_classes
            and all(p is AllowAny for p in view_class.permission_classes)
        )
    return known


_resolved: dict[tuple, object] = {}


def resolve_cached(request):
    """`resolve()` memoised per (urlconf, path); None when nothing matches."""
    urlconf = getattr(request, "urlconf", None) or get_urlconf() or settings.ROOT_URLCONF
    key = (urlconf, request.path_info)
    match = _resolved.get(key)
    if match is None:
        try:
            match = resolve(request.path_info, urlconf)
        except Resolver404:
            return None
        if len(_resolved) > 4096:
            _resolved.clear()
        _resolved[key] = match
    return match


def gate_allows(request, match) -> bool:
    """Authentication, permissions and throttles of the resolved DRF view.

    Everything else a view checks depends only on what the cache key holds (path, query,
    Accept), and the stored entry proves it passed. False lets the view answer instead.
    """
    view_class = getattr(match.func, "cls", None)
    if view_class is None:
        return False
    if _is_open(view_class):
        return True
    view = view_class(**getattr(match.func, "initkwargs", {}))
    actions = getattr(match.func, "actions", None)
    if actions:
        view.action_map = actions
        view.action = actions.get(request.method.lower()) or actions.get("get")
    view.args, view.kwargs = match.args, match.kwargs
    drf_request = Request(request, authenticators=view.get_authenticators())
    view.request = drf_request
    try:
        view.perform_authentication(drf_request)
        view.check_permissions(drf_request)
        view.check_throttles(drf_request)
    except APIException:
        return False
    return True


# --- Middleware -------------------------------------------------------------------------------


class ApiCacheMiddleware:
    """First in MIDDLEWARE: a hit skips the whole stack, and stored entries hold the headers
    every other middleware added (security headers included).

    Safe ahead of SecurityMiddleware: the key holds scheme and host, and only 200s are stored,
    so a request that SecurityMiddleware would redirect never finds an entry.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        version = content_version()
        parts = key_parts(request, version)
        entry = local_entries.get(parts)
        key = None
        if entry is None:
            key = response_key(parts)
            entry = _cache_get(key)
            if entry is not None:
                local_entries.put(parts, entry)
        if entry is not None:
            match = resolve_cached(request)
            if match is not None and gate_allows(request, match):
                return serve(request, entry)
        response = self.get_response(request)
        if response.status_code != 200 or response.streaming:
            if response.status_code >= 400 and not response.has_header("Cache-Control"):
                response["Cache-Control"] = "no-store"
            return response
        control = response.get("Cache-Control", "").lower()
        if "private" in control or "no-store" in control:
            return response
        # Last-Modified is when the published set last changed: the same in every process
        # (a per-representation first-seen time would differ between processes' caches).
        entry = build_entry(response, last_modified=version.changed_at)
        if request.method == "GET" and _storable(response, entry):
            _cache_set(key or response_key(parts), entry, settings.API_CACHE_TIMEOUT)
            local_entries.put(parts, entry)
        return serve(request, entry)


def _storable(response, entry) -> bool:
    if response.cookies or response.has_header("Set-Cookie"):
        return False
    return all(header.lower() in _KEYED_VARY for header in entry["vary"])


# --- WSGI front -------------------------------------------------------------------------------

_CREDENTIAL_HEADERS = ("HTTP_AUTHORIZATION", "HTTP_X_API_KEY", "HTTP_COOKIE")


class CachedApiWSGI:
    """Answers anonymous GET/HEAD hits from this process's memo before Django's request cycle.

    Same entries, key, gate and negotiation as ApiCacheMiddleware (which stores them); it only
    skips Django's per-request machinery, which costs more than serving the hit. Requests with
    credentials, and every miss, go to Django unchanged.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if (
            environ.get("REQUEST_METHOD") in ("GET", "HEAD")
            and environ.get("PATH_INFO", "").startswith(API_PREFIX)
            and not any(environ.get(name) for name in _CREDENTIAL_HEADERS)
        ):
            request = WSGIRequest(environ)
            entry = local_entries.get(key_parts(request, content_version()))
            if entry is not None:
                match = resolve_cached(request)
                if match is not None and gate_allows(request, match):
                    status, store, body = negotiate(request, entry)
                    start_response(_STATUS_LINES[status], list(store.values()))
                    return [body]
        return self.application(environ, start_response)


_STATUS_LINES = {status.value: f"{status.value} {status.phrase}" for status in HTTPStatus}
