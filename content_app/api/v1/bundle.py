"""`/api/v1/bundle/`: all published content, built once per content version into a file and
sent from it (BundleView in sync.py holds the contract; this module renders, stores, serves).

Why not the response cache every other resource uses (content_app/caching/): its entries
hold the whole body plus gzip and br copies, hashed for the ETag, in memory and in the shared
cache. At 100x the launch content (44 MB) that meant rendering into one buffer, copying it,
compressing it twice and pickling ~55 MB into the cache on every miss (9.5 s at load 11-14),
and every hit then fetched the 55 MB entry to send a 3 MB br body (the per-process memo
refuses entries over 8 MB). Streaming a fresh render per request instead would still pay the
whole render (and a compression) per request. So:

- Validators without the body. The bundle is a pure function of the published content at
  its cursor (read in one snapshot: REPEATABLE READ on PostgreSQL, one read transaction on
  SQLite), the day (`review_status`), `fields`, the licence and the code. Its ETag is a digest
  of exactly those (`bundle_key`), per content coding as everywhere (`"k"`, `"k-gzip"`,
  `"k-br"`), so If-None-Match and If-Modified-Since get their 304 from the remembered content
  version: no query, nothing rendered or read.
- Built once per key and machine, rendered BUNDLE_CHUNK items at a time straight into a file
  under BUNDLE_DIR: one chunk's dicts and bytes are alive at a time, never the whole bundle.
  One build at a time per machine (a file lock): concurrent requests and worker processes
  wait for it, and two builds never split the CPUs. A gzip or br variant is compressed from
  that file, streamed, on its first request (a client that takes identity never pays for it).
- Sent as a FileResponse: gunicorn passes the file to sendfile(2); Content-Length is known,
  so HEAD answers exactly as GET. A build deletes older versions' builds (a response still
  sending one keeps its open file) and any beyond the newest BUNDLE_KEEP.
- Except when small: a bundle under RESPONSE_CACHE_MAX_BYTES (the launch content's is 0.4 MB)
  is handed to the response cache as bytes like any resource, because its hits, served by the
  WSGI front before Django, are several times faster than any response through Django
  (`make bench`, the issue 10 bar of 0.5x bare WSGI).
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import hashlib
import logging
import os
import tempfile
import time
from pathlib import Path

import brotli
from django.conf import settings
from django.db import connection, transaction
from django.http import (
    FileResponse,
    HttpResponse,
    HttpResponseNotModified,
    StreamingHttpResponse,
)
from django.utils import timezone
from django.utils.http import http_date

from content_app import models as m
from content_app.api.renderers import OrjsonRenderer
from content_app.api.v1 import representations
from content_app.api.v1.media import manifest as media_manifest
from content_app.caching import keys
from content_app.caching.conditional import NOT_MODIFIED_HEADERS, etag_for, select
from content_app.caching.entries import BROTLI_QUALITY, GZIP_LEVEL, VARY, local_entries
from content_app.caching.middleware import cache_control
from content_app.caching.version import (
    ContentVersion,
    content_version,
    last_modified_for,
    read_version_from_db,
)
from content_app.querysets import id_in
from content_app.selfcheck.ruleset import current_ruleset

logger = logging.getLogger(__name__)

BUNDLE_CHUNK = 2000
CODINGS = ("identity", "gzip", "br")  # a bundle is never too small to compress
_SUFFIX = {"identity": ".json", "gzip": ".json.gz", "br": ".json.br"}
_BLOCK = 1 << 20  # bytes read per step when compressing a stored bundle
# A bundle this small is handed to the response cache like any resource: its entry (identity,
# gzip and br) then fits the per-process memo (an entry may take a quarter of it), whose hits
# the WSGI front serves before Django, several times faster than sending a file through Django.
# Bigger, and the memo refuses the entry: every hit would unpickle it from the shared cache.
# settings.BUNDLE_RESPONSE_CACHE_MAX_BYTES overrides it (0: always from the file; tests).
RESPONSE_CACHE_MAX_BYTES = local_entries.max_bytes // 8


def _response_cache_max_bytes() -> int:
    configured = settings.BUNDLE_RESPONSE_CACHE_MAX_BYTES
    return RESPONSE_CACHE_MAX_BYTES if configured is None else configured


# --- Rendering ------------------------------------------------------------------------------


def _trim(items, fields):
    if fields is None:
        return items
    return [{key: value for key, value in item.items() if key in fields} for item in items]


def bundle_chunks(cursor: int, fields):
    """The bundle document as successive byte strings, BUNDLE_CHUNK items per content chunk.
    Queries grow per chunk, not per item. Joined, they equal rendering `{"cursor", "licence",
    "disclaimer", "content": {type: [details]}, "media", "self_check"}` in one go."""
    renderer = OrjsonRenderer()

    def render(value) -> bytes:
        return b"null" if value is None else renderer.render(value)

    disclaimer = representations.current_disclaimer()
    media = media_manifest(m.MediaAsset.objects.published())
    self_check = current_ruleset(at_least=cursor)
    yield b'{"cursor":' + render(cursor) + b',"licence":' + render(settings.CONTENT_LICENCE)
    yield b',"disclaimer":' + render(disclaimer) + b',"content":{'
    for index, (api_type, model) in enumerate(m.MODELS_BY_API_TYPE.items()):
        yield (b"," if index else b"") + render(api_type) + b":["
        published = list(model.objects.published().values_list("id", "slug"))
        for start in range(0, len(published), BUNDLE_CHUNK):
            chunk = published[start : start + BUNDLE_CHUNK]
            position = {slug: n for n, (_id, slug) in enumerate(chunk)}
            queryset = model.objects.published().filter(id_in("id", [i for i, _s in chunk]))
            items = sorted(
                representations.detail_representations(queryset),
                key=lambda item: position[item["slug"]],
            )
            yield (b"," if start else b"") + render(_trim(items, fields))[1:-1]
        yield b"]"
    yield b'},"media":' + render(media) + b',"self_check":' + render(self_check) + b"}"


def bundle_bytes(cursor: int, fields) -> bytes:
    """The whole document in memory (tests and tools; requests are served from a file)."""
    return b"".join(bundle_chunks(cursor, fields))


# --- Keys and storage -----------------------------------------------------------------------


def bundle_key(version: ContentVersion, fields) -> str:
    """`<head>-<digest of everything the bytes depend on>`: the stored files' name and the
    ETag (plus the coding). The head in front lets a new build delete older versions'."""
    parts = (
        "bundle",
        settings.API_CACHE_RELEASE,
        keys.CODE_FINGERPRINT,
        version.head,
        version.changed_at.isoformat(),  # a head reused after a restore has another time
        version.horizon,
        timezone.localdate().isoformat(),  # review_status is relative to today
        ",".join(sorted(fields)) if fields else "",
        repr(sorted(settings.CONTENT_LICENCE.items())),
    )
    digest = hashlib.sha256("\n".join(map(str, parts)).encode()).hexdigest()[:32]
    return f"{version.head}-{digest}"


