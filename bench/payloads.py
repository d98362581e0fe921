"""The bytes each benchmark scenario serves, written by bench/run.py (BENCH_PAYLOAD_DIR)."""

import os
from pathlib import Path

_loaded: dict[str, tuple[bytes, list]] = {}


def payload(name: str) -> tuple[bytes, list]:
    """(body, headers) of payload `name`, read once per process."""
    found = _loaded.get(name)
    if found is None:
        directory = Path(os.environ["BENCH_PAYLOAD_DIR"])
        body = (directory / f"{name}.json").read_bytes()
        encoding = (directory / f"{name}.encoding").read_text().strip()
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        if encoding:
            headers.append(("Content-Encoding", encoding))
        found = _loaded[name] = (body, headers)
    return found
