"""Issue 10 item 1 across processes: gunicorn with 2 workers (as `make run`), a separate
writer process, and many fresh connections (spread over both workers by the kernel).

After a commit every worker serves it at once (the change signal is checked per request), so
no answer after the commit is older than the commit, and no client sees a version go back.
"""

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.live.servers import get

SLUG = "bakers-cyst"
DETAIL = f"/api/v1/causes/{SLUG}/"


def _name(port):
    status, headers, body = get(port, DETAIL)
    return status, (json.loads(body)["name"] if status == 200 else None), headers.get("etag")


def _burst(port, count=40):
    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(lambda _: _name(port), range(count)))


@pytest.fixture
def cause_name(writer):
    yield
    writer.send(f"rename {SLUG} Baker's cyst")


def test_a_rename_is_served_by_every_worker_at_once_and_never_goes_back(front, writer, cause_name):
    assert {status for status, _, _ in _burst(front.port)} == {200}  # both workers hold it
    for round_ in range(3):
        new_name = f"Baker's cyst round {round_} {time.time_ns()}"
        writer.send(f"rename {SLUG} {new_name}")
        committed_at = time.monotonic()
        log_mark = front.log_lines()
        answers = _burst(front.port)
        assert time.monotonic() - committed_at < 5
        assert {name for _, name, _ in answers} == {new_name}
        assert len(front.workers_seen(log_mark)) == 2  # both workers answered after the commit


def test_an_old_etag_revalidated_at_any_worker_gets_the_new_body(front, writer, cause_name):
    _, _, old_etag = _name(front.port)
    writer.send(f"rename {SLUG} Renamed {time.time_ns()}")
    with ThreadPoolExecutor(4) as pool:
        answers = list(
            pool.map(lambda _: get(front.port, DETAIL, {"If-None-Match": old_etag}), range(30))
        )
    assert {status for status, _, _ in answers} == {200}


def test_an_unpublished_cause_is_gone_from_every_worker_at_once(front, writer):
    _burst(front.port)
    try:
        writer.send(f"status {SLUG} draft")
        assert {status for status, _, _ in _burst(front.port)} == {404}
    finally:
        writer.send(f"status {SLUG} published")
    assert {status for status, _, _ in _burst(front.port)} == {200}


def test_a_client_polling_through_a_publish_never_sees_the_old_version_again(
    front, writer, cause_name
):
    new_name = f"Polled {time.time_ns()}"
    seen = []
    stop = threading.Event()

    def poll():
        while not stop.is_set():
            seen.append(_name(front.port)[1])

    with ThreadPoolExecutor(1) as pool:
        polling = pool.submit(poll)
        time.sleep(0.3)
        writer.send(f"rename {SLUG} {new_name}")
        time.sleep(0.5)
        stop.set()
        polling.result()
    first_new = seen.index(new_name)
    assert first_new > 0  # it saw the old name before
    assert set(seen[first_new:]) == {new_name}
