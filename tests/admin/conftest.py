"""Editorial users: one per role, in the groups the data migration creates."""

import pytest
from django.contrib.auth.models import Group

from content_app.roles import EDITOR, PUBLISHER, REVIEWER, sync_editorial_groups
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editorial_groups(db):
    # Tests run without migrations: build the groups the way 0002_editorial_groups does.
    sync_editorial_groups()


def _member(username, group_name):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(editorial_groups):
    return _member("ed", EDITOR)


@pytest.fixture
def reviewer(editorial_groups):
    return _member("rev", REVIEWER)


@pytest.fixture
def publisher(editorial_groups):
    return _member("pub", PUBLISHER)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)


@pytest.fixture
def login(client):
    """A logged-in test client for `user` (a fresh client per call: separate sessions)."""
    from django.test import Client

    def _login(user):
        session = Client()
        session.force_login(user)
        return session

    return _login
