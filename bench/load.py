"""Mixed load and outages against gunicorn as production runs it: `make bench-load`.

Loopback only, bounded (about a minute with the defaults). Starts gunicorn (2 workers x 4
threads, DJANGO_ENV=production) on DATABASE_URL and CACHE_URL (PostgreSQL and Redis for the
figures in the README) and drives it with wrk: a mix of cached reads (lists, details, root,
sync), uncached reads (a distinct extra media range in `Accept` per request, part of the
response-cache key), search and sync, at each of BENCH_LOAD_CONNECTIONS. Rate limits stay on
at a high anonymous rate, so every request still counts in the shared store.

With `--search`, uncached search (every request a miss, `q` varied) and a cached hit of the
same searches, each alone, per connection count, with their ratio.

With `--outage`, PostgreSQL and Redis are reached through loopback proxies (tests/ops/servers.py)
and each phase runs 16 connections while one of them is hung or down (one phase hangs
PostgreSQL a second into the load, queries in flight included), then after both are back.
The bar for every phase: no status other than 2xx, 429 and (database phases) 503, and no
answer slower than 2.5 s.

Environment: BENCH_LOAD_DURATION (seconds per row, 8), BENCH_LOAD_CONNECTIONS ("16,64"),
BENCH_PORT (a free port in 18100-18199), DATABASE_URL, CACHE_URL, BENCH_SERVER_LOG (a file
that gets gunicorn's log at WARNING; none by default).
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import ensure_wrk  # noqa: E402
from tests.ops.servers import TcpProxy, free_port  # noqa: E402

DURATION = int(os.environ.get("BENCH_LOAD_DURATION", "8"))
CONNECTIONS = [int(c) for c in os.environ.get("BENCH_LOAD_CONNECTIONS", "16,64").split(",")]
PYTHON = sys.executable
SERVER_LOG = os.environ.get("BENCH_SERVER_LOG", "")

LUA = r"""
local paths = {%(paths)s}
local threads = {}
local tid_counter = 0
function setup(thread)
  tid_counter = tid_counter + 1
  thread:set("tid", tid_counter)
  table.insert(threads, thread)
end
function init(args)
  counter = 0
  statuses = {}
