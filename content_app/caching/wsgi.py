"""CachedApiWSGI: answers anonymous GET/HEAD hits from this process's memo before Django.

Same entries, key, gate and negotiation as ApiCacheMiddleware (which stores them); it only
skips Django's per-request machinery, which costs more than serving the hit. It never changes
what Django would answer: requests with credentials, every miss, and any request the front
cannot read exactly as Django would (an odd path, too many parameters, a database error while
reading the content version, anything that raises) go to Django with the environ untouched.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from django.core.handlers.wsgi import WSGIRequest

from content_app.caching import keys
from content_app.caching.entries import local_entries
from content_app.caching.gate import gate_allows, resolve_cached
from content_app.caching.middleware import negotiate
from content_app.caching.version import content_version, serving

logger = logging.getLogger(__name__)

_CREDENTIAL_HEADERS = ("HTTP_AUTHORIZATION", "HTTP_X_API_KEY", "HTTP_COOKIE")
_STATUS_LINES = {status.value: f"{status.value} {status.phrase}" for status in HTTPStatus}


class CachedApiWSGI:
    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if (
            environ.get("REQUEST_METHOD") in ("GET", "HEAD")
            and environ.get("PATH_INFO", "").startswith(keys.API_PREFIX)
            and not any(environ.get(name) for name in _CREDENTIAL_HEADERS)
        ):
            version = answer = None
            try:
                version = content_version()
                answer = self._from_memo(environ, version)
            except Exception:  # whatever it is, Django answers it the way it always would
                logger.debug("WSGI front: handing the request to Django", exc_info=True)
            if answer is not None:
                status, store, body = answer
                start_response(_STATUS_LINES[status], list(store.values()))
                return [body]
            if version is not None:
                # A miss: Django's response cache keys it with the version read here (one
                # signal read per request).
                with serving(version):
                    return self.application(environ, start_response)
        return self.application(environ, start_response)

    @staticmethod
    def _from_memo(environ, version):
        # A copy: WSGIRequest rewrites PATH_INFO and SCRIPT_NAME in the dict it is given, and
        # Django must read the original (a path outside Latin-1 would not survive twice).
        request = WSGIRequest(environ.copy())
        entry = local_entries.get(keys.key_parts(request, version))
        if entry is None:
            return None
        match = resolve_cached(request)
        if match is None or not gate_allows(request, match):
            return None
        return negotiate(request, entry)