def bundle_dir() -> Path:
    """BUNDLE_DIR, else a directory in the temp dir per database (never shared by two)."""
    configured = settings.BUNDLE_DIR
    if configured:
        return Path(configured)
    database = settings.DATABASES["default"]
    identity = "|".join(str(database.get(k, "")) for k in ("ENGINE", "HOST", "PORT", "NAME"))
    digest = hashlib.sha256(identity.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"kneecare-bundles-{digest}"


def _path(key: str, coding: str) -> Path:
    return bundle_dir() / f"{key}{_SUFFIX[coding]}"


@contextlib.contextmanager
def _build_lock():
    """One build per machine at a time (every process and thread). A waiter that gives up
    after BUNDLE_BUILD_WAIT seconds builds anyway: same bytes, renamed into place atomically."""
    directory = bundle_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".build.lock", "a+b") as lock:
        deadline = time.monotonic() + settings.BUNDLE_BUILD_WAIT
        locked = False
        while not locked:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                locked = True
            except BlockingIOError:
                if time.monotonic() > deadline:
                    logger.warning("bundle: build lock still held; building without it")
                    break
                time.sleep(0.05)
        try:
            yield
        finally:
            if locked:
                fcntl.flock(lock, fcntl.LOCK_UN)


def _write_atomically(final: Path, write) -> None:
    fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=".build-")
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
        os.replace(tmp, final)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def _snapshot():
    """One consistent view of the database: the cursor and every item agree. (Inside an
    enclosing transaction, as in tests, that transaction's isolation applies.)"""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def build(version: ContentVersion, fields) -> tuple[str, ContentVersion]:
    """(key, version) of a stored identity bundle for `version` or newer, building it if needed.

    The version is re-read inside the build's snapshot: when content changed since `version`
    was remembered, the bundle built (and its key) is the newer one."""
    key = bundle_key(version, fields)
    if _path(key, "identity").exists():
        return key, version
    with _build_lock():
        if _path(key, "identity").exists():  # built while this request waited
            return key, version
        with _snapshot():
            version = read_version_from_db()
            key = bundle_key(version, fields)
            final = _path(key, "identity")
            if not final.exists():
                started = time.perf_counter()
                _write_atomically(
                    final, lambda out: out.writelines(bundle_chunks(version.head, fields))
                )
                logger.info(
                    "bundle: built %s (%s bytes) in %.2f s",
                    final.name,
                    final.stat().st_size,
                    time.perf_counter() - started,
                )
        _forget_old_builds(version.head)
    return key, version


