"""Starting and stopping the gunicorn a benchmark measures (bench/run.py, bench/growth.py)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def start(app: str, port: int, env: dict, *, workers: int, threads: int, ready: str, wait=60):
    """gunicorn (gthread) serving `app` on 127.0.0.1:`port`, in its own process group, returned
    once GET `ready` has answered (any HTTP status) for every worker thread's worth of tries."""
    command = [
        str(VENV_BIN / "gunicorn"),
        app,
        *("--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads)),
        *("--worker-class", "gthread", "--log-level", "warning"),
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + wait
    answered = 0
    while answered < workers * 2:  # both workers booted, most likely, not just the first
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{ready}", timeout=30).read()
            answered += 1
        except urllib.error.HTTPError:
            answered += 1
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                stop(server)
                sys.exit(f"gunicorn did not start within {wait} s")
            time.sleep(0.2)
    return server


def stop(server) -> None:
    """SIGTERM to the server's process group (its workers), SIGKILL if it lingers."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def wrk_ms(text: str) -> float:
    """A wrk latency figure ("812.00us", "3.21ms", "1.02s") in milliseconds."""
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNIT[unit]
