"""Shared pytest fixtures. Launch content is loaded only by the tests that check it."""

import json
import shutil
import tempfile

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.core.management import call_command
from rest_framework.test import APIClient

from content_app import partners
from content_app.caching import reset_process_caches
from content_app.selfcheck.ruleset import forget_ruleset
from kneecare.ops.postgresql.base import database_breaker
from kneecare.ops.redis import cache_breaker

# The bundle's builds (content_app/api/v1/bundle.py) live in files: one directory for this test
# process, emptied between tests (a rolled-back database repeats heads and times).
settings.BUNDLE_DIR = tempfile.mkdtemp(prefix="kneecare-test-bundles-")


def _reset():
    shutil.rmtree(settings.BUNDLE_DIR, ignore_errors=True)
    cache.clear()
    caches["ratelimit"].clear()  # the rate-limit counters live in their own store
    reset_process_caches()  # the API's in-process response memo and content version
    forget_ruleset()  # the self-check's in-process ruleset
    partners.forget_flush_check()  # per-key usage: when this process last tried to flush
    database_breaker.reset()
    cache_breaker.reset()


@pytest.fixture(autouse=True)
def _clear_cache():
    _reset()
    yield
    _reset()


class StreamingAwareAPIClient(APIClient):
    """`response.json()` also reads a streamed body (the bundle is sent from a file); read
    other bodies with `response.getvalue()`, which works for both kinds."""

    def _parse_json(self, response, **extra):
        if response.streaming and not hasattr(response, "_json"):
            response._json = json.loads(response.getvalue(), **extra)
        return super()._parse_json(response, **extra)


@pytest.fixture
def api_client():
    return StreamingAwareAPIClient()


@pytest.fixture
def launch_content(db):
    """The launch content from fixtures/, loaded into the test database."""
    call_command("load_launch_content", verbosity=0)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """No statement timeout for this test process: CREATE/DROP DATABASE of the test database
    can outlast the web's 1.5 s on a busy machine. Servers the tests start keep it."""
    from django.conf import settings
    from django.db import connections

    connections["default"].settings_dict.get("OPTIONS", {}).pop("options", None)
    settings.DB_STATEMENT_TIMEOUT_MS = 0  # nor the client-side answer deadline that follows it
