"""The benchmark's WSGI entry: the KneeCare app plus its two ceilings, in one gunicorn.

- `/__ceiling__/<name>`: a bare WSGI callable returning the stored bytes of payload <name>
  (headers included), or a bodiless 304 for `/__ceiling__/not-modified`.
- `/__static__/<name>.json`: the same bytes as a static file, served by WhiteNoise.
Payloads are written by bench/run.py into BENCH_PAYLOAD_DIR before they are requested.
"""

import os
from pathlib import Path

from whitenoise import WhiteNoise

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kneecare.settings")

from django.core.wsgi import get_wsgi_application

PAYLOAD_DIR = Path(os.environ["BENCH_PAYLOAD_DIR"])
_loaded: dict[str, tuple[bytes, list]] = {}


def _payload(name: str):
    found = _loaded.get(name)
    if found is None:
        body = (PAYLOAD_DIR / f"{name}.json").read_bytes()
        encoding = (PAYLOAD_DIR / f"{name}.encoding").read_text().strip()
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        if encoding:
            headers.append(("Content-Encoding", encoding))
        found = _loaded[name] = (body, headers)
    return found


def ceiling_or_django(django_app):
    def application(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/__ceiling__/"):
            name = path.removeprefix("/__ceiling__/")
            if name == "not-modified":
                start_response("304 Not Modified", [("ETag", '"0123456789abcdef"')])
                return [b""]
            body, headers = _payload(name)
            start_response("200 OK", headers)
            return [body]
        return django_app(environ, start_response)

    return application


application = WhiteNoise(
    ceiling_or_django(get_wsgi_application()),
    root=str(PAYLOAD_DIR),
    prefix="__static__",
    autorefresh=True,
)
