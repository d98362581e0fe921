"""Deprecation / Sunset / Link rel="deprecation" headers, switched on by settings."""

import pytest

pytestmark = pytest.mark.django_db

PLAN = {"deprecation": "2027-01-01", "sunset": "2027-07-01", "link": "https://example.org/v2"}


def test_nothing_is_deprecated_by_default(api_client):
    response = api_client.get("/api/v1/")

    assert "Deprecation" not in response and "Sunset" not in response


def test_a_deprecated_version_says_so_on_every_operation(api_client, settings, graph):
    settings.API_LIFECYCLE = {"v1": PLAN}

    for path in ("/api/v1/", "/api/v1/causes/", "/api/v1/causes/hamstring-tendinopathy/"):
        for _ in range(2):  # the second answer is a response-cache hit
            response = api_client.get(path)
            assert response["Deprecation"] == "@1798761600", path  # RFC 9745 date
            assert response["Sunset"] == "Thu, 01 Jul 2027 00:00:00 GMT", path  # RFC 8594
            assert response["Link"] == (
                '<https://example.org/v2>; rel="deprecation"; type="text/html", '
                '<https://example.org/v2>; rel="sunset"; type="text/html"'
            )


def test_one_operation_can_be_deprecated_alone(api_client, settings, graph):
    settings.API_LIFECYCLE = {"v1:causes-list": {"deprecation": "2027-01-01"}}

    assert api_client.get("/api/v1/causes/")["Deprecation"] == "@1798761600"
    assert "Deprecation" not in api_client.get("/api/v1/symptoms/")
    assert "Sunset" not in api_client.get("/api/v1/causes/")


def test_the_wsgi_front_adds_them_to_its_hits(settings, graph):
    import io

    from kneecare.wsgi import application

    settings.API_LIFECYCLE = {"v1": PLAN}
    seen = []
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/api/v1/causes/",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
    }
    for _ in range(2):
        b"".join(
            application(
                {**environ, "wsgi.input": io.BytesIO(b"")},
                lambda status, headers, *exc: seen.append(dict(headers)),
            )
        )

    assert all(headers.get("Deprecation") == "@1798761600" for headers in seen)
