"""The WSGI front answers every request exactly as Django would, or hands it over untouched.

Bytes on a socket against gunicorn serving kneecare.wsgi:application (the front) and the
same request against gunicorn serving Django alone: same status, same body, never a 5xx, and
under /api/ never HTML. Each request is sent twice to the front (the second may be a memo hit).
"""

import pytest

from tests.live.servers import get, raw_request

FLOOD = b"&".join(b"a%d=1" % n for n in range(1001))
ODD_TARGETS = [
    "/api/v1/causes/膝/".encode(),  # raw UTF-8 in the request line
    b"/api/v1/causes/%E8%86%9D/",
    "/api/v1/search/?q=膝".encode(),
    b"/api/v1/search/?q=%E8%86%9D",
    b"/api/v1/causes/%FF/",  # not UTF-8
    b"/api/v1/causes/%00/",
    b"/api/v1/search/?q=%00",
    b"/api/v1/search/?q=%FF%FE",
    b"/api/v1/causes/?%FF=1",
    b"/api/v1/causes/?" + FLOOD,  # 1,001 parameters
    b"/api/v1/causes/?" + b"&".join([b"page=1"] * 1001),
    b"/api/v1/causes/?page=1" + b"&" * 2000,
    b"/api/v1/causes/?",
    b"//api/v1/causes/",
    b"/api/v1//causes/",
    b"/api/v1/causes/%2e%2e/",
    b"/api/v1/causes/../symptoms/",
    b"/api/v1/causes/;a=b",
    b"/api/v1/causes",
    b"/api/v1/" + b"x" * 7000,
    b"/api/v1/causes/?page_size=" + b"9" * 5000,
    b"/api/v1/causes/?fields=slug%2Cname&fields=summary",
    b"/api/v1/sync/?since=0&limit=2",
    b"/api/v1/causes/",
]
ODD_HEADERS = [
    {f"X-Flood-{n}": "v" * 50 for n in range(90)},
    {"X-Long": "v" * 7000},
    {"Accept-Encoding": "br;q=0.1, gzip;q=1.0"},
    {"Accept-Encoding": "gzip;q=0, identity"},
    {"Accept-Encoding": "*;q=0"},
    {"Accept-Encoding": "identity;q=0, br"},
    {"Accept-Encoding": "x-gzip, ;;;q=abc,,"},
    {"Accept": "application/json;q=0"},
    {"Accept": "text/html"},
    {"Accept": "*/*;q=0.5, application/json"},
    {"If-None-Match": 'W/"x", ,"'},
    {"If-None-Match": "*"},
    {"If-Modified-Since": "yesterday"},
    {"Accept-Language": "ja, 膝".encode().decode("latin-1")},
]


def _comparable(answer):
    status, headers, body = answer
    keep = {"content-type", "etag", "content-encoding", "cache-control", "vary", "location"}
    return status, {k: v for k, v in headers.items() if k in keep}, body


def _check(target, status, headers, body):
    assert status < 500
    if gunicorn_rejected(status, body):
        return  # gunicorn's own answer: no Python of ours ran
    if target.startswith(b"/api/") and status not in (301, 304):
        assert headers["content-type"] in ("application/json", "application/problem+json")


def gunicorn_rejected(status, body) -> bool:
    return status == 400 and body.startswith(b"<html>") and b"Bad Request" in body


@pytest.mark.parametrize("target", ODD_TARGETS, ids=lambda t: t[:40].decode("latin-1"))
def test_odd_paths_and_parameter_floods(front, bare, target):
    expected = get(bare.port, target)
    _check(target, *expected)
    for _ in range(2):
        assert _comparable(get(front.port, target)) == _comparable(expected)


@pytest.mark.parametrize("headers", ODD_HEADERS, ids=lambda h: next(iter(h))[:20])
def test_odd_headers_and_header_floods(front, bare, headers):
    target = "/api/v1/causes/?page_size=50"
    expected = get(bare.port, target, headers)
    _check(target.encode(), *expected)
    for _ in range(2):
        assert _comparable(get(front.port, target, headers)) == _comparable(expected)


def test_q_values_choose_the_coding(front):
    status, headers, _ = get(front.port, "/api/v1/causes/", {"Accept-Encoding": "br;q=0.1, gzip"})
    assert (status, headers["content-encoding"]) == (200, "gzip")


def test_head_and_revalidation_over_the_wire(front):
    _, headers, _ = get(front.port, "/api/v1/causes/")
    head = get(front.port, "/api/v1/causes/", method="HEAD")
    assert head[0] == 200 and head[2] == b"" and head[1]["etag"] == headers["etag"]
    not_modified = get(front.port, "/api/v1/causes/", {"If-None-Match": headers["etag"]})
    assert not_modified[0] == 304 and not_modified[2] == b""
    # Besides the connection's own headers, the request id and the rate-limit budget describe
    # the exchange, not the representation.
    exchange = {"date", "server", "connection", "x-request-id", "ratelimit", "ratelimit-policy"}
    assert set(not_modified[1]) - exchange == {
        "etag",
        "cache-control",
        "vary",
    }


def test_gunicorn_rejections_never_reach_the_app(front):
    """Over gunicorn's limits (100 header fields, 8190-byte request line or header) gunicorn
    itself answers 4xx before any Python of ours runs (documented in the README)."""
    too_many = b"".join(b"X-%d: v\r\n" % n for n in range(120))
    status, _, _ = raw_request(
        front.port, b"GET /api/v1/ HTTP/1.1\r\nHost: 127.0.0.1\r\n" + too_many + b"\r\n"
    )
    assert 400 <= status < 500
    status, _, _ = get(front.port, b"/api/v1/?q=" + b"x" * 9000)
    assert 400 <= status < 500
