"""Real servers for the tests that cross a process boundary: gunicorn (2 workers, as `make run`
serves), a database prepared for them, a TCP proxy that can be cut or made to hang, and a
writer process that edits content the way an editor's process would."""

from __future__ import annotations

import contextlib
import hashlib
import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
PORTS = range(18200, 18300)


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 18200-18299")


def base_env(database_url: str, **extra) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "API_", "PYTEST", "DATABASE_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="kneecare.settings",
        DJANGO_ENV="local",
        DATABASE_URL=database_url,
        API_RATE_ANON="none",
        API_RATE_PARTNER="none",
        PYTHONDONTWRITEBYTECODE="1",
        # The bundle from its file, as big content is served (the launch set would go through
        # the response cache like any resource): the HTTP cache tests see that delivery.
        BUNDLE_RESPONSE_CACHE_MAX_BYTES="0",
    )
    env.update(extra)
    return env


def _manage(env: dict) -> None:
    for command in (["migrate", "--no-input", "--verbosity", "0"], ["load_launch_content"]):
        subprocess.run(
            [PYTHON, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=300,
        )


def _content_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(
        [*ROOT.glob("content_app/migrations/*.py"), ROOT / "fixtures/launch_content.json"]
    ):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def prepare_database(env: dict) -> None:
    """Migrate and load the launch content. SQLite files are copied from a template kept in
    the temp dir (migrating takes tens of seconds on a busy machine; copying does not)."""
    url = env["DATABASE_URL"]
    if not url.startswith("sqlite:///"):
        _manage(env)
        return
    target = Path(url.removeprefix("sqlite:///"))
    template = Path(tempfile.gettempdir()) / f"kneecare-live-{_content_fingerprint()}.sqlite3"
    if not template.exists():
        building = target.with_suffix(".building")
        _manage({**env, "DATABASE_URL": f"sqlite:///{building}"})
        os.replace(building, template)
    shutil.copyfile(template, target)


class Gunicorn:
    def __init__(self, env: dict, app: str = "kneecare.wsgi:application", workers: int = 2):
        self.port = free_port()
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the server)
        self.access_log = Path(tempfile.mkdtemp(prefix="kneecare-access-")) / "access.log"
        self.process = subprocess.Popen(
            [
                GUNICORN,
                app,
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                "4",
                "--timeout",
                "20",
                "--access-logfile",
                str(self.access_log),
                "--access-logformat",
                "%(p)s %(s)s %(U)s",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        self._wait_ready()

    def _wait_ready(self, timeout=30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.output())
            with contextlib.suppress(OSError):
                status, _, _ = raw_request(
                    self.port, b"GET /api/v1/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                )
                if status == 200:
                    return
            time.sleep(0.1)
        raise RuntimeError("gunicorn did not start: " + self.output())

    def workers_seen(self, since_line: int = 0) -> set[str]:
        """Worker pids (gunicorn prints `<pid>`) in the access log after line `since_line`."""
        lines = self.access_log.read_text().splitlines()[since_line:]
        return {line.split()[0].strip("<>") for line in lines if line}

    def log_lines(self) -> int:
        return len(self.access_log.read_text().splitlines()) if self.access_log.exists() else 0

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-3000:]

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def raw_request(port: int, data: bytes, timeout: float = 10.0) -> tuple[int, dict, bytes]:
    """Send bytes, read one response (Connection: close is added when absent)."""
    if b"\r\nConnection:" not in data:
        data = data.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n", 1)
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    raw = b"".join(chunks)
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


def get(port: int, target: str | bytes, headers: dict | None = None, method: str = "GET"):
    target = target.encode() if isinstance(target, str) else target
    lines = [method.encode() + b" " + target + b" HTTP/1.1", b"Host: 127.0.0.1"]
    lines += [f"{k}: {v}".encode("latin-1") for k, v in (headers or {}).items()]
    return raw_request(port, b"\r\n".join(lines) + b"\r\n\r\n")


class Proxy:
    """A TCP proxy in front of a service; `mode` is "open", "down" (refuse) or "hang"."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.mode = "open"
        self.port = free_port()
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self._listener.settimeout(0.2)
        self._held: list[socket.socket] = []
        self._stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self._stop:
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self.mode == "down":
                client.close()
            elif self.mode == "hang":
                self._held.append(client)  # accepted, never answered
            else:
                threading.Thread(target=self._pipe, args=(client,), daemon=True).start()

    def _pipe(self, client):
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
        except OSError:
            client.close()
            return
        sockets = [client, upstream]
        try:
            while self.mode == "open":
                readable, _, _ = select.select(sockets, [], [], 0.2)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (upstream if sock is client else client).sendall(data)
        except OSError:
            pass
        finally:
            client.close()
            upstream.close()

    def close(self):
        self._stop = True
        self._listener.close()
        for sock in self._held:
            sock.close()


WRITER = r"""
import sys, django
django.setup()
from content_app import models as m
from content_app.changelog import current_head
for line in sys.stdin:
    command, slug, *rest = line.split()
    cause = m.Cause.objects.get(slug=slug)
    if command == "rename":
        cause.name = " ".join(rest)
    elif command == "status":
        cause.status = rest[0]
    cause.save()
    print("ok", current_head(), flush=True)
"""


class Writer:
    """A separate process that edits causes (as the admin's process would) and reports the head."""

    def __init__(self, env: dict):
        self.process = subprocess.Popen(
            [PYTHON, "-c", WRITER],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def send(self, line: str) -> int:
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().split()
        assert answer and answer[0] == "ok", answer
        return int(answer[1])

    def stop(self):
        self.process.stdin.close()
        self.process.wait(10)


def sqlite_url() -> str:
    directory = tempfile.mkdtemp(prefix="kneecare-live-")
    return f"sqlite:///{directory}/live.sqlite3"
