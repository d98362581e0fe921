"""Load benchmark on loopback: `make bench` (after `make content`). Bounded: about 3 minutes.

The last rows request every list and detail of three collections in turn, for 5 s in steady
state and for the 5 s right after a publish (every cache key changes): the ratio is the cost of
re-rendering after a publish (concurrent misses of one key render once per process).

One gunicorn on 127.0.0.1 serves the app with the launch content and, in the same process,
the ceilings: the same bytes from a bare WSGI callable and as a static file (bench/wsgi.py),
and Django's floor: the same bytes from a plain Django view behind the same middleware.
wrk (Debian package) drives every scenario in one run and the table gives requests/s,
p50/p99 latency and the ratio to the bare-WSGI ceiling of the same bytes.

Cache misses under load: each request carries a distinct extra media range in `Accept`
(part of the response-cache key), so every request renders from the database, exactly as
the first request after an edit does, while the representation stays byte-identical.
Rate limiting is off for the run (one loopback client would be throttled); authentication
and the throttle checks still run on every request.

Environment: BENCH_DURATION (seconds per row, default 2), BENCH_ROUNDS (3), BENCH_CONNECTIONS (4),
BENCH_WORKERS (1), BENCH_THREADS (2), BENCH_PORT (free port), DATABASE_URL as for the app.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import brotli
import serving  # bench/serving.py (the scripts run from bench/)

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DURATION = int(os.environ.get("BENCH_DURATION", "2"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "1"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
EXPAND = "structures,symptoms,risk_factors,red_flags,exercises,treatments"

MISS_LUA = """
local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function request()
  counter = counter + 1
  wrk.headers["Accept"] = "application/json, application/x-bench-" .. tid .. "-" .. counter
  return wrk.format(nil, nil, wrk.headers)
end
"""


MIX_LUA = """
local paths = {%s}
local counter = 0
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""
PUBLISH_WINDOW = 5  # seconds measured after each publish (and for the steady state)


def mixed_paths() -> list[str]:
    """Every list and every detail of three collections: what many apps ask after a publish."""
    from content_app import models as m

    paths = []
    for model in (m.Cause, m.Exercise, m.Symptom):
        paths.append(f"/api/v1/{model.api_type}/")
        paths += [
            f"/api/v1/{model.api_type}/{slug}/"
            for slug in model.objects.published().values_list("slug", flat=True)
        ]
    return paths


def publish() -> None:
    """A change to a published item: a new content version, so every cache key changes."""
    from content_app import models as m

    cause = m.Cause.objects.published().first()
    cause.save()


# The self-check: a POST of answers (health data: never cached, evaluated in memory over the
# ruleset cached per content version). The ceilings serve the same response bytes.
SELF_CHECK_BODY = (
    '{"symptoms":["tight-muscles-behind-the-knee"],'
    '"answers":[{"question":"training-increase","option":"yes"},'
    '{"question":"during-exercise","option":"yes"}]}'
)
POST_LUA = f"""
wrk.method = "POST"
wrk.body = '{SELF_CHECK_BODY}'
wrk.headers["Content-Type"] = "application/json"
"""


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk is missing: installing it from Debian (apt-get install -y wrk) ...")
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)
        return shutil.which("wrk")
    sys.exit("bench needs wrk: run `sudo apt-get install -y wrk` and try again.")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def setup_django():
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def pick_targets():
    from content_app import models as m

    causes = list(m.Cause.objects.published())
    if not causes:
        sys.exit("No published cause: run `make content` first.")
    cause = max(causes, key=lambda c: c.exercise_links.count() + c.red_flag_links.count())
    words = re.findall(r"[a-z]{5,}", cause.name.lower())
    return cause.slug, words[0] if words else "knee"


def scenarios(slug: str, word: str):
    """(name, path, request headers, payload for the ceiling, kind)."""
    detail = f"/api/v1/causes/{slug}/"
    gz = {"Accept-Encoding": "gzip"}
    return [
        ("causes list", "/api/v1/causes/", {}, "list"),
        ("cause detail ?expand=all", f"{detail}?expand={EXPAND}", {}, "expanded"),
        ("search", f"/api/v1/search/?q={word}", {}, "search"),
        ("cause detail", detail, {}, "detail"),
        ("bundle (gzip)", "/api/v1/bundle/", gz, "bundle"),
    ]


