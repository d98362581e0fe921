"""Fixtures for the self-check tests: the launch content (its rules come from the seeds)."""

import pytest
from django.core.management import call_command
from django.db import transaction

from content_app.selfcheck.ruleset import build_ruleset, forget_ruleset


@pytest.fixture(autouse=True)
def _fresh_ruleset():
    forget_ruleset()
    yield
    forget_ruleset()


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.API_RATE_ANON = None
    settings.API_RATE_PARTNER = None


@pytest.fixture(scope="module")
def shared_launch_content(django_db_setup, django_db_blocker):
    """The launch content loaded once per module, rolled back afterwards (see tests/content)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_launch_content", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def launch_ruleset(shared_launch_content, django_db_blocker):
    with django_db_blocker.unblock():
        return build_ruleset()
