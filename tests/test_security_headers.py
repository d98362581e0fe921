"""Pages that run scripts are served under a strict Content-Security-Policy."""

import pytest


@pytest.mark.parametrize("path", ["/admin/login/", "/api/v1/docs/", "/api/v1/redoc/"])
def test_pages_forbid_inline_and_third_party_scripts(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    directives = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def test_swagger_ui_loads_its_initialiser_as_a_file_not_inline(client, db):
    page = client.get("/api/v1/docs/").content.decode()
    assert "<script>" not in page
