"""Partner keys (issue 12): a name, an owner contact, their own rate, and requests per day
counted in the rate-limit store (no database write per request) and flushed to a daily table
by a task on the real queue; visible in admin. Before: keys had only a name, one shared rate
and no usage at all."""

import io
import re

import pytest
from django.core import signals
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from content_app import models as m
from content_app import partners
from tests.admin.helpers import admin_url
from tests.factories import CauseFactory, UserFactory

pytestmark = pytest.mark.django_db

WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)", re.IGNORECASE)


@pytest.fixture
def partner():
    api_key, key = m.PartnerKey.objects.create_key(
        name="Acme Health", owner_email="api@acme.example"
    )
    return api_key, key


def _usage(api_key):
    return {
        row.day: (row.requests, row.limited)
        for row in m.ApiKeyUsage.objects.filter(api_key=api_key)
    }


def test_a_key_has_an_owner_contact_and_its_own_rate(api_client, partner, settings):
    settings.API_RATE_PARTNER = "100/minute"
    api_key, key = partner
    api_key.rate_limit = "2/minute"
    api_key.save()

    statuses = [api_client.get("/api/v1/", HTTP_X_API_KEY=key).status_code for _ in range(3)]
    response = api_client.get("/api/v1/", HTTP_X_API_KEY=key)

    assert statuses == [200, 200, 429]
    assert response["RateLimit-Policy"] == '"partner";q=2;w=60'
    assert m.PartnerKey.objects.get().owner_email == "api@acme.example"


@pytest.mark.parametrize("rate", ["lots", "10/fortnight", "0/minute", "10 per hour"])
def test_a_rate_the_limiter_cannot_read_is_refused(partner, rate):
    api_key, _ = partner
    api_key.rate_limit = rate

    with pytest.raises(ValidationError) as error:
        api_key.full_clean()
    assert "rate_limit" in error.value.message_dict


@pytest.mark.parametrize("rate", ["10000/hour", "600/m", "100/5m", "5/second", "100000/day"])
def test_rates_in_django_ratelimit_form_are_accepted(partner, rate):
    api_key, _ = partner
    api_key.rate_limit = rate
    api_key.full_clean()


def test_keyed_requests_are_counted_without_a_database_write_each(api_client, partner):
    api_key, key = partner
    CauseFactory(slug="bakers-cyst")
    flushes = DBTaskResult.objects.filter(task_path="content_app.partners.flush_usage")
    # Rows committed by earlier tests' worker processes may remain: count what these add.
    before = flushes.count()
    with CaptureQueriesContext(connection) as queries:
        for _ in range(20):
            assert api_client.get("/api/v1/causes/", HTTP_X_API_KEY=key).status_code == 200
    writes = [q["sql"] for q in queries.captured_queries if WRITES.match(q["sql"])]

    # 20 requests, one write: the flush task enqueued once per API_USAGE_FLUSH_SECONDS.
    assert len(writes) == 1 and "django_tasks_database_dbtaskresult" in writes[0]
    assert partners.live_counts([api_key.pk]) == {api_key.pk: 20}
    assert flushes.count() - before == 1


def test_anonymous_requests_count_for_no_key(api_client, partner):
    api_key, _ = partner
    api_client.get("/api/v1/")

    assert partners.live_counts([api_key.pk]) == {}


def test_refused_requests_are_counted_apart(api_client, partner, settings):
    settings.API_RATE_PARTNER = "2/minute"
    api_key, key = partner
    for _ in range(5):
        api_client.get("/api/v1/", HTTP_X_API_KEY=key)

    partners.flush()

    assert list(_usage(api_key).values()) == [(5, 3)]


