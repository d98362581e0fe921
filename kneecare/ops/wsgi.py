"""The outermost WSGI layer, for what runs before Django's handler (the cached-API front):

- a database error raised there (reading the content version) is the same 503 problem as
  inside Django, not gunicorn's HTML 500;
- every response carries an `X-Request-ID` (the front's hits skip Django's middleware), and
  the RateLimit fields when the throttles ran (they leave their state in the environ).
"""

import logging

from content_app.api.throttling import ENVIRON_KEY
from kneecare.ops.outages import DATABASE_ERRORS, wsgi_unavailable
from kneecare.ops.requestlog import request_id_from

logger = logging.getLogger("kneecare.ops")


class OperationsWSGI:
    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        def start_with_request_id(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            if "x-request-id" not in present:
                headers = [*headers, ("X-Request-ID", request_id_from(incoming))]
            state = environ.get(ENVIRON_KEY)
            if state is not None and "ratelimit" not in present:
                headers = [*headers, *state.headers()]
            return start_response(status, headers, exc_info)

        incoming = environ.get("HTTP_X_REQUEST_ID")
        try:
            return self.application(environ, start_with_request_id)
        except DATABASE_ERRORS as error:
            logger.error("Database unavailable on %s: %s", environ.get("PATH_INFO"), error)
            return wsgi_unavailable(environ, start_with_request_id)
