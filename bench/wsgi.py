"""The benchmark's WSGI entry: the KneeCare app plus its ceilings, in one gunicorn.

- `/__ceiling__/<name>`: a bare WSGI callable returning the stored bytes of payload <name>
  (headers included), or a bodiless 304 for `/__ceiling__/not-modified`.
- `/__static__/<name>.json`: the same bytes as a static file, served by WhiteNoise.
- `/__floor__/<name>` (bench/urls.py): the same bytes from a plain Django view.
Payloads are written by bench/run.py into BENCH_PAYLOAD_DIR before gunicorn starts.
"""

import os

from whitenoise import WhiteNoise

from bench.payloads import payload


def ceiling_or_django(django_app):
    def application(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/__ceiling__/"):
            name = path.removeprefix("/__ceiling__/")
            if name == "not-modified":
                start_response("304 Not Modified", [("ETag", '"0123456789abcdef"')])
                return [b""]
            body, headers = payload(name)
            start_response("200 OK", headers)
            return [body]
        return django_app(environ, start_response)

    return application


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
from kneecare.wsgi import application as kneecare_application  # noqa: E402

application = WhiteNoise(
    ceiling_or_django(kneecare_application),
    root=os.environ["BENCH_PAYLOAD_DIR"],
    prefix="__static__",
)
