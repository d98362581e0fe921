"""Do failed admin sign-ins starve the API? `python bench/login_flood.py` (loopback, ~1.5 min).

For ADMIN_LOGIN_CONCURRENCY / ADMIN_LOGIN_WAIT of 1 / 0 s, 1 / 0.5 s and 64 / 0.5 s: gunicorn
2x4 (local mode, for plain-http CSRF cookies), cached API p50 with wrk alone, then again while
16 clients post wrong passwords for distinct usernames (so the lockout never triggers and
every attempt reaches the password hasher, PBKDF2).
"""

import os
import re
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import subprocess  # noqa: E402

from bench.load import app_env, ensure_wrk, prepare, start  # noqa: E402
from tests.ops.servers import free_port  # noqa: E402


def p50(base: str) -> tuple[float, float]:
    out = subprocess.run(
        [ensure_wrk(), "-t2", "-c8", "-d5s", "--latency", base + "/api/v1/causes/"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    value, unit = re.search(r"50%\s+([\d.]+)(us|ms|s)", out).groups()
    return rate, float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def flood(base: str, stop: threading.Event, counts: list):
    session = requests.Session()
    page = session.get(base + "/admin/login/").text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    n = 0
    while not stop.is_set():
        n += 1
        session.post(
            base + "/admin/login/",
            data={
                "csrfmiddlewaretoken": token,
                "username": f"x{id(session)}-{n}",
                "password": "no",
            },
            headers={"Referer": base + "/admin/login/"},
        )
        counts.append(1)


def main():
    database_url = os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'db.sqlite3'}")
    print(
        "| ADMIN_LOGIN_CONCURRENCY | cached req/s alone | p50 ms alone "
        "| req/s during flood | p50 ms during flood | sign-ins/s |"
    )
    print("|---|---|---|---|---|---|")
    for concurrency, wait in (("1", "0"), ("1", "0.5"), ("64", "0.5")):
        env = {
            **app_env(database_url, os.environ.get("CACHE_URL", "")),
            "ADMIN_LOGIN_CONCURRENCY": concurrency,
            "ADMIN_LOGIN_WAIT": wait,
            "DJANGO_ENV": "local",  # plain-http cookies for the CSRF token; same PBKDF2 hasher
        }
        prepare(env)
        port = int(os.environ.get("BENCH_PORT") or free_port())
        process = start(env, port)
        base = f"http://127.0.0.1:{port}"
        try:
            p50(base)
            alone = p50(base)
            stop, counts = threading.Event(), []
            threads = [threading.Thread(target=flood, args=(base, stop, counts)) for _ in range(16)]
            for thread in threads:
                thread.start()
            time.sleep(1)
            started, before = time.monotonic(), len(counts)
            during = p50(base)
            logins = (len(counts) - before) / (time.monotonic() - started)
            stop.set()
            for thread in threads:
                thread.join()
            print(
                f"| {concurrency}, wait {wait} s | {alone[0]:.0f} | {alone[1]:.1f} "
                f"| {during[0]:.0f} | {during[1]:.1f} | {logins:.1f} |"
            )
        finally:
            process.terminate()
            process.wait(timeout=20)


if __name__ == "__main__":
    main()
