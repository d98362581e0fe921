"""Serves MEDIA_ROOT in the embedded default setup (`make run`), with immutable caching.

whitenoise serves static files only, and Django's `static.serve` sends no Cache-Control; this
wraps it (path traversal is refused there, by `safe_join`). Every stored name is
content-addressed (its SHA-256), so a response never changes and may be cached forever.
Production with S3 never reaches this view: the bucket (or a CDN in front) serves the files
with the same Cache-Control, set on upload.
"""

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404
from django.views.decorators.http import require_safe
from django.views.static import serve


@require_safe
def serve_media(request, path):
    try:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    except SuspiciousFileOperation as outside:
        raise Http404("No such file.") from outside
    response["Cache-Control"] = settings.MEDIA_IMMUTABLE_CACHE_CONTROL
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response
