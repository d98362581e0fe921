"""A cache backend that fails every call, to prove an outage degrades to the database."""

from django.core.cache.backends.base import BaseCache


class CacheDown(Exception):
    pass


class BrokenCache(BaseCache):
    def __init__(self, location, params):
        super().__init__(params)

    def _fail(self, *args, **kwargs):
        raise CacheDown("cache server unreachable")

    add = get = set = touch = delete = has_key = clear = _fail
    get_many = set_many = delete_many = incr = decr = _fail
