"""Helpers for the mobile-delivery tests (process caches are reset by tests/conftest.py)."""

import pytest


def log_tail(since=0):
    from content_app.models import ChangeLogEntry

    return [(e.entity_type, e.slug, e.action) for e in ChangeLogEntry.objects.filter(id__gt=since)]


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """Sync clients make many requests per test; rate limits are tested in tests/ops."""
    settings.API_RATE_ANON = None
    settings.API_RATE_PARTNER = None
