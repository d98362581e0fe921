"""What a partner's generated client (openapi-python-client) and strict validators run into.

Generated clients send array parameters as `?fields=a&fields=b` whatever `explode: false` says;
the schema and docs views render their own errors. Each test here pins one of those fixes.
"""

import json
import runpy
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from gunicorn.config import Config

from content_app.models import PartnerKey

pytestmark = pytest.mark.django_db


def _schema():
    return SchemaGenerator(api_version="v1").get_schema(request=None, public=True)


def test_repeated_fields_parameter_means_the_comma_separated_list(api_client, graph):
    repeated = api_client.get("/api/v1/anatomy/?fields=slug&fields=name")
    joined = api_client.get("/api/v1/anatomy/?fields=slug,name")

    assert repeated.status_code == 200, repeated.content
    assert repeated.json() == joined.json()
    assert all(set(item) == {"slug", "name"} for item in repeated.json()["results"])


def test_repeated_expand_and_fields_on_a_detail_mean_the_list(api_client, graph):
    path = "/api/v1/causes/hamstring-tendinopathy/"
    repeated = api_client.get(
        f"{path}?expand=symptoms&expand=structures&fields=slug&fields=symptoms"
    )
    joined = api_client.get(f"{path}?expand=symptoms,structures&fields=slug,symptoms")

    assert repeated.status_code == 200, repeated.content
    assert repeated.json() == joined.json()
    assert set(repeated.json()) == {"slug", "symptoms"}
    assert all("item" in link for link in repeated.json()["symptoms"])


def test_repeated_ordering_parameter_sorts_by_every_key(api_client, graph):
    repeated = api_client.get("/api/v1/anatomy/?ordering=-kind&ordering=name&fields=slug")
    joined = api_client.get("/api/v1/anatomy/?ordering=-kind,name&fields=slug")

    assert repeated.status_code == 200, repeated.content
    assert repeated.json() == joined.json()


def test_repeated_bundle_fields_mean_the_list(api_client, graph):
    repeated = api_client.get("/api/v1/bundle/?fields=slug&fields=name")
    joined = api_client.get("/api/v1/bundle/?fields=slug,name")

    assert repeated.status_code == 200, repeated.content
    assert repeated.json() == joined.json()


@pytest.mark.parametrize(
    "query",
    [
        "fields=slug&fields=",  # an empty name is still invalid
        "fields=slug&fields=bogus",
        "ordering=name&ordering=bogus",
    ],
)
def test_repeated_list_parameters_are_still_validated(api_client, graph, query):
    response = api_client.get(f"/api/v1/anatomy/?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [p["name"] for p in response.json()["invalid_params"]] == [query.split("=")[0]]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/anatomy/?page=1&page=2",
        "/api/v1/anatomy/?kind=muscle&kind=bone",
        "/api/v1/search/?q=knee&q=cyst",
        "/api/v1/sync/?since=0&since=1",
    ],
)
def test_repeated_scalar_parameters_are_a_400(api_client, graph, path):
    response = api_client.get(path)

    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["reason"] == "Given more than once."


def test_nullable_references_are_json_schema_unions_with_null():
    """OpenAPI 3.1: `anyOf: [$ref, {type: 'null'}]`, read alike by openapi-core (unmodified,
    tests/api/test_openapi_core.py), openapi-python-client (`None | Reference`),
    datamodel-code-generator's strict pydantic (`Reference | None`) and openapi-typescript
    (`Reference | null`, tests/partners/test_typescript.py). No 3.0 `nullable` is left."""
    schema = _schema()
    properties = schema["components"]["schemas"]["AnatomyList"]["properties"]

    assert schema["openapi"] == "3.1.0"
    assert properties["parent"]["anyOf"] == [
        {"$ref": "#/components/schemas/AnatomyReference"},
        {"type": "null"},
    ]
    assert properties["reviewer_role"]["anyOf"] == [
        {"$ref": "#/components/schemas/ReviewerRoleEnum"},
        {"type": "null"},
    ]
    assert "nullable" not in json.dumps(schema) and "NullEnum" not in json.dumps(schema)


