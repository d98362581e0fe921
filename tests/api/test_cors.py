"""CORS (django-cors-headers): the read API from any origin, without credentials; not the admin."""

import pytest

from tests.factories import CauseFactory

pytestmark = pytest.mark.django_db

ORIGIN = "https://partner.example"


def test_preflight_for_the_key_headers_is_answered(client):
    response = client.options(
        "/api/v1/causes/",
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="x-api-key, authorization, if-none-match",
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    allowed = {h.strip() for h in response["Access-Control-Allow-Headers"].split(",")}
    assert {"x-api-key", "authorization", "if-none-match"} <= allowed
    assert "Access-Control-Allow-Credentials" not in response
    assert "Content-Type" not in response  # nothing under /api/ claims text/html


@pytest.mark.parametrize("repeat", [1, 2])  # the second answer is a response-cache hit
def test_reads_from_another_origin_expose_the_partner_headers(client, repeat):
    CauseFactory(slug="bakers-cyst")
    for _ in range(repeat):
        response = client.get("/api/v1/causes/", HTTP_ORIGIN=ORIGIN)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    exposed = {h.strip() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert exposed >= {"ETag", "RateLimit", "RateLimit-Policy", "Retry-After", "Link"}
    assert exposed >= {"Deprecation", "Sunset", "X-Request-ID"}
    assert "origin" in response["Vary"].lower()


def test_errors_are_readable_cross_origin_too(client):
    response = client.get("/api/v1/causes/?colour=red", HTTP_ORIGIN=ORIGIN)

    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_admin_is_not_cross_origin(client):
    response = client.get("/admin/login/", HTTP_ORIGIN=ORIGIN)

    assert "Access-Control-Allow-Origin" not in response


def test_the_allowed_origins_are_configurable(client, settings):
    settings.CORS_ALLOW_ALL_ORIGINS = False
    settings.CORS_ALLOWED_ORIGINS = [ORIGIN]

    listed = client.get("/api/v1/", HTTP_ORIGIN=ORIGIN)
    other = client.get("/api/v1/", HTTP_ORIGIN="https://elsewhere.example")

    assert listed["Access-Control-Allow-Origin"] == ORIGIN
    assert "Access-Control-Allow-Origin" not in other


def test_the_wsgi_front_leaves_cross_origin_requests_to_the_cors_middleware(db):
    from kneecare.wsgi import application

    CauseFactory(slug="bakers-cyst")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/api/v1/causes/",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": __import__("io").BytesIO(b""),
        "HTTP_HOST": "testserver",
    }
    seen = []

    def start_response(status, headers):
        seen.append({name.lower(): value for name, value in headers})

    for origin in (None, ORIGIN):  # the first fills the memo the front answers from
        request = dict(environ, **({"HTTP_ORIGIN": origin} if origin else {}))
        b"".join(application(request, start_response))

    assert "access-control-allow-origin" not in seen[0]
    assert seen[-1].get("access-control-allow-origin") == "*"
