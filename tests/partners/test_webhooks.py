"""Change notices: graded events, the /changes/ feed, and signed webhooks with retries.

The end-to-end test starts a webhook receiver (a tiny HTTP server on loopback), publishes a
red flag, and runs the real task queue (django-tasks-db's `db_worker`): the receiver answers
500 first, then 200, and gets the same signed, graded event twice, a backoff apart.
"""

import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from content_app import models as m
from content_app import notices
from content_app.models import PartnerKey
from tests import factories as f


class Receiver:
    """Records every request; answers the queued statuses, then 200."""

    def __init__(self, statuses):
        self.statuses = list(statuses)
        self.requests = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {name.lower(): value for name, value in self.headers.items()}
                receiver.requests.append((time.monotonic(), headers, body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/kneecare"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver([500])
    yield server
    server.close()


def verify(secret: str, headers: dict, body: bytes) -> bool:
    """What a partner runs (Standard Webhooks): HMAC-SHA256 over id.timestamp.body."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    offered = [s.split(",", 1)[1] for s in headers["webhook-signature"].split()]
    fresh = abs(time.time() - int(headers["webhook-timestamp"])) < 300  # replay window
    return fresh and any(hmac.compare_digest(expected, s) for s in offered)


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_a_publish_reaches_the_receiver_signed_and_graded_and_is_retried_after_a_500(
    transactional_db, receiver, settings
):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0.5
    source = f.SourceFactory()
    run_worker()  # the source's own publish, before anyone subscribed
    PartnerKey.objects.create_key(name="partner app")
    subscription = m.WebhookSubscription.objects.create(
        api_key=PartnerKey.objects.get(), url=receiver.url
    )

    f.RedFlagFactory(
        slug="calf-swelling", urgency=m.Urgency.EMERGENCY, action="Call 999.", sources=[source]
    )
    run_worker()  # grades the change, first attempt: 500

    delivery = m.WebhookDelivery.objects.get(change__slug="calf-swelling")
    assert len(receiver.requests) == 1
    assert delivery.status == m.DeliveryStatus.PENDING
    assert delivery.attempts == 1 and delivery.last_status_code == 500
    assert delivery.next_attempt_at is not None

    run_worker()  # too early: the retry waits for its backoff
    assert len(receiver.requests) == 1
    time.sleep(0.6)
    run_worker()

    delivery.refresh_from_db()
    assert delivery.status == m.DeliveryStatus.DELIVERED
    assert delivery.attempts == 2 and delivery.last_status_code == 200
    (first_at, first, body), (second_at, second, body_again) = receiver.requests
    assert second_at - first_at >= 0.5  # exponential backoff, first step
    assert first["webhook-id"] == second["webhook-id"] == f"evt_{delivery.change_id}"
    assert verify(subscription.secret, first, body)
    assert verify(subscription.secret, second, body_again)
    assert not verify("whsec_" + base64.b64encode(b"x" * 24).decode(), second, body_again)
    event = json.loads(body_again)
    assert event["type"] == "content.published"
    assert event["data"]["type"] == "red-flags"
    assert event["data"]["slug"] == "calf-swelling"
    assert event["data"]["grades"][0] == "safety"
    assert {"field": "urgency", "grade": "safety"} in event["data"]["changes"]


@pytest.fixture
def recorded(transactional_db):
    source = f.SourceFactory(slug="seed")
    exercise = f.ExerciseFactory(slug="calf-stretch", reps=3, sources=[source])
    notices.record_changes.call()
    return exercise


def _last(slug):
    return m.ContentChange.objects.filter(slug=slug).order_by("-id").first()


def test_a_dosage_change_is_clinical_with_the_field_named(recorded):
    recorded.reps = 5
    recorded.save()
    notices.record_changes.call()

    change = _last("calf-stretch")
    assert change.event == m.ChangeEvent.UPDATED
    assert change.grades == ["clinical"]
    assert change.changes == [{"field": "dosage", "grade": "clinical"}]


def test_a_wording_change_is_editorial(recorded):
    recorded.summary = "Stretch your calf gently."
    recorded.save()
    notices.record_changes.call()

    assert _last("calf-stretch").changes == [{"field": "summary", "grade": "editorial"}]


def test_a_removal_is_announced(recorded):
    recorded.status = m.Status.ARCHIVED
    recorded.save()
    notices.record_changes.call()

    change = _last("calf-stretch")
    assert change.event == m.ChangeEvent.REMOVED
    assert notices.change_representation(change)["url"] is None


def test_a_red_flag_linked_to_a_cause_is_a_safety_change_of_the_cause(transactional_db):
    cause = f.CauseFactory(slug="bakers-cyst")
    notices.record_changes.call()

    f.CauseRedFlagFactory(cause=cause, red_flag=f.RedFlagFactory(slug="severe-pain"))
    notices.record_changes.call()

    change = _last("bakers-cyst")
    assert change.grades == ["safety"]
    assert change.changes == [{"field": "red_flags", "grade": "safety"}]


def test_a_save_that_changes_nothing_public_is_no_event(recorded):
    before = m.ContentChange.objects.count()
    recorded.save()
    notices.record_changes.call()

    assert m.ContentChange.objects.count() == before


def test_the_changes_feed_pages_by_cursor_and_filters_by_grade(api_client, recorded):
    recorded.reps = 6
    recorded.save()
    f.RedFlagFactory(slug="severe-pain")
    notices.record_changes.call()

    everything = api_client.get("/api/v1/changes/").json()
    first = api_client.get("/api/v1/changes/?limit=1").json()
    paged, page = [], first
    while True:
        paged += page["results"]
        if not page["has_more"]:
            break
        page = api_client.get(page["next"]).json()
    safety = api_client.get("/api/v1/changes/?grade=safety").json()

    events = [(c["slug"], c["event"]) for c in everything["results"]]
    assert events.index(("calf-stretch", "content.updated")) < events.index(
        ("severe-pain", "content.published")
    )
    assert first["has_more"] and len(first["results"]) == 1
    assert paged == everything["results"]
    assert page["cursor"] == everything["cursor"]
    assert [c["slug"] for c in safety["results"]] == ["severe-pain"]
    assert safety["cursor"] == everything["cursor"]


@pytest.mark.parametrize("query", ["since=999", "grade=urgent", "limit=0", "since=x"])
def test_bad_feed_parameters_are_problems(api_client, db, query):
    response = api_client.get(f"/api/v1/changes/?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_backoff_doubles():
    assert [notices.backoff(n).total_seconds() for n in (1, 2, 3)] == [30.0, 60.0, 120.0]
