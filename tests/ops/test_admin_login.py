"""Admin sign-in: django-axes locks a username + address out after a few failures (before
hashing), with a cool-off, logged; password checks are bounded so sign-ins cannot starve the
API. Before: 30 wrong passwords in a row were all tried."""

import logging
import threading
from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from kneecare.ops import login
from tests.factories import UserFactory

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(db):
    return UserFactory(username="clinician", password="right-password", is_staff=True)


def _sign_in(client, password, address="198.51.100.7", username="clinician"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_locked_out_after_five_failures_even_with_the_right_password(client, staff, caplog):
    with caplog.at_level(logging.WARNING, logger="axes"):
        statuses = [_sign_in(client, "wrong").status_code for _ in range(30)]

    assert statuses[:4] == [200] * 4  # the form again, with an error
    assert set(statuses[4:]) == {429}  # the fifth failure locks; the rest are refused
    assert _sign_in(client, "right-password").status_code == 429
    assert any("Locking out" in record.getMessage() for record in caplog.records)


def test_the_lockout_is_per_username_and_address(client, staff):
    for _ in range(5):
        _sign_in(client, "wrong")

    response = _sign_in(client, "right-password", address="198.51.100.8")

    assert response.status_code == 302  # the same user from another address signs in


def test_the_lockout_cools_off(client, staff, settings):
    settings.AXES_COOLOFF_TIME = timedelta(seconds=-1)  # already over
    for _ in range(5):
        _sign_in(client, "wrong")

    assert _sign_in(client, "right-password").status_code == 302


def test_a_locked_out_attempt_is_refused_before_any_password_hashing(client, staff, monkeypatch):
    for _ in range(5):
        _sign_in(client, "wrong")
    hashed = []
    monkeypatch.setattr(
        "django.contrib.auth.base_user.AbstractBaseUser.check_password",
        lambda self, raw: hashed.append(raw) or False,
    )

    assert _sign_in(client, "right-password").status_code == 429
    assert hashed == []


def test_password_checks_beyond_the_concurrency_bound_fail_fast(staff, settings):
    settings.ADMIN_LOGIN_CONCURRENCY = 1
    settings.ADMIN_LOGIN_WAIT = 0.05
    request = RequestFactory().post(LOGIN, REMOTE_ADDR="198.51.100.9")
    slots = login._slots()
    held = threading.Event()
    release = threading.Event()

    def occupy():
        with slots:
            held.set()
            release.wait(5)

    thread = threading.Thread(target=occupy)
    thread.start()
    held.wait(5)
    try:
        refused = authenticate(request, username="clinician", password="right-password")
    finally:
        release.set()
        thread.join()

    assert refused is None
    assert authenticate(request, username="clinician", password="right-password") == staff


def test_a_flood_under_many_usernames_from_one_address_is_refused_before_hashing(
    client, staff, settings, monkeypatch, caplog
):
    """Before: the lockout is per username + address, so 30 distinct usernames were 30 password
    checks on the API's threads. Now sign-in POSTs are limited per address (ADMIN_LOGIN_RATE)."""
    settings.ADMIN_LOGIN_RATE = "10/minute"
    hashed = []
    real_check = login.BoundedModelBackend.authenticate

    def counting(self, request, username=None, password=None, **kwargs):
        hashed.append(username)
        return real_check(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(login.BoundedModelBackend, "authenticate", counting)
    with caplog.at_level(logging.WARNING, logger="kneecare.ops"):
        responses = [_sign_in(client, "wrong", username=f"guess-{n}") for n in range(30)]

    statuses = [response.status_code for response in responses]
    assert statuses[:10] == [200] * 10
    assert set(statuses[10:]) == {429}
    assert len(hashed) == 10  # the refused twenty never reached a password check
    assert 1 <= int(responses[-1]["Retry-After"]) <= 60
    assert any("from address 198.51.100.7" in r.getMessage() for r in caplog.records)
    # Another address is not affected, and GETs of the form are not counted.
    assert client.get(LOGIN, REMOTE_ADDR="198.51.100.7").status_code == 200
    assert _sign_in(client, "right-password", address="198.51.100.20").status_code == 302


def test_the_per_address_limit_can_be_turned_off(client, staff, settings):
    settings.ADMIN_LOGIN_RATE = None
    statuses = {_sign_in(client, "wrong", username=f"guess-{n}").status_code for n in range(25)}

    assert statuses == {200}
