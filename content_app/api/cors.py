"""CORS for the public read API: django-cors-headers does it (settings: CORS_*).

CorsMiddleware is first in MIDDLEWARE, outside the response cache, so cached hits get the
headers for the request's own Origin. The WSGI front (content_app.caching.CachedApiWSGI)
answers hits before any middleware, so cross-origin requests (they carry `Origin`) go past it
to Django; same-origin and non-browser clients keep the fast path.
"""

from corsheaders.middleware import CorsMiddleware

from content_app.api.lifecycle import headers_for_path
from content_app.caching import CachedApiWSGI


class ApiCorsMiddleware(CorsMiddleware):
    """django-cors-headers' middleware; its empty preflight answer claims no text/html."""

    def add_response_headers(self, request, response):
        response = super().add_response_headers(request, response)
        if request.method == "OPTIONS" and not response.content:
            del response["Content-Type"]
        return response


class CrossOriginAwareFront(CachedApiWSGI):
    def __call__(self, environ, start_response):
        if "HTTP_ORIGIN" in environ:
            return self.application(environ, start_response)

        def start(status, headers, *exc_info):
            # Hits the front answers say `Vary: Origin` as CorsMiddleware's do, so a shared
            # cache never hands a response without CORS headers to a browser; and they carry
            # the lifecycle headers LifecycleMiddleware adds (content_app/api/lifecycle.py).
            headers = _vary_on_origin(headers)
            if not any(name.lower() == "deprecation" for name, _ in headers):
                headers = [*headers, *headers_for_path(environ.get("PATH_INFO", ""))]
            return start_response(status, headers, *exc_info)

        return super().__call__(environ, start)


def _vary_on_origin(headers):
    for index, (name, value) in enumerate(headers):
        if name.lower() == "vary":
            if "origin" not in value.lower():
                headers = [*headers[:index], (name, f"{value}, origin"), *headers[index + 1 :]]
            return headers
    return headers
