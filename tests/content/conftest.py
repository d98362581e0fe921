"""Fixtures for the launch-content tests."""

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def shared_launch_content(django_db_setup, django_db_blocker):
    """The launch content loaded once per module and rolled back when the module is done.

    A load runs every change-log signal (about 6,500 queries, 2-3 s), so the read-only fact
    tests share one; each test still runs inside its own savepoint. Tests about loading itself
    use the function-scoped `launch_content` fixture instead.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_launch_content", verbosity=0)
        yield
        transaction.set_rollback(True)
