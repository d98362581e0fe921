"""Gunicorn settings read from the working directory (`make run`); command-line flags win.

Gunicorn answers a request line over `limit_request_line` itself, with an HTML 414 page that
never reaches Django. At gunicorn's maximum (8190 bytes) a long but plausible query (e.g. a
5,000-character `q`) reaches the API and gets its 400 problem+json instead.

Stuck threads (README, Operations): with threads, gunicorn's `timeout` only sees a worker
whose main loop stops, never one whose request threads hang. So a worker stops telling the
arbiter it is alive while any request has run longer than GUNICORN_REQUEST_TIMEOUT seconds;
`timeout` seconds later the arbiter replaces it, which frees its threads. Requests are bounded
well below that (database connect and statement timeouts, cache socket timeouts), so this
only fires when something hangs that no timeout covers.
"""

import os
import tempfile
import threading
import time

limit_request_line = 8190
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "10"))
graceful_timeout = 10
request_timeout = float(os.environ.get("GUNICORN_REQUEST_TIMEOUT", "10"))
# The access log carries the request id that the app logs and answers in X-Request-ID.
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms '
    "request_id=%({x-request-id}o)s"
)

_started: dict[int, float] = {}  # request thread -> when its current request started


def on_starting(server):
    # Every worker writes its metrics here, so one scrape sees all of them (kneecare/ops/metrics).
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="kneecare-metrics-"))


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def pre_request(worker, req):
    _started[threading.get_ident()] = time.monotonic()


def post_request(worker, req, environ, resp):
    _started.pop(threading.get_ident(), None)


def post_worker_init(worker):
    heartbeat = worker.notify

    def notify_unless_stuck():
        now = time.monotonic()
        oldest = min(_started.values(), default=now)
        if now - oldest > request_timeout:
            worker.log.error(
                "a request has run %.0f s (GUNICORN_REQUEST_TIMEOUT %s): letting the arbiter "
                "replace this worker to free its threads",
                now - oldest,
                request_timeout,
            )
            return
        heartbeat()

    worker.notify = notify_unless_stuck
