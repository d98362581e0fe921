"""Helpers for the mobile-delivery tests (process caches are reset by tests/conftest.py)."""


def log_tail(since=0):
    from content_app.models import ChangeLogEntry

    return [(e.entity_type, e.slug, e.action) for e in ChangeLogEntry.objects.filter(id__gt=since)]
