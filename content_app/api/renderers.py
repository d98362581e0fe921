"""JSON rendering with orjson: several times faster than the stdlib encoder DRF uses."""

from decimal import Decimal

import orjson
from django.utils.functional import Promise
from rest_framework.renderers import JSONRenderer


def _default(value):
    if isinstance(value, (Promise, Decimal)):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


class OrjsonRenderer(JSONRenderer):
    """`application/json`, compact, UTF-8; dates and datetimes as RFC 3339."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return orjson.dumps(data, default=_default)