def _gzip(source, out) -> None:
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=GZIP_LEVEL, mtime=0) as gz:
        while block := source.read(_BLOCK):
            gz.write(block)


def _brotli(source, out) -> None:
    compressor = brotli.Compressor(quality=BROTLI_QUALITY)
    while block := source.read(_BLOCK):
        out.write(compressor.process(block))
    out.write(compressor.finish())


_COMPRESSORS = {"gzip": _gzip, "br": _brotli}


def coded(key: str, coding: str) -> Path:
    """The stored file of `coding`, compressed from the identity file on first request."""
    path = _path(key, coding)
    if coding == "identity" or path.exists():
        return path
    with _build_lock():
        if not path.exists():
            with open(_path(key, "identity"), "rb") as source:
                _write_atomically(path, lambda out: _COMPRESSORS[coding](source, out))
    return path


def _forget_old_builds(head: int) -> None:
    """Delete the builds of older content versions (never served again: every key holds the
    version) and any beyond the newest BUNDLE_KEEP (variants, days); called under the lock."""
    keep = settings.BUNDLE_KEEP
    builds = sorted(
        bundle_dir().glob(f"*{_SUFFIX['identity']}"),
        key=lambda p: p.stat().st_mtime_ns,
        reverse=True,
    )
    for n, build in enumerate(builds):
        key = build.name.removesuffix(_SUFFIX["identity"])
        built_head = key.split("-", 1)[0]
        if n < keep and not (built_head.isdigit() and int(built_head) < head):
            continue
        for coding in CODINGS:
            with contextlib.suppress(FileNotFoundError):
                _path(key, coding).unlink()


# --- Serving --------------------------------------------------------------------------------


def _validators(request, key: str, version: ContentVersion) -> dict:
    """What conditional.select reads of a stored entry: the codings, their ETags, the time."""
    last_modified = last_modified_for(request, version)
    return {
        "bodies": dict.fromkeys(CODINGS),
        "etags": {coding: etag_for(key, coding) for coding in CODINGS},
        "last_modified": last_modified,
        "last_modified_ts": int(last_modified.timestamp()) if last_modified else None,
    }


def _headers(validators: dict, coding: str) -> dict:
    headers = {
        "ETag": validators["etags"][coding],
        "Cache-Control": cache_control(),
        "Vary": ", ".join(VARY),
    }
    if validators["last_modified"] is not None:
        headers["Last-Modified"] = _http_date(validators["last_modified"])
    return headers


def _http_date(moment) -> str:
    return http_date(moment.timestamp())


def respond(request, fields):
    """The bundle for `request` (GET or HEAD; `fields` already validated): a 304 when the
    client holds it, else the stored file of the negotiated coding (the stored bytes for the
    response cache when small)."""
    version = content_version()
    key = bundle_key(version, fields)
    validators = _validators(request, key, version)
    coding, not_modified = select(request, validators)
    if not_modified:
        response = HttpResponseNotModified()
        headers = _headers(validators, coding)
        for name in NOT_MODIFIED_HEADERS:
            response[name] = headers[name]
        return response
    try:
        built_key, built_version = build(version, fields)
        identity = _path(built_key, "identity")
        if identity.stat().st_size <= _response_cache_max_bytes():
            # The response cache's hits (the WSGI front) beat any file; it stores these bytes.
            return HttpResponse(identity.read_bytes(), content_type="application/json")
        path = coded(built_key, coding)
        size = path.stat().st_size
        # Opened now: a newer version's build may delete these files any moment from now on.
        stored = None if request.method == "HEAD" else open(path, "rb")  # noqa: SIM115
    except OSError:
        # BUNDLE_DIR unwritable or full: rendered in memory, stored by the response cache.
        logger.exception("bundle: cannot store in %s; rendering in memory", bundle_dir())
        with _snapshot():
            body = bundle_bytes(read_version_from_db().head, fields)
        return HttpResponse(body, content_type="application/json")
    if built_key != key:
        validators = _validators(request, built_key, built_version)
    if stored is None:  # HEAD: GET's headers, no file (gunicorn would warn as it drops it)
        response = StreamingHttpResponse((), content_type="application/json")
        response["Content-Length"] = str(size)
    else:
        response = FileResponse(stored, content_type="application/json")  # closes `stored`
        del response["Content-Disposition"]  # FileResponse names the file; this is no download
    if coding != "identity":
        response["Content-Encoding"] = coding
    for name, value in _headers(validators, coding).items():
        response[name] = value
    return response
