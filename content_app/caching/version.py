"""The content version: the change log's head (plus its time and the sync horizon).

Every response-cache key holds it, so a publish changes every key at once. Each process keeps
the version in memory and checks a shared *change signal* on every request, which is far
cheaper than the database:

- `cache`: a counter in the shared cache (Redis in production), one GET per request;
- `file`: a stamp file replaced on every change (an `os.stat` per request), for processes that
  share a machine but no cache (the embedded default: SQLite + local-memory cache);
- `memory`: an in-process counter (an in-memory SQLite database is one process anyway).

Writers announce a change (`announce_change`) in the transaction and again on commit. A process
that sees the signal differ from the one it read with re-reads the version from the database
(one indexed query) before answering. So after a commit every process serves the change on
its next request, and no process answers with an older version than one any process has
already served after the signal moved (the reader that served it had seen the new signal).
A re-read is also forced every API_CACHE_VERSION_TTL seconds, covering a writer that died
between commit and announcement (or a write that bypassed the change log).

When the database fails, the last known version keeps being used (RFC 5861 stale-if-error)
and the database is not asked again for API_CACHE_DB_RETRY seconds, so cached responses keep
flowing; only a process that never read a version raises (`DatabaseError`), which the
middleware answers with a 503 problem.

Hand-written: no library offers a cross-process "latest committed version" with these
guarantees over Django's cache and database.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import logging
import os
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections, transaction
from django.db.models import Subquery

logger = logging.getLogger(__name__)

SIGNAL_CACHE_KEY = "kneecare:content-changed"
_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
# A refresh that waits longer than this for another thread's database read serves the last
# known version instead (a hung database must not hold every thread).
_REFRESH_WAIT = 2.0


@dataclass(frozen=True, slots=True)
class ContentVersion:
    head: int
    changed_at: datetime
    horizon: int = 0  # SyncHorizon.pruned_through: pruning changes what sync answers


# --- Change signals ---------------------------------------------------------------------------


class MemorySignal:
    kind = "memory"

    def __init__(self):
        self._counter = 0

    def read(self):
        return self._counter

    def announce(self) -> None:
        self._counter += 1


class FileSignal:
    """A stamp file, replaced (new inode) on every change; readers compare its stat."""

    kind = "file"

    def __init__(self, path: Path):
        self.path = Path(path)
        self._name = str(self.path)  # os.stat on a str skips the Path conversion per request

    def read(self):
        try:
            stat = os.stat(self._name)
        except FileNotFoundError:
            return "missing"
        except OSError:
            return None
        return (stat.st_ino, stat.st_mtime_ns, stat.st_size)

    def announce(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".content-version-")
            with os.fdopen(fd, "w") as stamp:
                stamp.write(f"{time.time_ns()} {os.getpid()}\n")
            os.replace(tmp, self.path)
        except OSError:
            logger.warning("content version: cannot write %s", self.path, exc_info=True)


class CacheSignal:
    """A counter in the shared cache; INCR is atomic, so every change moves it."""

    kind = "cache"

    def read(self):
        try:
            token = cache.get(SIGNAL_CACHE_KEY)
            if token is None:
                cache.add(SIGNAL_CACHE_KEY, time.time_ns(), timeout=None)
                token = cache.get(SIGNAL_CACHE_KEY)
        except Exception:
            logger.warning("content version: cache unavailable", exc_info=True)
            return None
        return token

    def announce(self) -> None:
        try:
            try:
                cache.incr(SIGNAL_CACHE_KEY)
            except ValueError:  # missing (evicted or flushed): any new value is a change
                cache.set(SIGNAL_CACHE_KEY, time.time_ns(), timeout=None)
        except Exception:
            logger.warning("content version: cache unavailable", exc_info=True)


_LOCAL_CACHE_BACKENDS = ("locmem.", "dummy.")


def _make_signal():
    configured = getattr(settings, "API_CACHE_VERSION_SIGNAL", "") or "auto"
    backend = settings.CACHES["default"]["BACKEND"]
    database = settings.DATABASES["default"]
    if configured == "auto":
        if not any(part in backend for part in _LOCAL_CACHE_BACKENDS):
            configured = "cache"
        elif database["ENGINE"].endswith("sqlite3") and _in_memory(database):
            configured = "memory"
        else:
            configured = "file"
    if configured == "cache":
        return CacheSignal()
    if configured == "memory":
        return MemorySignal()
    return FileSignal(_stamp_path(database))


def _in_memory(database) -> bool:
    name = str(database.get("TEST", {}).get("NAME") or database["NAME"])
    return name == ":memory:" or "mode=memory" in name or name == ""


def _stamp_path(database) -> Path:
    path = getattr(settings, "API_CACHE_VERSION_STAMP", "")
    if path:
        return Path(path)
    name = str(database["NAME"])
    if database["ENGINE"].endswith("sqlite3"):
        return Path(f"{name}.content-version")
    identity = "|".join(str(database.get(k, "")) for k in ("ENGINE", "HOST", "PORT", "NAME"))
    digest = hashlib.sha256(identity.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"kneecare-content-version-{digest}"


class _State:
    def __init__(self):
        self.signal = None
        self.version: ContentVersion | None = None
        self.token = None
        self.read_at = 0.0
        self.retry_at = 0.0
        self.lock = threading.Lock()


_state = _State()


def signal():
    if _state.signal is None:
        _state.signal = _make_signal()
    return _state.signal


# --- Reading ----------------------------------------------------------------------------------


def read_version_from_db() -> ContentVersion:
    from content_app import models as m

    horizon = m.SyncHorizon.objects.filter(id=1).values("pruned_through")[:1]
    row = (
        m.ChangeLogEntry.objects.order_by("-id")
        .annotate(horizon=Subquery(horizon))
        .values_list("id", "created_at", "horizon")
        .first()
    )
    if row is None:
        return ContentVersion(0, _EPOCH, 0)
    head, changed_at, pruned_through = row
    return ContentVersion(head, changed_at, pruned_through or 0)


# The version the current API request is keyed with, set by the response cache for the
# request's duration (`serving`): every later read in the request answers it, so a request
# reads the signal once, and what it derives from the version (its cache key, search's
# synonyms) agrees.
_serving: contextvars.ContextVar[ContentVersion | None] = contextvars.ContextVar(
    "kneecare_content_version", default=None
)


@contextlib.contextmanager
def serving(version: ContentVersion):
    """Within the block, content_version() answers `version` (this thread or task only)."""
    token = _serving.set(version)
    try:
        yield version
    finally:
        _serving.reset(token)


def content_version() -> ContentVersion:
    """The version this request uses: never older than one any process served after the
    signal last moved. Raises DatabaseError only when no version was ever read."""
    pinned = _serving.get()
    if pinned is not None:
        return pinned
    token = signal().read()
    now = time.monotonic()
    known = _state.version
    # An unreadable signal (shared cache down) says nothing: the TTL re-read still applies.
    signal_moved = token is not None and token != _state.token
    if known is not None:
        fresh = now - _state.read_at < settings.API_CACHE_VERSION_TTL
        if (not signal_moved and fresh) or now < _state.retry_at:
            return known
        # Only a moved signal is worth waiting for; a periodic re-read never blocks a hit.
        acquired = _state.lock.acquire(timeout=_REFRESH_WAIT if signal_moved else 0)
        if not acquired:
            return known
    else:
        _state.lock.acquire()
    try:
        if _state.version is not None and _state.token == token and _state.read_at >= now:
            return _state.version  # another thread re-read after we looked
        try:
            version = read_version_from_db()
        except DatabaseError:
            _close_broken_connection()
            if known is None:
                raise
            _state.retry_at = time.monotonic() + getattr(settings, "API_CACHE_DB_RETRY", 5.0)
            logger.warning("content version: database unavailable; serving version %s", known.head)
            return known
        _state.version, _state.token = version, token
        _state.read_at = time.monotonic()
        _state.retry_at = 0.0
        return version
    finally:
        _state.lock.release()


def _close_broken_connection() -> None:
    with contextlib.suppress(Exception):
        connections["default"].close()


def current_head() -> int:
    """The log head straight from the database (the cursor a bundle or sync hands out)."""
    from content_app import models as m

    return m.ChangeLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


# --- Writing ----------------------------------------------------------------------------------


def announce_change(using: str = "default") -> None:
    """Called by every writer of the change log inside its transaction: moves the signal now
    (this process, tests) and again after commit (what other processes act on)."""
    _announce()
    transaction.on_commit(_announce, using=using)


def _announce() -> None:
    with _state.lock:
        _state.read_at = 0.0
    signal().announce()


def forget_content_version() -> None:
    """Forget the version and the signal (tests: the database was rolled back or replaced)."""
    with _state.lock:
        _state.version = None
        _state.token = None
        _state.read_at = 0.0
        _state.retry_at = 0.0
        _state.signal = None


# --- Per-representation Last-Modified ---------------------------------------------------------


def last_modified_for(request, version: ContentVersion) -> datetime | None:
    """When this representation last changed, or None when no honest claim can be made.

    The change log records an entry for an item whenever it, or anything its compact
    representation embeds, changes (changelog.py). So a detail's time is its item's latest
    entry and a list's the latest entry of its type; `?expand=` embeds neighbours in full,
    whose body edits are not logged against this item, so it and every other resource use
    the time of the last change to anything. A time less than a second before now is not
    sent (RFC 9110 §8.8.2.2): a second change within that second would share it.
    """
    from content_app import models as m

    segments = request.path_info[len("/api/v1/") :].strip("/").split("/")
    changed_at = version.changed_at
    if segments[0] in m.MODELS_BY_API_TYPE and len(segments) <= 2 and "expand" not in request.GET:
        entries = m.ChangeLogEntry.objects.filter(entity_type=segments[0])
        if len(segments) == 2:
            entries = entries.filter(slug=segments[1])
        changed_at = entries.order_by("-id").values_list("created_at", flat=True).first()
        changed_at = changed_at or version.changed_at
    if time.time() - changed_at.timestamp() < 1.0:
        return None
    return changed_at