def capture_payloads(items, host, payload_dir: Path):
    """The exact bytes each scenario serves, written for the ceilings; ETags for the 304 run."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=host)
    etags, hit_queries = {}, {}
    for _name, path, headers, payload in items:
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        response = client.get(path, **extra)
        assert response.status_code == 200, (path, response.status_code, response.content[:300])
        (payload_dir / f"{payload}.json").write_bytes(response.content)
        (payload_dir / f"{payload}.encoding").write_text(response.get("Content-Encoding", ""))
        etags[payload] = response["ETag"]
        with CaptureQueriesContext(connection) as queries:
            again = client.get(path, **extra)
        assert again.content == response.content
        hit_queries[payload] = len(queries)
    return etags, hit_queries


def capture_self_check(host, payload_dir: Path) -> int:
    """The self-check's response bytes for the ceilings; its query count with a warm ruleset."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=host)
    post = lambda: client.post(  # noqa: E731
        "/api/v1/self-check/", SELF_CHECK_BODY, content_type="application/json"
    )
    response = post()
    assert response.status_code == 200, response.content[:300]
    (payload_dir / "self-check.json").write_bytes(response.content)
    (payload_dir / "self-check.encoding").write_text("")
    with CaptureQueriesContext(connection) as queries:
        assert post().content == response.content
    return len(queries)


def start_server(port: int, payload_dir: Path):
    env = {
        **os.environ,
        "BENCH_PAYLOAD_DIR": str(payload_dir),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": str(ROOT),
    }
    return serving.start(
        "bench.wsgi:application",
        port,
        env,
        workers=WORKERS,
        threads=THREADS,
        ready="/__ceiling__/not-modified",
    )


stop_server = serving.stop
_ms = serving.wrk_ms


def wrk(binary, url, headers=None, script=None, duration=DURATION):
    command = [binary, "-t1", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", script]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: .*", out)
    return {
        "rps": rps,
        "p50": p50,
        "p99": p99,
        "bad": int(bad.group(1)) if bad else 0,
        "errors": errors.group(0) if errors else "",
    }


