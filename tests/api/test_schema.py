"""The OpenAPI contract: warning-free, equal to openapi/v1.yaml, served and documented."""

import datetime
import json
import os
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

from content_app.api.v1 import examples

pytestmark = pytest.mark.django_db

COMMITTED = Path(settings.BASE_DIR) / "openapi" / "v1.yaml"
EXAMPLES_DATE = datetime.date(2026, 12, 1)
ERROR_STATUSES = {"400", "401", "405", "406", "429", "500"}


@pytest.fixture(scope="module")
def generated(tmp_path_factory, django_db_blocker):
    """`manage.py spectacular` exactly as `make schema` runs it: any warning is an error."""
    path = tmp_path_factory.mktemp("schema") / "v1.yaml"
    with django_db_blocker.unblock():
        call_command(
            "spectacular",
            "--api-version",
            "v1",
            "--validate",
            "--fail-on-warn",
            "--file",
            str(path),
        )
    return path.read_text()


def test_schema_generation_is_warning_free(db):
    GENERATOR_STATS.reset()

    SchemaGenerator(api_version="v1").get_schema(request=None, public=True)

    assert not GENERATOR_STATS, {
        "warnings": GENERATOR_STATS._warn_cache,
        "errors": GENERATOR_STATS._error_cache,
    }


def test_generated_schema_equals_the_committed_contract(generated):
    assert COMMITTED.read_text() == generated, "schema drift: run `make schema` and review the diff"


def test_every_operation_documents_its_errors_as_problem_json(generated):
    schema = yaml.safe_load(generated)
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert set(responses) >= ERROR_STATUSES, (method, path)
            if method == "head":  # the GET's answers without bodies
                assert set(responses) == set(item["get"]["responses"]), path
                assert not any("content" in response for response in responses.values()), path
                continue
            for status in ERROR_STATUSES:
                assert list(responses[status]["content"]) == ["application/problem+json"], (
                    method,
                    path,
                    status,
                )
            assert operation.get("description") and operation.get("summary"), (method, path)
            for parameter in operation.get("parameters", []):
                assert parameter.get("description"), (method, path, parameter["name"])


def test_every_operation_has_a_200_example(generated):
    schema = yaml.safe_load(generated)
    for path, item in schema["paths"].items():
        if path.startswith(("/api/v1/sync/", "/api/v1/bundle/")):
            continue  # mobile delivery documents its own examples
        operation = item.get("get") or item["post"]  # the self-check is a POST
        content = operation["responses"]["200"]["content"]["application/json"]
        assert content.get("examples"), path


def test_security_schemes_are_declared_and_optional(generated):
    schema = yaml.safe_load(generated)

    schemes = schema["components"]["securitySchemes"]
    assert schemes["ApiKeyAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": schemes["ApiKeyAuth"]["description"],
    }
    assert schemes["XApiKeyAuth"]["name"] == "X-Api-Key"
    causes = schema["paths"]["/api/v1/causes/"]["get"]
    assert schemes["BearerAuth"]["scheme"] == "bearer"
    assert causes["security"] == [{"ApiKeyAuth": []}, {"XApiKeyAuth": []}, {"BearerAuth": []}, {}]


@pytest.mark.parametrize(
    ("query", "accept", "content_type"),
    [
        ("", "", "application/vnd.oai.openapi"),
        ("?format=json", "", "application/vnd.oai.openapi+json"),
        ("", "application/json", "application/json"),
    ],
)
def test_schema_is_served_as_yaml_and_json(api_client, query, accept, content_type):
    headers = {"HTTP_ACCEPT": accept} if accept else {}

    response = api_client.get(f"/api/v1/schema/{query}", **headers)

    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    body = response.content.decode()
    loaded = json.loads(body) if "json" in content_type else yaml.safe_load(body)
    assert loaded["info"]["title"] == "KneeCare content API"
    assert "/api/v1/causes/{slug}/" in loaded["paths"]


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_docs_are_served_without_internet(client, path):
    response = client.get(path)

    assert response.status_code == 200
    html = response.content.decode()
    assert "drf_spectacular_sidecar" in html  # assets come from the sidecar package
    assert "cdn." not in html and "unpkg.com" not in html


@pytest.mark.launch_content
def test_examples_are_what_the_api_serves_for_the_launch_content(
    api_client, launch_content, monkeypatch
):
    # `review_status` follows the calendar: the examples are as of the day they were made.
    monkeypatch.setattr(timezone, "localdate", lambda *args: EXAMPLES_DATE)
    served = {}
    for name, request in examples.example_requests().items():
        response = api_client.get(request)
        assert response.status_code == 200, request
        served[name] = response.json()

    if os.environ.get("UPDATE_API_EXAMPLES"):
        examples.EXAMPLES_FILE.write_text(json.dumps(served, indent=1, ensure_ascii=False) + "\n")
    stored = json.loads(examples.EXAMPLES_FILE.read_text())
    if connection.vendor != "sqlite":
        # Stored from SQLite: lists sort by collation and search ranks differently elsewhere.
        stored = {name: value for name, value in stored.items() if name.endswith("-detail")}
        served = {name: served[name] for name in stored}
    assert stored == served, (
        "examples drifted: UPDATE_API_EXAMPLES=1 pytest tests/api/test_schema.py"
    )


def test_every_get_declares_304_head_and_the_caching_headers(generated):
    schema = yaml.safe_load(generated)
    for path, item in schema["paths"].items():
        if "get" not in item:
            continue
        get = item["get"]
        assert "head" in item, path
        assert set(get["responses"]["200"]["headers"]) >= {"ETag", "Cache-Control", "Vary"}, path
        not_modified = get["responses"]["304"]
        assert "content" not in not_modified, path
        assert set(not_modified["headers"]) == {"ETag", "Cache-Control", "Vary"}, path
        assert {"If-None-Match", "If-Modified-Since"} <= {p["name"] for p in get["parameters"]}