end
function request()
  counter = counter + 1
  local item = paths[(counter %% #paths) + 1]
  local accept = "application/json"
  if item[2] then
    accept = "application/json, application/x-load-" .. tid .. "-" .. counter
  end
  return wrk.format("GET", item[1], {["Accept"] = accept, ["Accept-Encoding"] = "gzip"})
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + count
    end
  end
  for status, count in pairs(totals) do
    io.write(string.format("STATUS %%d %%d\n", status, count))
  end
  io.write(string.format("LATENCY %%d %%d %%d\n", latency:percentile(50),
    latency:percentile(99), latency.max))
  io.write(string.format("RATE %%f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("ERRORS %%d\n", summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
end
"""


def mix() -> list[tuple[str, bool]]:
    """(path, miss) weighted: ~45% cached reads, ~25% uncached, ~15% search, ~15% sync."""
    cached = [
        "/api/v1/",
        "/api/v1/causes/",
        "/api/v1/causes/bakers-cyst/",
        "/api/v1/exercises/?difficulty=beginner&ordering=name",
        "/api/v1/red-flags/",
        "/api/v1/anatomy/?parent=hamstrings",
        "/api/v1/exercises/squat/",
        "/api/v1/causes/overuse/?expand=exercises",
        "/api/v1/symptoms/",
    ]
    uncached = [
        ("/api/v1/causes/bakers-cyst/", True),
        ("/api/v1/exercises/", True),
        ("/api/v1/causes/?prevalence=common", True),
        ("/api/v1/treatments/", True),
        ("/api/v1/risk-factors/", True),
    ]
    search = [
        ("/api/v1/search/?q=swelling", False),
        ("/api/v1/search/?q=hamstring&type=causes", False),
        ("/api/v1/search/?q=knee", True),
    ]
    sync = [
        ("/api/v1/sync/?limit=50", False),
        ("/api/v1/sync/?since=0&limit=20", False),
        ("/api/v1/sync/?limit=100", True),
    ]
    return [(p, False) for p in cached] + uncached + search + sync


def lua_script(paths=None) -> str:
    items = ", ".join(
        f'{{"{path}", {"true" if miss else "false"}}}' for path, miss in (paths or mix())
    )
    path = Path(tempfile.mkdtemp(prefix="kneecare-load-")) / "mix.lua"
    path.write_text(LUA % {"paths": items})
    return str(path)


def app_env(database_url: str, cache_url: str) -> dict:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO")},
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        "API_RATE_ANON": "10000000/minute",
        "LOG_LEVEL": "WARNING" if SERVER_LOG else "CRITICAL",
        "PYTHONPATH": str(ROOT),
    }


def prepare(env: dict) -> None:
    for command in (["migrate", "--no-input", "-v0"], ["load_launch_content", "-v0"]):
        subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True)


def start(env: dict, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            *(PYTHON, "-m", "gunicorn", "kneecare.wsgi:application"),
            *("--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(SERVER_LOG, "a") if SERVER_LOG else subprocess.DEVNULL,  # noqa: SIM115
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/live", timeout=2)
            return process
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                sys.exit("gunicorn did not start")
            time.sleep(0.3)


def wrk(base: str, connections: int, script: str, duration: int) -> dict:
    output = subprocess.run(
        [
            *(ensure_wrk(), "-t", str(min(4, connections)), "-c", str(connections)),
            *("-d", f"{duration}s", "--timeout", "10s", "-s", script, base),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    statuses = {int(s): int(n) for s, n in re.findall(r"^STATUS (\d+) (\d+)$", output, re.M)}
    p50, p99, worst = (
        int(v) / 1000 for v in re.search(r"^LATENCY (\d+) (\d+) (\d+)$", output, re.M).groups()
    )
    return {
        "rate": float(re.search(r"^RATE ([\d.]+)$", output, re.M)[1]),
        "p50": p50,
        "p99": p99,
        "max": worst,
        "statuses": statuses,
        "errors": int(re.search(r"^ERRORS (\d+)$", output, re.M)[1]),
    }


def row(name: str, result: dict) -> str:
    statuses = result["statuses"]
    ok = sum(n for s, n in statuses.items() if 200 <= s < 300)
    other = {s: n for s, n in sorted(statuses.items()) if not 200 <= s < 300}
    return (
        f"| {name} | {result['rate']:,.0f} | {result['p50']:.1f} | {result['p99']:.1f} | "
        f"{result['max']:.0f} | {ok:,} | {other or 0} | {result['errors']} |"
    )


HEADER = (
    "| scenario | req/s | p50 ms | p99 ms | max ms | 2xx | non-2xx by status | socket errors |\n"
    "|---|---|---|---|---|---|---|---|"
)


def load(database_url: str, cache_url: str) -> None:
    env = app_env(database_url, cache_url)
    prepare(env)
    port = int(os.environ.get("BENCH_PORT") or free_port())
    process = start(env, port)
    script = lua_script()
    try:
        base = f"http://127.0.0.1:{port}"
        wrk(base, 4, script, 2)  # warm: fills the response cache
        print(HEADER)
        for connections in CONNECTIONS:
            print(
                row(f"mixed, {connections} connections", wrk(base, connections, script, DURATION))
            )
    finally:
        process.terminate()
        process.wait(timeout=20)


SEARCH_WORDS = ["knee", "pain", "hamstring", "swelling", "muscle", "calf", "exercise", "stretch"]


def search(database_url: str, cache_url: str) -> None:
    """`--search`: uncached search (every request a cache miss, `q` varied) beside a cached
    hit of the same search, each alone at every connection count, in one run."""
    env = app_env(database_url, cache_url)
    prepare(env)
    port = int(os.environ.get("BENCH_PORT") or free_port())
    process = start(env, port)
    paths = [f"/api/v1/search/?q={word}" for word in SEARCH_WORDS]
    misses = lua_script([(path, True) for path in paths])
    hits = lua_script([(path, False) for path in paths])
    try:
        base = f"http://127.0.0.1:{port}"
        wrk(base, 4, hits, 2)  # warm: fills the response cache with the hits
        print(HEADER)
        for connections in CONNECTIONS:
            hit = wrk(base, connections, hits, DURATION)
            miss = wrk(base, connections, misses, DURATION)
            print(row(f"search, cached hit, {connections} connections", hit))
            print(row(f"search, uncached, {connections} connections", miss))
            print(f"uncached / cached req/s at {connections}: {miss['rate'] / hit['rate']:.3f}")
    finally:
        process.terminate()
        process.wait(timeout=20)


def _proxied(url: str, proxy: TcpProxy) -> str:
    parts = urlsplit(url)
    return parts._replace(
        netloc=parts.netloc.replace(f"{parts.hostname}:{parts.port}", f"127.0.0.1:{proxy.port}")
    ).geturl()


def outage(database_url: str, cache_url: str) -> None:
    db, cache = urlsplit(database_url), urlsplit(cache_url)
    if db.scheme != "postgres" or not cache.scheme.startswith("redis"):
        sys.exit("--outage needs DATABASE_URL=postgres://... and CACHE_URL=redis://...")
    env = app_env(database_url, cache_url)
    prepare(env)
    db_proxy = TcpProxy((db.hostname, db.port or 5432))
    cache_proxy = TcpProxy((cache.hostname, cache.port or 6379))
    env = app_env(_proxied(database_url, db_proxy), _proxied(cache_url, cache_proxy))
    port = int(os.environ.get("BENCH_PORT") or free_port())
    process = start(env, port)
    script = lua_script()
    base = f"http://127.0.0.1:{port}"
    # (name, database mode, cache mode, database mode 1 s into the phase): the last phase
    # but one hangs PostgreSQL while every thread is busy, queries in flight included.
    phases = [
        ("both up", "forward", "forward", None),
        ("Redis hung", "forward", "hang", None),
        ("Redis down", "forward", "refuse", None),
        ("PostgreSQL hung", "hang", "forward", None),
        ("PostgreSQL down", "refuse", "forward", None),
        ("PostgreSQL hangs mid-load", "forward", "forward", "hang"),
        ("both back", "forward", "forward", None),
    ]
    try:
        wrk(base, 4, script, 2)
        print(HEADER)
        for name, db_mode, cache_mode, db_mode_later in phases:
            db_proxy.set_mode(db_mode)
            cache_proxy.set_mode(cache_mode)
            time.sleep(1)
            if db_mode_later:
                threading.Timer(1, db_proxy.set_mode, [db_mode_later]).start()
            print(row(f"{name}, 16 connections", wrk(base, 16, script, max(4, DURATION // 2))))
    finally:
        process.terminate()
        process.wait(timeout=20)
        db_proxy.close()
        cache_proxy.close()


if __name__ == "__main__":
    database_url = os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'db.sqlite3'}")
    cache_url = os.environ.get("CACHE_URL", "")
    mode = outage if "--outage" in sys.argv else search if "--search" in sys.argv else load
    mode(database_url, cache_url)