def main():
    wrk_binary = ensure_wrk()
    setup_django()
    port = int(os.environ.get("BENCH_PORT") or free_port())
    host = f"127.0.0.1:{port}"
    base = f"http://{host}"
    slug, word = pick_targets()
    items = scenarios(slug, word)
    payload_dir = Path(tempfile.mkdtemp(prefix="kneecare-bench-"))
    os.environ["BENCH_PAYLOAD_DIR"] = str(payload_dir)
    etags, hit_queries = capture_payloads(items, host, payload_dir)
    hit_queries["self-check (warm ruleset)"] = capture_self_check(host, payload_dir)
    post_script = payload_dir / "post.lua"
    post_script.write_text(POST_LUA)
    (payload_dir / "not-modified.json").write_bytes(b"")
    (payload_dir / "not-modified.encoding").write_text("")
    miss_script = payload_dir / "miss.lua"
    miss_script.write_text(MISS_LUA)
    paths = mixed_paths()
    mix_script = payload_dir / "mix.lua"
    mix_script.write_text(MIX_LUA % ", ".join(f'"{p}"' for p in paths))

    groups = []  # each: rows (label, url, headers, wrk script); the first row is the ceiling
    for name, path, headers, payload in items:
        groups.append(
            [
                (f"ceiling: bare WSGI, {payload} bytes", f"/__ceiling__/{payload}", {}, None),
                (f"ceiling: static file, {payload} bytes", f"/__static__/{payload}.json", {}, None),
                (f"Django floor: constant view, {payload}", f"/__floor__/{payload}", {}, None),
                (f"{name}: cache miss", path, headers, str(miss_script)),
                (f"{name}: cached", path, headers, None),
            ]
        )
    groups.append(
        [
            ("ceiling: bare WSGI, self-check bytes", "/__ceiling__/self-check", {}, None),
            ("Django floor: constant view, self-check", "/__floor__/self-check", {}, None),
            ("self-check POST (never cached)", "/api/v1/self-check/", {}, str(post_script)),
        ]
    )
    groups.append(
        [
            ("ceiling: bare WSGI, 304", "/__ceiling__/not-modified", {}, None),
            (
                "cause detail: 304 revalidation",
                items[3][1],
                {"If-None-Match": etags["detail"]},
                None,
            ),
        ]
    )

    server = start_server(port, payload_dir)
    results = {}
    try:
        for _name, path, headers, _payload in items:  # warm the cache of every worker
            wrk(wrk_binary, base + path, headers, duration=1)
        # Rounds interleave each scenario with its ceiling, so both see the same machine load;
        # the table shows the round with the median ratio.
        for _round in range(ROUNDS):
            for group in groups:
                ceiling = None
                for label, url, headers, script in group:
                    result = wrk(wrk_binary, base + url, headers, script=script)
                    ceiling = ceiling or result
                    result["ratio"] = result["rps"] / ceiling["rps"]
                    results.setdefault(label, []).append(result)
        # After a publish every key changes at once: req/s over the next seconds vs steady.
        for path in paths:
            urllib.request.urlopen(base + path).read()
        for _round in range(ROUNDS):
            steady = wrk(wrk_binary, base + "/", script=str(mix_script), duration=PUBLISH_WINDOW)
            publish()
            after = wrk(wrk_binary, base + "/", script=str(mix_script), duration=PUBLISH_WINDOW)
            steady["ratio"], after["ratio"] = 1.0, after["rps"] / steady["rps"]
            results.setdefault("publish-steady", []).append(steady)
            results.setdefault("publish-after", []).append(after)
    finally:
        stop_server(server)
    publish_group = [
        (f"{len(paths)} paths mixed, cached: steady {PUBLISH_WINDOW} s", "publish-steady"),
        (f"{len(paths)} paths mixed: {PUBLISH_WINDOW} s after a publish", "publish-after"),
    ]

    print()
    print(
        f"KneeCare bench: gunicorn gthread {WORKERS} worker(s) x {THREADS} threads on "
        f"127.0.0.1; wrk -t1 -c{CONNECTIONS} -d{DURATION}s per row, median of {ROUNDS} "
        f"interleaved rounds; cause '{slug}', search '{word}'"
    )
    print(f"{'scenario':44} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'x ceiling':>9}")
    for group in groups:
        for label, *_ in group:
            runs = sorted(results[label], key=lambda r: r["ratio"])
            median = runs[len(runs) // 2]
            bad = sum(r["bad"] for r in runs)
            flag = f"  {bad} non-2xx/3xx!" if bad else ""
            print(
                f"{label:44} {median['rps']:9.0f} {median['p50']:8.2f} {median['p99']:8.2f} "
                f"{median['ratio']:9.2f}{flag}"
            )
    for label, key in publish_group:
        runs = sorted(results[key], key=lambda r: r["ratio"])
        median = runs[len(runs) // 2]
        bad = sum(r["bad"] for r in runs)
        flag = f"  {bad} non-2xx/3xx!" if bad else ""
        print(
            f"{label:44} {median['rps']:9.0f} {median['p50']:8.2f} {median['p99']:8.2f} "
            f"{median['ratio']:9.2f}{flag}  (x steady)"
        )
    print()
    print(
        "Database queries on a cache hit (in-process check): "
        + ", ".join(f"{name} {count}" for name, count in hit_queries.items())
    )
    raw = (payload_dir / "bundle.json").read_bytes()
    served_encoding = (payload_dir / "bundle.encoding").read_text()
    plain = gzip.decompress(raw) if served_encoding == "gzip" else raw
    print(
        f"Bundle: {len(plain):,} bytes raw, {len(gzip.compress(plain, 6)):,} gzip, "
        f"{len(brotli.compress(plain, quality=5)):,} br"
    )
    shutil.rmtree(payload_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
