"""Load-balancer probes: liveness touches nothing, readiness names what fails (503)."""

import pytest
from django.core.cache import caches
from django.db.migrations.recorder import MigrationRecorder


def test_liveness_touches_neither_database_nor_cache(client, settings):
    # No database access is allowed in this test (pytest-django raises), and the cache fails.
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "tests.mobile.broken_cache.BrokenCache"},
    }
    response = client.get("/health/live")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_readiness_is_200_when_database_cache_and_migrations_are_fine(client, migrated):
    response = client.get("/health/ready", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert set(response.json().values()) == {"OK"}
    assert "no-cache" in response["Cache-Control"]


def test_readiness_is_503_naming_unapplied_migrations(client, migrated):
    MigrationRecorder.Migration.objects.filter(app="content_app").delete()

    response = client.get("/health/ready")

    assert response.status_code == 503
    assert response["Retry-After"]
    assert response["Content-Type"].startswith("text/plain")
    assert "migration(s) not applied: content_app.0001_initial" in response.content.decode()


def test_readiness_is_503_naming_the_cache_when_it_fails(client, migrated, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "tests.mobile.broken_cache.BrokenCache"},
    }
    response = client.get("/health/ready?format=json")

    assert response.status_code == 503
    failed = {check: state for check, state in response.json().items() if state != "OK"}
    assert list(failed) == ["Cache(alias='default')"]


@pytest.mark.parametrize("path", ["/health/live", "/health/ready"])
def test_probes_are_outside_rate_limits(client, migrated, settings, path):
    settings.API_RATE_ANON = "1/minute"

    statuses = {client.get(path).status_code for _ in range(5)}

    assert statuses == {200}
    assert not caches["ratelimit"].get("never-set")
