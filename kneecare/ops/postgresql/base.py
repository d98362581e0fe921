"""Django's PostgreSQL backend whose new connections fail at once while the server is down.

Each failed connect costs up to DB_CONNECT_TIMEOUT (libpq's minimum, 2 s); without the
breaker every request of an outage would pay it and the threads would queue behind one
another. Selected in settings for every postgres:// DATABASE_URL.
"""

from django.conf import settings
from django.db.backends.postgresql import base

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
