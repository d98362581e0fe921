"""Partners' change notices in the admin: subscriptions per key, the delivery log."""

import pytest

from content_app import models as m
from content_app import notices
from content_app.models import PartnerKey
from tests import factories as f
from tests.admin.helpers import admin_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivery():
    api_key, _ = PartnerKey.objects.create_key(name="partner app")
    m.WebhookSubscription.objects.create(api_key=api_key, url="https://partner.example/hooks")
    f.RedFlagFactory(slug="severe-pain")
    notices.record_changes.call()
    delivery = m.WebhookDelivery.objects.get(change__slug="severe-pain")  # fanned out
    m.WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=2, last_status_code=500)
    return delivery


def test_the_key_page_manages_its_subscriptions(login, superuser, delivery):
    response = login(superuser).get(admin_url(delivery.subscription.api_key))

    assert response.status_code == 200
    page = response.content.decode()
    assert "https://partner.example/hooks" in page
    assert delivery.subscription.secret in page  # shown to give to the partner


def test_the_delivery_log_lists_attempts_and_is_read_only(login, superuser, delivery):
    session = login(superuser)

    listed = session.get(admin_url(m.WebhookDelivery, "changelist"))
    add = session.get(admin_url(m.WebhookDelivery, "add"))

    assert listed.status_code == 200
    assert "severe-pain" in listed.content.decode()
    assert add.status_code == 403


def test_a_new_subscription_gets_a_standard_webhooks_secret(delivery):
    secret = delivery.subscription.secret

    assert secret.startswith("whsec_")
    assert len(__import__("base64").b64decode(secret.removeprefix("whsec_"))) == 24
