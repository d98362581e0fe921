"""Fixtures for the operations tests (servers in servers.py)."""

import sqlite3
import time

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from kneecare.ops.health import migrations_on_disk
from tests.api.conftest import graph  # noqa: F401  (a small published content graph)


@pytest.fixture(scope="session")
def migration_table(django_db_setup, django_db_blocker):
    """The test database is built without migrations, so without their table."""
    with django_db_blocker.unblock():
        MigrationRecorder(connection).ensure_schema()


@pytest.fixture
def migrated(migration_table, transactional_db, settings):
    """Every migration recorded as applied, as after `migrate`; committed, because readiness
    checks run on their own threads (their own database connections)."""
    settings.MIGRATION_MODULES = {}  # the real migrations, not pytest's --no-migrations
    migrations_on_disk.cache_clear()
    recorder = MigrationRecorder(connection)
    for app, name in sorted(migrations_on_disk()):
        recorder.record_applied(app, name)
    yield
    migrations_on_disk.cache_clear()


@pytest.fixture(scope="session")
def served_database_url(migration_table, django_db_blocker, tmp_path_factory):
    """A DATABASE_URL with the test schema that a gunicorn started by a test can open."""
    with django_db_blocker.unblock():
        connection.ensure_connection()
        settings = connection.settings_dict
        if connection.vendor == "postgresql":
            yield (
                f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
                f"{settings['PORT'] or 5432}/{settings['NAME']}"
            )
            _wait_for_other_sessions_to_end()
            return
        path = tmp_path_factory.mktemp("served") / "db.sqlite3"
        target = sqlite3.connect(path)
        connection.connection.backup(target)  # the in-memory test database, tables and all
        target.close()
        yield f"sqlite:///{path}"


def _wait_for_other_sessions_to_end(seconds=10):
    """Servers the tests started are gone, but PostgreSQL may still be ending their sessions:
    the test database can only be dropped once it has."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.2)
