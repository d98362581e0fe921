from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views import defaults
from django.views.generic import RedirectView

from content_app.api import problems
from content_app.media_serving import serve_media
from kneecare.ops import health, login, metrics, outages

urlpatterns = [
    path("", RedirectView.as_view(url="/api/v1/", permanent=False)),
    # Sign-in POSTs are limited per address before the admin's own view (kneecare/ops/login.py).
    path("admin/login/", login.limit_per_address(admin.site.login)),
    path("admin/", admin.site.urls),
    # Operations (README): load-balancer probes and metrics; no rate limits, never cached.
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ReadinessView.as_view(), name="health-ready"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("api/v1/", include(("content_app.api.v1.urls", "v1"), namespace="v1")),
    # Uploaded media in the filesystem setup (content_app/media_serving.py).
    *(
        [path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve_media, name="media")]
        if settings.MEDIA_SERVE
        else []
    ),
    # Last: unknown routes and versions under /api/ answer a 404 problem, also with DEBUG on.
    re_path(r"^api(?:/.*)?$", problems.api_not_found),
]


def handler404(request, exception=None):
    if problems.is_api_request(request):
        return problems.api_handler404(request, exception)
    return defaults.page_not_found(request, exception)


def handler500(request):
    if outages.current_outage():
        return outages.unavailable_response(request)
    if problems.is_api_request(request):
        return problems.api_handler500(request)
    return defaults.server_error(request)


def handler400(request, exception=None):
    if problems.is_api_request(request):
        return problems.problem_response(request, "bad-request", "The request is malformed.")
    return defaults.bad_request(request, exception)


def handler403(request, exception=None):
    if problems.is_api_request(request):
        return problems.problem_response(request, "forbidden", "Forbidden.")
    return defaults.permission_denied(request, exception)
