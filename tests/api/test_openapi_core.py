"""Real responses validated against the committed contract with openapi-core (a validator
independent of drf-spectacular): 200s with their caching headers, 304s, HEADs and problems."""

import json
from pathlib import Path

import pytest
import yaml
from openapi_core import Config, OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

_SPEC = yaml.safe_load((Path(__file__).resolve().parents[2] / "openapi" / "v1.yaml").read_text())
# The committed contract exactly as a partner has it: no conversion (OpenAPI 3.1, whose
# nullable references are JSON Schema unions with null).
CONTRACT = OpenAPI.from_dict(
    _SPEC,
    config=Config(extra_media_type_deserializers={"application/problem+json": json.loads}),
)
COLLECTIONS = (
    "anatomy",
    "causes",
    "symptoms",
    "risk-factors",
    "red-flags",
    "exercises",
    "treatments",
    "sources",
)


def _paths(api_client):
    paths = ["/api/v1/", "/api/v1/search/?q=knee", "/api/v1/bundle/", "/api/v1/sync/?limit=5"]
    for collection in COLLECTIONS:
        paths.append(f"/api/v1/{collection}/?page_size=3")
        first = api_client.get(f"/api/v1/{collection}/").json()["results"][0]
        paths.append(f"/api/v1/{collection}/{first['slug']}/")
    return paths


def _validate(response):
    CONTRACT.validate_response(
        DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
    )


@pytest.mark.launch_content
def test_real_responses_304s_and_heads_match_the_contract(api_client, launch_content):
    validated = 0
    for path in _paths(api_client):
        for encoding in ("identity", "gzip"):
            headers = {"HTTP_ACCEPT_ENCODING": encoding}
            ok = api_client.get(path, **headers)
            assert ok.status_code == 200, (path, ok.content[:200])
            if encoding == "identity":
                _validate(ok)  # the body too (openapi-core reads it as JSON)
                validated += 1
            not_modified = api_client.get(path, HTTP_IF_NONE_MATCH=ok["ETag"], **headers)
            assert not_modified.status_code == 304
            _validate(not_modified)
            head = api_client.head(path, **headers)
            assert head.status_code == 200 and head.content == b""
            _validate(head)
            validated += 2
    for problem in ("/api/v1/causes/no-such-cause/", "/api/v1/causes/?page_size=500"):
        _validate(api_client.get(problem))
        validated += 1
    assert validated > 50


def test_a_304_carries_exactly_what_rfc_9110_lists(api_client, db):
    ok = api_client.get("/api/v1/causes/")
    not_modified = api_client.get("/api/v1/causes/", HTTP_IF_NONE_MATCH=ok["ETag"])
    assert not_modified.status_code == 304
    # Representation metadata: exactly what RFC 9110 §15.4.5 lists. Operational headers that
    # describe the exchange, not the representation (request id, rate-limit budget), may join.
    operational = {"x-request-id", "ratelimit", "ratelimit-policy"}
    names = {name.lower() for name in not_modified.headers} - operational
    assert names == {"etag", "cache-control", "vary"}
