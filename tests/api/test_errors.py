"""Every error under /api/ is application/problem+json (RFC 9457), also with DEBUG on."""

import pytest
from django.test import Client

from content_app.api.v1.views import CauseViewSet

pytestmark = pytest.mark.django_db

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def assert_problem(response, status, name):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status
    assert body["type"] == f"urn:kneecare:problem:{name}"
    assert "Traceback" not in response.content.decode()
    return body


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def client(request, settings):
    settings.DEBUG = request.param
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v9/",
        "/api/v9/causes/",
        "/api/v1/nothing-here/",
        "/api/",
        "/api",
        "/api/v1/causes/a/b/",
    ],
)
def test_unknown_routes_and_versions_are_404_problems(client, path):
    body = assert_problem(client.get(path), 404, "not-found")

    assert body["instance"] == path


def test_unknown_route_with_any_method_is_a_404_problem(client):
    assert_problem(client.post("/api/v2/causes/"), 404, "not-found")


def test_missing_trailing_slash_still_redirects(client):
    response = client.get("/api/v1/causes?page=1")

    assert response.status_code == 301
    assert response["Location"] == "/api/v1/causes/?page=1"


def test_write_methods_are_405_with_allow(client):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/v1/causes/")
        assert_problem(response, 405, "method-not-allowed")
        assert response["Allow"] == "GET, HEAD"


def test_options_is_405_too(client):
    assert_problem(client.options("/api/v1/causes/"), 405, "method-not-allowed")


def test_html_only_accept_is_406(client):
    response = client.get("/api/v1/causes/", HTTP_ACCEPT="text/html")

    assert_problem(response, 406, "not-acceptable")


def test_validation_problem_names_every_parameter(client):
    response = client.get("/api/v1/causes/?onset=sudden&colour=red&page_size=500")

    body = assert_problem(response, 400, "invalid-parameter")
    assert {p["name"] for p in body["invalid_params"]} == {"colour"}  # unknown names first


def test_filter_errors_name_each_parameter(client):
    body = assert_problem(
        client.get("/api/v1/causes/?onset=sudden&prevalence=often"), 400, "invalid-parameter"
    )

    assert {p["name"] for p in body["invalid_params"]} == {"onset", "prevalence"}
    assert all(p["reason"] for p in body["invalid_params"])


def test_server_error_is_a_500_problem_without_traceback(client, monkeypatch, caplog):
    def explode(self, request, *args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(CauseViewSet, "list", explode)

    response = client.get("/api/v1/causes/")

    body = assert_problem(response, 500, "server-error")
    assert "secret internals" not in response.content.decode()
    assert body["detail"]
    assert "secret internals" in caplog.text  # logged for us, not shown to them


def test_disallowed_host_is_a_400_problem(settings):
    settings.DEBUG = False

    response = Client(raise_request_exception=False).get("/api/v1/", HTTP_HOST="evil.example")

    assert_problem(response, 400, "bad-request")


def test_errors_are_not_cached_and_not_html_outside_the_api_stays_html(client):
    assert client.get("/api/v1/causes/nope/")["Cache-Control"] == "no-store"
    assert client.get("/nowhere/")["Content-Type"].startswith("text/html")
