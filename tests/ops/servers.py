"""Servers the operations tests start on loopback: a listener that accepts and never answers,
a TCP proxy that can forward, refuse or hang, a PostgreSQL that goes silent after the
handshake, and gunicorn as `make run` starts it.

Ports come from OPS_TEST_PORTS (default 18100-18199), so parallel runs on a shared machine
can keep apart; every server here stops when its test ends.
"""

import contextlib
import os
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_low, _, _high = os.environ.get("OPS_TEST_PORTS", "18100-18199").partition("-")
PORTS = range(int(_low), int(_high) + 1)


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS}")


def closed_port() -> int:
    """A port nothing listens on: connections are refused at once."""
    return free_port()


class TcpProxy:
    """Listens on loopback; `mode` says what a connection gets: forwarded to `target`, closed
    at once ("refuse"), or accepted and never answered ("hang")."""

    def __init__(self, target: tuple[str, int] | None = None, mode: str = "forward"):
        self.target, self.mode = target, mode
        self._server = socket.create_server(("127.0.0.1", free_port()), backlog=128)
        self.port = self._server.getsockname()[1]
        self._held: list[socket.socket] = []
        self._stopped = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def set_mode(self, mode: str) -> None:
        """Open connections too: "hang" keeps them open and silent, "refuse" and "forward"
        close them (a restarted server drops its connections); the same mode again changes
        nothing."""
        if mode == self.mode:
            return
        self.mode = mode
        if mode != "hang":
            self._drop_held()

    def _drop_held(self):
        for sock in self._held:
            with contextlib.suppress(OSError):
                sock.close()
        self._held.clear()

    def _accept(self):
        while not self._stopped.is_set():
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            if self.mode == "refuse":
                client.close()
            elif self.mode == "hang":
                self._held.append(client)
            else:
                self._forward(client)

    def _forward(self, client):
        try:
            upstream = socket.create_connection(self.target, timeout=2)
        except OSError:
            client.close()
            return
        upstream.settimeout(None)
        self._held += [client, upstream]

        def pipe(source, sink):
            with contextlib.suppress(OSError):
                while data := source.recv(65536):
                    if self.mode != "forward":
                        return  # hung: swallow, answer nothing
                    sink.sendall(data)
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)

        threading.Thread(target=pipe, args=(client, upstream), daemon=True).start()
        threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()

    def close(self):
        self._stopped.set()
        self._server.close()
        self.mode = "refuse"
        self._drop_held()


class SilentPostgres:
    """Speaks PostgreSQL's protocol up to "ready for query" (no password, a 16.0 server in
    UTC), then reads every query and answers none: a server that hangs in the middle of a
    request, which neither libpq nor PostgreSQL's statement_timeout bounds."""

    SSL_REQUEST, GSS_REQUEST = 80877103, 80877104
    PARAMETERS = {
        "server_version": "16.0",
        "server_encoding": "UTF8",
        "client_encoding": "UTF8",
        "TimeZone": "UTC",
        "DateStyle": "ISO, MDY",
        "integer_datetimes": "on",
        "standard_conforming_strings": "on",
    }

    def __init__(self):
        self._server = socket.create_server(("127.0.0.1", free_port()), backlog=128)
        self.port = self._server.getsockname()[1]
        self._held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            self._held.append(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client):
        with contextlib.suppress(OSError, struct.error):
            while True:
                (length,) = struct.unpack("!i", _read(client, 4))
                body = _read(client, length - 4)
                (code,) = struct.unpack("!i", body[:4])
                if code in (self.SSL_REQUEST, self.GSS_REQUEST):
                    client.sendall(b"N")  # no encryption: go on in plain text
                    continue
                break  # the startup message
            reply = _message(b"R", struct.pack("!i", 0))  # AuthenticationOk
            for name, value in self.PARAMETERS.items():
                reply += _message(b"S", f"{name}\0{value}\0".encode())
            reply += _message(b"K", struct.pack("!ii", 4242, 1)) + _message(b"Z", b"I")
            client.sendall(reply)
            while client.recv(65536):
                pass  # queries arrive and are never answered

    def close(self):
        self._server.close()
        for sock in self._held:
            with contextlib.suppress(OSError):
                sock.close()


def _read(sock, count: int) -> bytes:
    data = b""
    while len(data) < count:
        if not (chunk := sock.recv(count - len(data))):
            raise OSError("closed")
        data += chunk
    return data


def _message(kind: bytes, payload: bytes) -> bytes:
    return kind + struct.pack("!i", len(payload) + 4) + payload


@contextlib.contextmanager
def silent_postgres():
    server = SilentPostgres()
    try:
        yield server
    finally:
        server.close()


@contextlib.contextmanager
def listener(mode: str, target=None):
    proxy = TcpProxy(target, mode)
    try:
        yield proxy
    finally:
        proxy.close()


@contextlib.contextmanager
def gunicorn(env: dict, *, workers: int = 2, threads: int = 4, app="kneecare.wsgi:application"):
    """gunicorn with the project's gunicorn.conf.py, as `make run` starts it."""
    port = free_port()
    full_env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))},
        "DJANGO_SETTINGS_MODULE": "kneecare.settings",
        "PYTHONPATH": str(ROOT),
        **env,
    }
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", app),
            *("--bind", f"127.0.0.1:{port}", "--workers", str(workers)),
            *("--threads", str(threads), "--log-level", "warning"),
        ],
        cwd=ROOT,
        env=full_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/health/live", timeout=2).read()
                break
            except (OSError, urllib.error.URLError):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start: {process.stderr.read()}") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def get(url: str, headers: dict | None = None, method: str = "GET", data: bytes | None = None):
    """(status, headers, body, seconds) without raising on error statuses."""
    request = urllib.request.Request(url, headers=headers or {}, method=method, data=data)
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read(), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read(), time.monotonic() - started
