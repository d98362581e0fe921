"""A database that is down or hung costs a 503 with Retry-After within 2.5 s, never a 500 or
a hang, for the API (problem+json) and the admin (a plain page) alike."""

import json
import time

import pytest
from django.db import OperationalError

from kneecare.ops.breaker import Breaker
from tests.ops.servers import closed_port, get, gunicorn, listener, silent_postgres

BUDGET = 2.5


@pytest.fixture
def client():
    from django.test import Client

    return Client(raise_request_exception=False)  # answer as in production, don't re-raise


def _raise(*args, **kwargs):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def _assert_api_503(response):
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert int(response["Retry-After"]) > 0
    assert response.json()["type"] == "urn:kneecare:problem:service-unavailable"


def test_database_error_in_a_view_is_a_503_problem(client, db, monkeypatch):
    from content_app import models as m

    monkeypatch.setattr(m.Cause.objects, "published", _raise)

    _assert_api_503(client.get("/api/v1/causes/"))


def test_database_error_in_middleware_is_a_503_problem(client, monkeypatch):
    # The response cache reads the content version before any view runs.
    monkeypatch.setattr("content_app.caching.middleware.content_version", _raise)

    _assert_api_503(client.get("/api/v1/causes/"))


def test_database_error_in_the_admin_is_a_plain_503_page(client, db, monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore

    monkeypatch.setattr(SessionStore, "_get_session_from_db", _raise)
    client.cookies["sessionid"] = "x" * 32

    response = client.get("/admin/")

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert b"Service unavailable" in response.content
    assert int(response["Retry-After"]) > 0


def test_breaker_fails_fast_after_a_failure_then_lets_one_probe_through():
    breaker = Breaker("test", lambda: 0.2)
    assert breaker.allow()
    breaker.failure()

    assert not breaker.allow()
    time.sleep(0.25)
    assert breaker.allow()  # the probe
    assert not breaker.allow()  # everyone else still fails fast while it runs
    breaker.success()
    assert breaker.allow()


def _assert_fast_503s(base):
    for path, accept in [
        ("/api/v1/causes/", "application/json"),
        ("/api/v1/causes/?ordering=name", "application/json"),
        ("/api/v1/search/?q=knee", "application/json"),
    ]:
        status, headers, body, seconds = get(base + path, {"Accept": accept})
        assert status == 503, (path, body[:200])
        assert headers["Content-Type"] == "application/problem+json"
        assert int(headers["Retry-After"]) > 0
        assert json.loads(body)["type"] == "urn:kneecare:problem:service-unavailable"
        assert seconds < BUDGET, (path, seconds)
    status, headers, body, seconds = get(
        base + "/admin/login/?next=/admin/",
        {"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
        data=b"username=admin&password=x",
    )
    assert status in (403, 503), body[:300]  # no CSRF token: 403 when it gets that far
    assert seconds < BUDGET
    status, _, body, seconds = get(base + "/health/ready")
    assert status == 503 and b"Database" in body and seconds < BUDGET + 1
    assert get(base + "/health/live")[0] == 200


@pytest.mark.parametrize("mode", ["refuse", "hang"])
def test_database_down_or_hung_under_gunicorn(mode):
    """PostgreSQL behind a port that refuses, or a socket that accepts and never answers."""
    with listener(mode) as database:
        port = database.port if mode == "hang" else closed_port()
        env = {"DATABASE_URL": f"postgres://kneecare@127.0.0.1:{port}/kneecare"}
        with gunicorn(env, workers=1, threads=4) as base:
            _assert_fast_503s(base)


def test_silent_server_under_gunicorn():
    """PostgreSQL that completes the handshake, then never answers a query: the wait for the
    answer ends at the statement timeout plus a margin, not at gunicorn's watchdog."""
    with silent_postgres() as database:
        env = {"DATABASE_URL": f"postgres://kneecare@127.0.0.1:{database.port}/kneecare"}
        with gunicorn(env, workers=1, threads=4) as base:
            _assert_fast_503s(base)


@pytest.fixture
def closed_breaker():
    from kneecare.ops.postgresql.base import database_breaker

    database_breaker.success()
    yield database_breaker
    database_breaker.success()  # the test process's own database must stay reachable


def test_a_silent_server_costs_at_most_the_statement_timeout_and_a_margin(settings, closed_breaker):
    from psycopg import OperationalError as DriverError

    from kneecare.ops.postgresql.base import BoundedConnection

    settings.DB_STATEMENT_TIMEOUT_MS, settings.DB_ANSWER_MARGIN = 300, 0.2
    with silent_postgres() as database:
        connection = BoundedConnection.connect(
            f"host=127.0.0.1 port={database.port} user=kneecare dbname=kneecare"
        )
        started = time.monotonic()
        with pytest.raises(DriverError, match=r"did not answer within 0\.50 s"):
            connection.execute("SELECT 1")
        assert 0.45 < time.monotonic() - started < 1.0
        assert connection.closed and closed_breaker.is_open


def test_connect_timeout_below_libpqs_two_second_floor(closed_breaker):
    from psycopg import OperationalError as DriverError

    from kneecare.ops.postgresql.base import BoundedConnection

    with listener("hang") as database:
        started = time.monotonic()
        with pytest.raises(DriverError):
            BoundedConnection.connect(
                f"host=127.0.0.1 port={database.port} user=kneecare connect_timeout=0.4"
            )
        assert time.monotonic() - started < 1.0  # libpq alone would take 2 s


def test_recovers_without_a_restart_when_postgresql_comes_back(served_database_url):
    if not served_database_url.startswith("postgres"):
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...): SQLite has no outages")
    from django.db import connection

    target = (
        connection.settings_dict["HOST"] or "127.0.0.1",
        int(connection.settings_dict["PORT"] or 5432),
    )
    with listener("forward", target) as proxy:
        url = served_database_url.replace(f"{target[0]}:{target[1]}", f"127.0.0.1:{proxy.port}")
        with gunicorn({"DATABASE_URL": url, "DB_OUTAGE_COOLDOWN": "0.5"}, workers=1) as base:
            assert get(base + "/api/v1/causes/")[0] == 200
            proxy.set_mode("hang")
            time.sleep(1.2)  # the process trusts the content version it read for 1 s
            status, _, _, seconds = get(base + "/api/v1/causes/?page_size=5")
            assert status == 503 and seconds < BUDGET
            proxy.set_mode("forward")
            deadline = time.monotonic() + 10
            while get(base + "/api/v1/causes/?page_size=6")[0] != 200:
                assert time.monotonic() < deadline, "no recovery within 10 s"
                time.sleep(0.3)
    time.sleep(2)  # let PostgreSQL end the proxied sessions before the test database is dropped
