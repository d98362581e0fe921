"""A request that hangs where no timeout reaches gets its worker replaced (gunicorn.conf.py),
which frees its threads; the other threads keep answering meanwhile."""

import contextlib
import threading
import time
import urllib.request

from tests.ops.servers import get, gunicorn


def test_a_stuck_request_gets_its_worker_replaced():
    env = {"GUNICORN_REQUEST_TIMEOUT": "1", "GUNICORN_TIMEOUT": "2"}
    with gunicorn(env, workers=1, threads=2, app="tests.ops.hang_app:application") as base:
        first_pid = get(base + "/")[2]
        ended = threading.Event()

        def hang():
            with contextlib.suppress(OSError):
                urllib.request.urlopen(base + "/hang", timeout=60).read()
            ended.set()

        threading.Thread(target=hang, daemon=True).start()
        time.sleep(0.3)
        assert get(base + "/")[2] == first_pid  # the other thread still answers

        deadline = time.monotonic() + 15
        while True:
            try:
                pid = get(base + "/")[2]
            except OSError:
                pid = first_pid  # the old worker is going away
            if pid != first_pid:
                break
            assert time.monotonic() < deadline, "the stuck worker was never replaced"
            time.sleep(0.2)
        assert ended.wait(5)  # the stuck connection was closed, not left hanging
