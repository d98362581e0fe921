"""`make run`'s serving across processes: gunicorn with 2 workers on a SQLite file serves the
exercise detail and its media files, with immutable caching and hashes that verify.

Everything runs in subprocesses on its own database file and MEDIA_ROOT (the test database
of this process is not shared with gunicorn's workers).
"""

import hashlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")

SETUP = """
from content_app import media, models as m
from tests import factories as f
from tests.media.conftest import png, published_asset
exercise = f.ExerciseFactory(slug="bridge")
asset = published_asset(slug="bridge-start", data=png(900, 600))
m.ExerciseMedia.objects.create(exercise=exercise, media=asset, role="start")
"""


def _free_port() -> int:
    for port in range(18400, 18500):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    pytest.skip("no free port in 18400-18499")


def _get(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers, response.read()


def test_gunicorn_serves_media_with_immutable_caching(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "CACHE_URL": "",
        "REDIS_URL": "",
        "DJANGO_ENV": "local",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "shell", "-c", SETUP], cwd=ROOT, env=env, check=True)
    port = _free_port()
    server = subprocess.Popen(
        [
            str(GUNICORN),
            "kneecare.wsgi:application",
            *("--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "2"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                _headers, body = _get(f"{base}/api/v1/exercises/bridge/")
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not answer")
        [entry] = json.loads(body)["media"]
        assert len(entry["renditions"]) == 4
        for _ in range(2):  # both workers, very likely
            for file in entry["renditions"]:
                headers, data = _get(f"{base}{file['url']}")
                assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
                assert headers["X-Content-Type-Options"] == "nosniff"
                assert hashlib.sha256(data).hexdigest() == file["sha256"]
                assert int(headers["Content-Length"]) == len(data) == file["bytes"]
    finally:
        server.terminate()
        server.wait(timeout=10)
