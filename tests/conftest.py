"""Shared pytest fixtures. Launch content is loaded only by the tests that check it."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from rest_framework.test import APIClient

from content_app.caching import reset_process_caches
from content_app.selfcheck.ruleset import forget_ruleset


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    reset_process_caches()  # the API's in-process response memo and content version
    forget_ruleset()  # the self-check's in-process ruleset
    yield
    cache.clear()
    reset_process_caches()
    forget_ruleset()


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def launch_content(db):
    """The launch content from fixtures/, loaded into the test database."""
    call_command("load_launch_content", verbosity=0)