@pytest.fixture
def strict_client():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("path", ["/api/v1/schema/", "/api/v1/docs/", "/api/v1/redoc/"])
@pytest.mark.parametrize("method", ["options", "post", "put", "delete"])
def test_schema_and_docs_answer_other_methods_with_a_json_problem(strict_client, path, method):
    response = getattr(strict_client, method)(path)

    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response["Allow"] == "GET, HEAD"
    body = response.json()
    assert body["type"] == "urn:kneecare:problem:method-not-allowed"
    assert body["instance"] == path


def test_schema_view_answers_an_unknown_format_with_a_json_problem(strict_client):
    response = strict_client.get("/api/v1/schema/?format=xml")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_schema_is_still_served_as_yaml(strict_client):
    response = strict_client.get("/api/v1/schema/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    assert response.content.startswith(b"openapi: 3.1.0")


@pytest.mark.parametrize("path", ["/api/v1/anatomy", "/api/v1/anatomy/hamstrings"])
def test_missing_slash_redirect_has_no_html_content_type(strict_client, graph, path):
    response = strict_client.get(path + "?fields=slug")

    assert response.status_code == 301
    assert response["Location"] == path + "/?fields=slug"
    assert "Content-Type" not in response
    assert response.content == b""


@pytest.mark.parametrize(
    "accept",
    ["application/json;q=0, text/html", "application/json; q=0.0", "*/*;q=0"],
)
def test_a_media_range_with_q_0_is_refused(strict_client, graph, accept):
    response = strict_client.get("/api/v1/anatomy/", HTTP_ACCEPT=accept)

    assert response.status_code == 406
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    "accept", ["application/json;q=0.5, text/html;q=0.9", "application/json;q=oops", "*/*"]
)
def test_json_is_still_served_when_acceptable_at_any_quality(strict_client, graph, accept):
    response = strict_client.get("/api/v1/anatomy/", HTTP_ACCEPT=accept)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


@pytest.fixture
def partner_key(db):
    _, key = PartnerKey.objects.create_key(name="generated client")
    return key


def test_bearer_key_as_generated_clients_send_it_is_accepted(api_client, partner_key, settings):
    # Only a recognised key escapes the anonymous limit of 1 request.
    settings.API_RATE_ANON = "1/minute"
    settings.API_RATE_PARTNER = "100/minute"
    headers = {"HTTP_AUTHORIZATION": f"Bearer {partner_key}"}

    statuses = [api_client.get("/api/v1/", **headers).status_code for _ in range(3)]

    assert statuses == [200, 200, 200]


@pytest.mark.parametrize("value", ["Bearer nope.nope", "bearer nope", "Bearer "])
def test_invalid_bearer_key_is_a_401_not_a_silent_anonymous_read(api_client, db, value):
    response = api_client.get("/api/v1/", HTTP_AUTHORIZATION=value)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    # The challenge names the scheme the client used (RFC 6750), not Api-Key.
    assert response["WWW-Authenticate"] == 'Bearer realm="api", error="invalid_token"'


def test_gunicorn_lets_long_request_lines_reach_the_api():
    """A 5,000-character `q` must get the API's 400 problem, not gunicorn's HTML 414 page."""
    path = Path(settings.BASE_DIR) / "gunicorn.conf.py"
    config = Config()
    config.set("limit_request_line", runpy.run_path(str(path))["limit_request_line"])

    assert config.limit_request_line == 8190  # gunicorn's maximum short of "unlimited"


def test_very_long_search_query_is_a_400_problem(api_client, graph):
    response = api_client.get("/api/v1/search/", {"q": "k" * 5000})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["invalid_params"][0]["name"] == "q"


def test_a_value_holding_an_ampersand_cannot_poison_another_querys_cache_entry(api_client, graph):
    hostile = api_client.get("/api/v1/search/?q=hamstring%26type%3Dcauses")
    honest = api_client.get("/api/v1/search/?q=hamstring&type=causes")

    assert hostile.status_code == honest.status_code == 200
    # One odd word matches nothing exactly (typo-tolerant search may offer a correction).
    assert hostile.json()["count"] == 0 or hostile.json()["did_you_mean"]
    assert hostile.json() != honest.json()
    results = honest.json()["results"]
    assert [r["slug"] for r in results] == ["hamstring-tendinopathy"]
