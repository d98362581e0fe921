"""Request ids on every response and log line; slow requests logged; metrics not public."""

import io
import logging
import logging.config
import re

import pytest
from django.conf import settings as django_settings


@pytest.fixture
def log_lines():
    """What the configured console handler (request-id filter, formatter) writes."""
    stream = io.StringIO()
    config = django_settings.LOGGING
    handler = logging.StreamHandler(stream)
    handler.addFilter(
        logging.config.DictConfigurator({}).configure_filter(dict(config["filters"]["request_id"]))
    )
    handler.setFormatter(logging.Formatter(config["formatters"]["text"]["format"]))
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: stream.getvalue().splitlines()
    root.removeHandler(handler)


def test_every_response_has_a_fresh_request_id(client, db):
    ids = {client.get("/api/v1/no-such/")["X-Request-ID"] for _ in range(3)}

    assert len(ids) == 3
    assert all(re.fullmatch(r"[0-9a-f]{32}", value) for value in ids)


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [
        ("lb-7f3a:42", True),
        ("x" * 128, True),
        ("x" * 129, False),
        ("bad id", False),
        ("<script>", False),
        ("a\\nb", False),
    ],
)
def test_a_sane_incoming_request_id_is_kept(client, db, incoming, kept):
    response = client.get("/health/live", HTTP_X_REQUEST_ID=incoming)

    assert (response["X-Request-ID"] == incoming) is kept
    assert re.fullmatch(r"[A-Za-z0-9._:-]{1,128}", response["X-Request-ID"])


def test_log_lines_carry_the_request_id_and_slow_requests_are_logged(
    client, db, settings, log_lines
):
    settings.SLOW_REQUEST_SECONDS = 0  # every request is "slow"

    response = client.get("/api/v1/no-such/", HTTP_X_REQUEST_ID="trace-1")

    slow = [line for line in log_lines() if "slow request" in line]
    assert slow and "[trace-1]" in slow[0]
    assert "GET /api/v1/no-such/ 404 in" in slow[0]
    assert all("[trace-1]" in line for line in log_lines())
    assert response["X-Request-ID"] == "trace-1"


def test_fast_requests_are_not_logged_as_slow(client, db, log_lines):
    client.get("/health/live")

    assert not [line for line in log_lines() if "slow request" in line]


def test_metrics_from_loopback(client, db):
    client.get("/health/live")

    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")

    assert response.status_code == 200
    body = response.content.decode()
    assert 'kneecare_http_requests_total{method="GET",status="200",view="health-live"}' in body
    assert 'kneecare_dependency_up{dependency="postgresql"} 1.0' in body


def test_metrics_are_not_public(client, db, settings):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.5").status_code == 404
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404
    authorised = client.get(
        "/metrics", REMOTE_ADDR="203.0.113.5", HTTP_AUTHORIZATION="Bearer s3cret-token"
    )
    assert authorised.status_code == 200
