"""Load-balancer probes (django-health-check), outside /api/: no rate limits, never cached.

- `GET /health/live`: the process answers (liveness). Touches nothing: a database or cache
  outage must not make an orchestrator restart healthy processes.
- `GET /health/ready`: the database answers, the cache stores and returns a value, and every
  migration on disk is applied (readiness). 200 when all pass; otherwise 503 with Retry-After
  and the reason per check (JSON with `Accept: application/json` or `?format=json`, text by
  default, never HTML).
"""

import dataclasses
import functools
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@functools.cache
def migrations_on_disk() -> frozenset:
    """Every (app, name) migration the code ships; read once (the code does not change)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    replaced = {key for migration in loader.replacements.values() for key in migration.replaces}
    return frozenset(set(loader.graph.nodes) - replaced)


@dataclasses.dataclass
class MigrationsApplied(HealthCheck):
    """Every migration on disk is recorded as applied: a deploy ran `migrate` first."""

    timeout = timedelta(seconds=3)

    def run(self):
        try:
            with connection.temporary_connection():
                applied = set(MigrationRecorder(connection).applied_migrations())
        except DatabaseError as error:
            raise ServiceUnavailable("cannot read the migration table") from error
        missing = migrations_on_disk() - applied
        if missing:
            names = ", ".join(f"{app}.{name}" for app, name in sorted(missing)[:5])
            raise ServiceUnavailable(f"{len(missing)} migration(s) not applied: {names}")


@never_cache
def live(request):
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


class ReadinessView(HealthCheckView):
    checks = (
        (Database, {"alias": "default"}),
        (Cache, {"alias": "default"}),
        MigrationsApplied,
    )

    async def get(self, request, *args, **kwargs):
        # JSON when asked for, else plain text: never the package's HTML page.
        if request.GET.get("format") not in ("json", "text"):
            query = request.GET.copy()
            query["format"] = "json" if "json" in request.headers.get("Accept", "") else "text"
            request.GET = query
        response = await super().get(request, *args, **kwargs)
        if response.status_code == 500:
            response.status_code = 503
            response.reason_phrase = "Service Unavailable"
            response["Retry-After"] = str(settings.DB_RETRY_AFTER)
        add_never_cache_headers(response)
        return response
