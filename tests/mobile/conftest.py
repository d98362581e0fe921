"""Fixtures for the mobile-delivery tests: a clean content version per test."""

import pytest

from content_app.changelog import forget_content_version


@pytest.fixture(autouse=True)
def _fresh_content_version():
    # The version lives in process memory; ids are reused after each test's rollback.
    forget_content_version()
    yield
    forget_content_version()


def log_tail(since=0):
    from content_app.models import ChangeLogEntry

    return [(e.entity_type, e.slug, e.action) for e in ChangeLogEntry.objects.filter(id__gt=since)]
