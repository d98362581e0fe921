"""A redis-py client whose commands fail at once for a cooldown after a connection error.

django-redis already turns errors into cache misses (IGNORE_EXCEPTIONS) and bounds each
socket operation; this stops a hung or down Redis from costing every cache call of every
request its socket timeout (a request makes several). Selected by REDIS_CLIENT_CLASS.
"""

from django.conf import settings
from redis import Redis
from redis.exceptions import ConnectionError, TimeoutError

from kneecare.ops.breaker import Breaker

cache_breaker = Breaker("Redis", lambda: settings.CACHE_OUTAGE_COOLDOWN)


class BreakerRedis(Redis):
    def execute_command(self, *args, **options):
        if not cache_breaker.allow():
            raise ConnectionError("Redis unavailable (a recent command failed)")
        try:
            result = super().execute_command(*args, **options)
        except (ConnectionError, TimeoutError):
            cache_breaker.failure()
            raise
        cache_breaker.success()
        return result