@pytest.fixture
def keep_test_connection():
    """The real WSGI handler closes the database connection at request end, which would end
    the test's transaction on PostgreSQL; Django's test client leaves it open the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_cached_hits_and_304s_through_the_wsgi_front_are_counted_once_each(
    partner, keep_test_connection
):
    from kneecare.wsgi import application

    api_key, key = partner
    CauseFactory(slug="bakers-cyst")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/api/v1/causes/",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "HTTP_HOST": "testserver",
    }
    seen = []

    def start_response(status, headers, exc_info=None):
        seen.append((int(status[:3]), {name.lower(): value for name, value in headers}))

    def get(**extra):
        request = dict(environ, **{"wsgi.input": io.BytesIO(b"")}, **extra)
        b"".join(application(request, start_response))
        return seen[-1]

    get()  # anonymous: fills the memo the front answers anonymous hits from
    get()  # answered by the front; no key, nothing counted
    first = get(HTTP_X_API_KEY=key)  # the stored entry, through the cache's gate
    again = get(HTTP_AUTHORIZATION=f"Api-Key {key}")
    revalidated = get(HTTP_X_API_KEY=key, HTTP_IF_NONE_MATCH=first[1]["etag"])

    assert [first[0], again[0], revalidated[0]] == [200, 200, 304]
    assert partners.live_counts([api_key.pk]) == {api_key.pk: 3}


def test_the_flush_task_writes_requests_per_day_and_never_lowers_them(transactional_db, api_client):
    partner = m.PartnerKey.objects.create_key(name="Acme Health", owner_email="api@acme.example")
    api_key, key = partner
    for _ in range(4):
        api_client.get("/api/v1/", HTTP_X_API_KEY=key)

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)  # the real queue
    (day,) = _usage(api_key)
    assert _usage(api_key) == {day: (4, 0)}

    api_client.get("/api/v1/", HTTP_X_API_KEY=key)
    partners.flush()
    partners.flush()  # idempotent: the counter holds the day's total
    assert _usage(api_key) == {day: (5, 0)}

    caches["ratelimit"].clear()  # the store lost its counters (a Redis restart)
    api_client.get("/api/v1/", HTTP_X_API_KEY=key)
    partners.flush()
    assert _usage(api_key) == {day: (5, 0)}


def test_the_command_flushes_by_hand(partner, api_client):
    api_key, key = partner
    api_client.get("/api/v1/", HTTP_X_API_KEY=key)
    out = io.StringIO()

    call_command("flush_api_usage", stdout=out)

    assert "1 usage row(s) written" in out.getvalue()
    assert list(_usage(api_key).values()) == [(1, 0)]


def test_admin_shows_owner_rate_and_usage(client, partner, api_client):
    api_key, key = partner
    for _ in range(3):
        api_client.get("/api/v1/", HTTP_X_API_KEY=key)
    partners.flush()
    api_client.get("/api/v1/", HTTP_X_API_KEY=key)  # today's live figure is one ahead
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))

    listed = client.get(admin_url(m.PartnerKey, "changelist")).content.decode()
    page = client.get(admin_url(api_key)).content.decode()
    usage = client.get(admin_url(m.ApiKeyUsage, "changelist")).content.decode()

    assert "api@acme.example" in listed
    assert re.search(r'class="field-requests_today">4<', listed)
    assert "3000/minute (default)" in listed
    assert 'name="owner_email"' in page and 'name="rate_limit"' in page
    assert re.search(r'class="field-requests">\s*<p>3</p>|field-requests[^>]*>3<', page)
    assert "Acme Health" in usage


def test_admin_issues_a_key_with_owner_and_rate(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))

    response = client.post(
        admin_url(m.PartnerKey, "add"),
        {
            "name": "Beta Clinic",
            "owner_email": "dev@beta.example",
            "rate_limit": "10000/hour",
            "webhooks-TOTAL_FORMS": "0",
            "webhooks-INITIAL_FORMS": "0",
            "usage-TOTAL_FORMS": "0",
            "usage-INITIAL_FORMS": "0",
        },
        follow=True,
    )

    key = m.PartnerKey.objects.get()
    assert (key.owner_email, key.rate_limit) == ("dev@beta.example", "10000/hour")
    assert "The API key for Beta Clinic is:" in response.content.decode()
