"""Django's PostgreSQL backend, bounded for outages (selected for every postgres:// URL).

- New connections fail at once while the server is known to be down: each failed connect
  costs up to DB_CONNECT_TIMEOUT (libpq's minimum, 2 s), and without the breaker every request
  of an outage would pay it while the threads queue behind one another.
- The health check of a persistent connection (CONN_HEALTH_CHECKS, before its first use in a
  request) waits at most DB_HEALTH_CHECK_TIMEOUT for its `SELECT 1`: Django's own check waits
  forever on a server that accepts but never answers, and psycopg has no client-side query
  timeout. A check that times out opens the breaker, so the request answers its 503 at once;
  a connection found closed (a restarted server) is simply replaced.
"""

import select
import time

from django.conf import settings
from django.db.backends.postgresql import base
from psycopg import pq

from kneecare.ops.breaker import Breaker

database_breaker = Breaker("PostgreSQL", lambda: settings.DB_OUTAGE_COOLDOWN)


class DatabaseWrapper(base.DatabaseWrapper):
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
