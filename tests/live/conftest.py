"""Fixtures for tests across process boundaries: one prepared database, gunicorn with the WSGI
front (2 workers, as `make run`), gunicorn with Django alone (the reference answer), a writer.

The servers use a SQLite file of their own (the embedded default), or, when DATABASE_URL is
PostgreSQL, the database `test_<name>_live` beside pytest's `test_<name>`; CACHE_URL is passed
through, so a Redis run exercises the shared-cache change signal.
"""

import os
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.live import servers


def _postgres_live_url(url: str) -> str:
    import psycopg

    parts = urlsplit(url)
    name = "test_" + parts.path.lstrip("/") + "_live"
    admin = urlunsplit(parts._replace(path="/postgres", query=""))
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
def live_database_url():
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return _postgres_live_url(url)
    return servers.sqlite_url()


@pytest.fixture(scope="session")
def live_env(live_database_url):
    env = servers.base_env(live_database_url)
    servers.prepare_database(env)
    return env


@pytest.fixture(scope="session")
def front(live_env):
    server = servers.Gunicorn(live_env)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def bare(live_env):
    server = servers.Gunicorn(live_env, app="kneecare.wsgi:django_application", workers=1)
    yield server
    server.stop()


@pytest.fixture
def writer(live_env):
    process = servers.Writer(live_env)
    yield process
    process.stop()
