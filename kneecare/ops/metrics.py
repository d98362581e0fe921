"""Prometheus metrics for operators at `/metrics`, not public.

Hand-written on prometheus-client because django-prometheus does not support Django 6.1 yet.
Requests are counted and timed per method, view name and status; `kneecare_dependency_up`
says whether this process currently reaches PostgreSQL and Redis (their circuit breakers).
With PROMETHEUS_MULTIPROC_DIR set (gunicorn.conf.py sets it), every worker's samples are
aggregated, so any worker answers the scrape for all of them.

Access: with METRICS_TOKEN set, only `Authorization: Bearer <token>`; otherwise only peers in
METRICS_ALLOWED_IPS (loopback by default). Everyone else gets a 404.
"""

import hmac
import os
import time

from django.conf import settings
from django.http import Http404, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

REQUESTS = Counter(
    "kneecare_http_requests_total", "HTTP requests answered.", ["method", "view", "status"]
)
LATENCY = Histogram(
    "kneecare_http_request_duration_seconds",
    "Time to answer an HTTP request.",
    ["method", "view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
DEPENDENCY_UP = Gauge(
    "kneecare_dependency_up",
    "1 when this process reaches the dependency, 0 while it fails fast after an error.",
    ["dependency"],
    multiprocess_mode="min",
)
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def _view_label(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name:
        return match.view_name
    return "api" if request.path.startswith("/api/") else "other"


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in _METHODS else "other"
        view = _view_label(request)
        LATENCY.labels(method, view).observe(time.perf_counter() - started)
        REQUESTS.labels(method, view, str(response.status_code)).inc()
        return response


def _allowed(request) -> bool:
    if settings.METRICS_TOKEN:
        sent = request.META.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(sent.encode(), settings.METRICS_TOKEN.encode())
    return request.META.get("REMOTE_ADDR") in settings.METRICS_ALLOWED_IPS


def metrics_view(request):
    if not _allowed(request):
        raise Http404
    from kneecare.ops.postgresql.base import database_breaker
    from kneecare.ops.redis import cache_breaker

    DEPENDENCY_UP.labels("postgresql").set(0 if database_breaker.is_open else 1)
    DEPENDENCY_UP.labels("redis").set(0 if cache_breaker.is_open else 1)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        from prometheus_client import REGISTRY

        body = generate_latest(REGISTRY)
    response = HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
