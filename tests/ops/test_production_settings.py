"""Production refuses to boot with a weak secret key or DEBUG on; with the documented
production environment `check --deploy` reports nothing; logs are JSON there."""

import json
import os
import secrets
import subprocess
import sys

import pytest

from tests.ops.servers import ROOT

PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "api.example.org",
}


def _python(code: str, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "PYTEST"))}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "kneecare.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "override",
    [
        {"DJANGO_SECRET_KEY": ""},  # what a copied .env.example used to give
        {"DJANGO_SECRET_KEY": "abc"},
        {"DJANGO_SECRET_KEY": "django-insecure-" + "x1y2z3" * 10},
        {"DJANGO_SECRET_KEY": "a" * 60},  # long but not random
        {"DJANGO_DEBUG": "true"},
    ],
    ids=["empty", "short", "default", "repetitive", "debug"],
)
def test_production_refuses_to_start(override):
    result = _python("import django; django.setup()", **{**PRODUCTION, **override})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_documented_production_env_passes_check_deploy_and_logs_json():
    code = (
        "import django, logging; django.setup();"
        "from django.core.management import call_command;"
        "call_command('check', deploy=True, fail_level='WARNING');"
        "from django.conf import settings;"
        "print(settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS);"
        "logging.getLogger('kneecare').warning('hello')"
    )
    result = _python(code, **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "31536000 True" in result.stdout
    assert "System check identified no issues" in result.stdout
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "hello"
    assert line["level"] == "WARNING"
    assert line["request_id"] == "none"  # outside a request


def test_a_copied_env_example_does_not_boot_production():
    lines = (ROOT / ".env.example").read_text().splitlines()
    example = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))

    result = _python("import django; django.setup()", **{**example, "DJANGO_ENV": "production"})

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
