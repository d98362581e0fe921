"""Issue 9 (the caching side): with the database down or hung, cached responses keep being
served from the content version the process last knew (RFC 5861 stale-if-error), a request
that needs the database gets a 503 problem+json with Retry-After within 2.5 s, and service
recovers without a restart.

PostgreSQL (DATABASE_URL set) is reached through a TCP proxy that the test cuts or makes hang;
the embedded default (SQLite) loses its database file.
"""

import json
import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.live import servers
from tests.live.servers import get

CACHED = "/api/v1/causes/bakers-cyst/"
UNCACHED = "/api/v1/causes/?page_size={}"
POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def _timed(port, target):
    started = time.monotonic()
    status, headers, body = get(port, target)
    return status, headers, body, time.monotonic() - started


class Outage:
    def __init__(self, live_env, mode):
        self.mode = mode
        url = live_env["DATABASE_URL"]
        if url.startswith("sqlite:///"):
            self.file = Path(servers.sqlite_url().removeprefix("sqlite:///"))
            shutil.copyfile(url.removeprefix("sqlite:///"), self.file)
            self.url, self.proxy = f"sqlite:///{self.file}", None
        else:
            parts = urlsplit(url)
            self.proxy = servers.Proxy(parts.port or 5432)
            netloc = f"{parts.username}@127.0.0.1:{self.proxy.port}"
            self.url = urlunsplit(parts._replace(netloc=netloc, query="connect_timeout=1"))
        self.server = servers.Gunicorn({**live_env, "DATABASE_URL": self.url})

    def start(self):
        if self.proxy is not None:
            self.proxy.mode = self.mode
        else:
            os.replace(self.file, self.file.with_suffix(".away"))

    def end(self):
        if self.proxy is not None:
            self.proxy.mode = "open"
        else:
            os.replace(self.file.with_suffix(".away"), self.file)

    def close(self):
        self.server.stop()
        if self.proxy is not None:
            self.proxy.close()


MODES = ["down", "hang"] if POSTGRES else ["down"]


@pytest.fixture(params=MODES)
def outage(request, live_env):
    outage = Outage(live_env, request.param)
    yield outage
    outage.close()


def test_cached_responses_survive_and_misses_get_a_quick_503(outage):
    port = outage.server.port
    with ThreadPoolExecutor(4) as pool:
        before = list(pool.map(lambda _: get(port, CACHED), range(16)))  # both workers hold it
    assert {status for status, _, _ in before} == {200}
    outage.start()
    try:
        time.sleep(1.1)  # past the version TTL: each worker will try the database once
        with ThreadPoolExecutor(4) as pool:
            during = list(pool.map(lambda _: _timed(port, CACHED), range(16)))
        assert {status for status, _, _, _ in during} == {200}
        assert {body for _, _, body, _ in during} == {before[0][2]}
        assert max(elapsed for *_, elapsed in during) < 2.5
        for size in (7, 8):
            status, headers, body, elapsed = _timed(port, UNCACHED.format(size))
            assert status == 503, body
            assert headers["content-type"] == "application/problem+json"
            assert json.loads(body)["type"] == "urn:kneecare:problem:service-unavailable"
            assert int(headers["retry-after"]) > 0
            assert elapsed < 2.5
    finally:
        outage.end()
    deadline = time.monotonic() + 10
    while get(port, UNCACHED.format(9))[0] != 200:
        assert time.monotonic() < deadline, "no recovery without a restart"
        time.sleep(0.5)
