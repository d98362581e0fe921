"""Growth benchmark: `make bench-growth`. What lists, details, search, sync, the bundle and the
admin cost at 1x, 10x and 100x the launch content (1x and 10x on SQLite). Loopback, bounded.

For each database (PostgreSQL when GROWTH_DATABASE_URL or DATABASE_URL names one, SQLite in a
temp file): a fresh database, migrate, launch content, then grown in place (bench/growth_content.py)
to each factor. Per factor, one gunicorn like `make run` (2 workers x 4 threads, rate limits
off) and wrk at GROWTH_CONNECTIONS (16) connections for GROWTH_DURATION (3) s per row. Every
request is a cache miss: a distinct extra media range in `Accept` per request (part of the
response-cache key), and search cycles through varied `q`. The bundle is built 3 times (its
stored files removed first, as a publish makes them unusable) and sent from the stored build 3
times (median seconds each, bytes). Query counts come from the Django test client in-process.

The PostgreSQL database GROWTH_DB_NAME (default kneecare_growth, on the server of
DATABASE_URL) is DROPPED AND RECREATED: name one you own.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import serving  # bench/serving.py (the scripts run from bench/)

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DURATION = int(os.environ.get("GROWTH_DURATION", "8"))
CONNECTIONS = int(os.environ.get("GROWTH_CONNECTIONS", "16"))
FACTORS_PG = tuple(int(x) for x in os.environ.get("GROWTH_FACTORS", "1,10,100").split(","))
FACTORS_SQLITE = tuple(int(x) for x in os.environ.get("GROWTH_FACTORS_SQLITE", "1,10").split(","))
PORT = int(os.environ.get("GROWTH_PORT", "18510"))
EXPAND = "structures,symptoms,risk_factors,red_flags,exercises,treatments"
COMMON_Q = ["knee", "pain", "hamstring", "swelling", "muscle", "calf", "exercise", "stretch"]
RARE_Q = [
    "semimembranosus",
    "popliteal cyst",
    "thrombosis",
    "nordic",
    "bakers cist",
    "hamstr",
    "plantaris",
    "DVT",
    "osteoarthritis",
    "fabella",
]

LUA = """
local counter = 0
local threads = 0
local paths = {%s}
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function request()
  counter = counter + 1
  wrk.headers["Accept"] = "application/json, application/x-miss-" .. tid .. "-" .. counter
  local path = paths[(counter %% #paths) + 1]
  return wrk.format("GET", path, wrk.headers)
end
"""


def pg_url(name):
    base = os.environ.get("GROWTH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        return None
    return re.sub(r"/[^/]*$", f"/{name}", base)


def manage(env, *args, capture=False):
    """A set-up command: bulk loads and ANALYZE are maintenance, not requests, so no statement
    timeout (the servers measured keep the defaults)."""
    return subprocess.run(
        [str(VENV_BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env={"DB_STATEMENT_TIMEOUT_MS": "0", **env},
        check=True,
        capture_output=capture,
        text=True,
    )


def fresh_database(env):
    url = env["DATABASE_URL"]
    if url.startswith("postgres"):
        name = url.rsplit("/", 1)[1]
        admin_url = url.rsplit("/", 1)[0] + "/postgres"
        import psycopg

        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    manage(env, "load_launch_content", "--verbosity", "0")


def grow_to(env, factor):
    code = (
        "import time; from bench.growth_content import grow, copies_present; "
        f"have = copies_present() + 1; t = time.time(); "
        f"grow({factor} - have) if {factor} > have else None; "
        # Fresh planner statistics, as autovacuum would have after a bulk load: without them
        # PostgreSQL plans the 100x tables as if they held the launch set (sync read the whole
        # change log to find 200 entries).
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('ANALYZE'); "
        "print(round(time.time() - t, 1))"
    )
    out = manage(env, "shell", "-v", "0", "-c", code, capture=True).stdout.strip().splitlines()
    return float(out[-1])


def start_server(env):
    return serving.start(
        "kneecare.wsgi:application", PORT, env, workers=2, threads=4, ready="/api/v1/", wait=120
    )


stop = serving.stop
_ms = serving.wrk_ms


def wrk(paths, headers=(), duration=None):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % ", ".join(f'"{p}"' for p in paths))
    command = [
        "wrk",
        "-t2",
        f"-c{CONNECTIONS}",
        f"-d{duration or DURATION}s",
        "--latency",
        "--timeout",
        "30s",  # a loaded shared machine: slow answers are measured, not dropped
        "-s",
        script.name,
    ]
    for header in headers:
        command += ["-H", header]
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{PORT}"], capture_output=True, text=True, check=True
    ).stdout
    os.unlink(script.name)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if " 0 requests in" in out:
        print(f"[wrk completed no request for {paths[0]}: {out.strip()[-300:]!r}]")
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
        "p99": _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
        "errors": int(bad.group(1)) if bad else 0,
    }


def warm_up(paths, headers):
    """A few requests one at a time (a wrk warm-up would leave a backlog behind)."""
    for path in paths[:4] * 2:
        request = urllib.request.Request(
            f"http://127.0.0.1:{PORT}{path}",
            headers=dict(h.split(": ", 1) for h in headers),
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()


def _fetch_bundle(n):
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}/api/v1/bundle/",
        headers={"Accept": f"application/json, application/x-bundle-{time.time()}-{n}"},
    )
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        size = len(response.read())
    return time.perf_counter() - start, size


def bundle(env):
    """(median seconds to build, median seconds from the stored build, bytes)."""
    built, stored, size = [], [], 0
    for n in range(3):
        shutil.rmtree(env["BUNDLE_DIR"], ignore_errors=True)  # as after a publish
        seconds, size = _fetch_bundle(n)
        built.append(seconds)
        stored.append(_fetch_bundle(n + 3)[0])
    return statistics.median(built), statistics.median(stored), size


def in_process(env, cause):
    """Query counts per scenario and an admin session cookie, from the test client."""
    code = f"""
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from content_app.caching import reset_process_caches
User = get_user_model()
user, _ = User.objects.get_or_create(username="growth-admin")
user.is_staff = user.is_superuser = True; user.set_password("growth"); user.save()
client = Client()
import statistics, time
def timed(c, path, n):
    took = []
    for i in range(n):
        start = time.perf_counter()
        c.get(path, HTTP_ACCEPT=f"application/json, application/x-seq-{{time.time()}}-{{i}}")
        took.append((time.perf_counter() - start) * 1000)
    return statistics.median(took)
for path in {SCENARIO_PATHS!r} + [p for p in {SEARCH_PATHS!r}]:
    path = path.replace("CAUSE", {cause!r})
    reset_process_caches()
    with CaptureQueriesContext(connection) as q:
        status = client.get(path, HTTP_ACCEPT="application/json, application/x-count").status_code
    print("Q", path, status, len(q), timed(client, path, 7))
admin = Client(); admin.force_login(user)
with CaptureQueriesContext(connection) as q:
    status = admin.get("/admin/content_app/cause/").status_code
admin_queries = len(q)  # read now: the next request's request_started clears the log
admin_ms = timed(admin, "/admin/content_app/cause/", 7)
print("Q", "/admin/content_app/cause/", status, admin_queries, admin_ms)
print("COOKIE", admin.cookies["sessionid"].value)
"""
    out = manage(env, "shell", "-v", "0", "-c", code, capture=True).stdout.splitlines()
    counts = {
        line.split()[1]: (int(line.split()[3]), float(line.split()[4]))
        for line in out
        if line.startswith("Q ")
    }
    cookie = next(line.split()[1] for line in out if line.startswith("COOKIE "))
    return counts, cookie


SEARCH_PATHS = [f"/api/v1/search/?q={w.replace(' ', '+')}" for w in COMMON_Q + RARE_Q]
SCENARIO_PATHS = [
    "/api/v1/causes/?page_size=20",
    "/api/v1/anatomy/?page_size=100",
    "/api/v1/causes/CAUSE/",
    f"/api/v1/causes/CAUSE/?expand={EXPAND}",
    "/api/v1/search/?q=knee",
    "/api/v1/sync/?limit=200",
]


def run_factor(env, factor, label):
    cause = "bakers-cyst"
    counts, cookie = in_process(env, cause)
    server = start_server(env)
    rows = []
    try:
        q = lambda words: [f"/api/v1/search/?q={w.replace(' ', '+')}" for w in words]  # noqa: E731
        detail = f"/api/v1/causes/{cause}/"
        scenarios = [
            ("list page_size=20", ["/api/v1/causes/?page_size=20"]),
            ("list page_size=100", ["/api/v1/anatomy/?page_size=100"]),
            ("cause detail", [detail]),
            ("detail ?expand=6 relations", [f"{detail}?expand={EXPAND}"]),
            ("search common words", q(COMMON_Q)),
            ("search rare words, typos", q(RARE_Q)),
            ("sync since 0 (limit 200)", ["/api/v1/sync/?limit=200"]),
            ("admin cause changelist", ["/admin/content_app/cause/"]),
        ]
        for name, paths in scenarios:
            headers = [f"Cookie: sessionid={cookie}"] if paths[0].startswith("/admin/") else []
            warm_up(paths, headers)
            result = wrk(paths, headers)
            measured = [counts[p] for p in paths if p in counts]
            result["queries"] = max(c for c, _ms in measured)
            result["single"] = statistics.median(ms for _c, ms in measured)
            rows.append((name, result))
        seconds, stored, size = bundle(env)
    finally:
        stop(server)
    print(f"\n{label} {factor}x")
    print(
        f"| scenario | req/s ({CONNECTIONS} conn) | p50 ms | p99 ms | one at a time ms | queries |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in rows:
        errors = f" ({r['errors']} non-2xx)" if r["errors"] else ""
        latency = f"{r['p50']:.0f} | {r['p99']:.0f} | {r['single']:.1f}"
        print(f"| {name}{errors} | {r['rps']:.0f} | {latency} | {r['queries']} |")
    print(f"| bundle, built (median of 3) | {seconds:.2f} s | {size:,} bytes | | | |")
    print(f"| bundle, from the stored build (median of 3) | {stored:.2f} s | | | | |")
    sys.stdout.flush()
    return rows, seconds, size


def main():
    if not shutil.which("wrk"):
        sys.exit("needs wrk: apt-get install -y wrk")
    runs = []
    pg = pg_url(os.environ.get("GROWTH_DB_NAME", "kneecare_growth"))
    tmp = tempfile.mkdtemp()
    base_env = {
        **os.environ,
        "API_RATE_ANON": "none",
        "API_RATE_PARTNER": "none",
        "DJANGO_SETTINGS_MODULE": "kneecare.settings",
        "PYTHONPATH": str(ROOT),
        "BUNDLE_DIR": f"{tmp}/bundles",
    }
    base_env.pop("CACHE_URL", None) if os.environ.get("GROWTH_KEEP_CACHE") is None else None
    if pg:
        runs.append(("PostgreSQL", {**base_env, "DATABASE_URL": pg}, FACTORS_PG))
    runs.append(
        ("SQLite", {**base_env, "DATABASE_URL": f"sqlite:///{tmp}/growth.sqlite3"}, FACTORS_SQLITE)
    )
    for label, env, factors in runs:
        started = time.time()
        fresh_database(env)
        for factor in factors:
            seconds = grow_to(env, factor)
            print(f"[{label}: grown to {factor}x in {seconds} s]")
            run_factor(env, factor, label)
        print(f"[{label}: {time.time() - started:.0f} s]")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
