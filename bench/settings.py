"""Settings for the benchmark server: the app's own, plus the Django-floor route."""

from kneecare.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
API_RATE_ANON = None  # one loopback client would be throttled; the checks still run
