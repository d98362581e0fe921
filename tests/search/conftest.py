import pytest


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.API_RATE_ANON = None
    settings.API_RATE_PARTNER = None
