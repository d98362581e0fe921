"""Django's PostgreSQL backend, bounded for outages (selected for every postgres:// URL).

A server that is down, or that accepts and never answers, must cost a request a fast 503,
never a hang (README, Operations). Neither libpq nor psycopg bounds that on its own, hence:

- Connect within DB_CONNECT_TIMEOUT, fractions allowed: psycopg rounds libpq's
  `connect_timeout` up to whole seconds of at least 2 (`timeout_from_conninfo`), which with
  queueing put answers of a hung server over the 2.5 s budget.
- Every wait for an answer ends DB_STATEMENT_TIMEOUT_MS + DB_ANSWER_MARGIN after the query
  was sent (`BoundedConnection.wait`): PostgreSQL's own `statement_timeout` answers a slow
  query, but a server that went silent mid-request never answers at all, and psycopg has no
  client-side query timeout. The connection is then closed and the breaker opened.
- New connections fail at once while the server is known to be down (the breaker): without it
  every request of an outage would pay the connect timeout while the threads queue.
- The health check of a kept connection (CONN_HEALTH_CHECKS, before its first use in a
  request) waits at most DB_HEALTH_CHECK_TIMEOUT for its `SELECT 1` on the raw libpq
  connection; a connection found closed (a restarted server) is simply replaced.
"""

import select
import time

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base
from psycopg import connection as psycopg_connection
from psycopg import errors, pq
from psycopg.conninfo import timeout_from_conninfo

from kneecare.ops.breaker import Breaker

database_breaker = Breaker("PostgreSQL", lambda: settings.DB_OUTAGE_COOLDOWN)


def _connect_timeout(params) -> float:
    """libpq's `connect_timeout`, but a fraction of a second stays a fraction."""
    try:
        seconds = float(params.get("connect_timeout") or 0)
    except (TypeError, ValueError):
        seconds = 0
    return seconds if 0 < seconds < 2 else timeout_from_conninfo(params)


psycopg_connection.timeout_from_conninfo = _connect_timeout


def answer_deadline() -> float | None:
    """Seconds a query may wait for its answer; None when statements are unbounded."""
    if not settings.DB_STATEMENT_TIMEOUT_MS:
        return None
    return settings.DB_STATEMENT_TIMEOUT_MS / 1000 + settings.DB_ANSWER_MARGIN


class BoundedConnection(psycopg.Connection):
    def wait(self, gen, interval=psycopg_connection._WAIT_INTERVAL, timeout=None):
        if timeout is not None:  # the caller chose its own bound (notifies, cancel)
            return super().wait(gen, interval, timeout)
        try:
            return super().wait(gen, interval, answer_deadline())
        except errors._WaitTimeout:
            self.pgconn.finish()  # an unanswered query leaves the connection unusable
            database_breaker.failure()
            raise errors.OperationalError(
                f"PostgreSQL did not answer within {answer_deadline():.2f} s"
            ) from None


class _Psycopg:
    """psycopg as Django's backend sees it (`self.Database`), connecting BoundedConnections."""

    connect = BoundedConnection.connect

    def __getattr__(self, name):
        return getattr(psycopg, name)


class DatabaseWrapper(base.DatabaseWrapper):
    Database = _Psycopg()

    def get_new_connection(self, conn_params):
        if not database_breaker.allow():
            raise self.Database.OperationalError(
                "database unavailable (a recent connection attempt failed)"
            )
        try:
            connection = super().get_new_connection(conn_params)
        except self.Database.Error:
            database_breaker.failure()
            raise
        database_breaker.success()
        return connection

    def is_usable(self):
        if self.connection is None or database_breaker.is_open:
            return False  # known down: do not wait for this connection's own check
        if self.connection.info.transaction_status != pq.TransactionStatus.IDLE:
            return super().is_usable()  # inside a transaction: libpq's state must stay psycopg's
        state = _health(self.connection.pgconn, settings.DB_HEALTH_CHECK_TIMEOUT)
        if state == "timeout":
            # A server that accepts but does not answer: a reconnect would hang too.
            database_breaker.failure()
        return state == "ok"


def _health(pgconn, timeout: float) -> str:
    """`SELECT 1` on the raw libpq connection, waiting at most `timeout` seconds: "ok",
    "broken" (closed or failed: reconnecting is the cure) or "timeout" (no answer)."""
    deadline = time.monotonic() + timeout
    try:
        pgconn.send_query(b"SELECT 1")
        while pgconn.flush():
            if not select.select([], [pgconn.socket], [], max(0, deadline - time.monotonic()))[1]:
                return "timeout"
        while True:
            pgconn.consume_input()
            if not pgconn.is_busy():
                break
            if not select.select([pgconn.socket], [], [], max(0, deadline - time.monotonic()))[0]:
                return "timeout"
        healthy = True
        while (result := pgconn.get_result()) is not None:
            healthy = healthy and result.status == pq.ExecStatus.TUPLES_OK
        return "ok" if healthy else "broken"
    except Exception:  # closed, reset, protocol error: not usable, reconnect
        return "broken"
