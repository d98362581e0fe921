"""Unit tests of content_app/caching's parts: the header write, negotiation, validators, and
the content version (signals, stale-if-error)."""

import pytest
from django.db import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from content_app.caching import conditional, entries, negotiation, version
from tests import factories as f


def test_write_headers_private_store_and_public_fallback_agree():
    store = entries.header_store({"ETag": '"abc"', "Cache-Control": "no-cache", "Vary": "Accept"})
    fast, slow = HttpResponse(b"x"), HttpResponse(b"x")
    assert isinstance(fast.headers._store, dict)  # fails loudly if Django drops the store
    entries.write_headers(fast, store)

    class NoStore:  # what ResponseHeaders would look like without `_store`
        def __init__(self, headers):
            self.headers = headers

        def __setitem__(self, name, value):
            self.headers[name] = value

    wrapper = type("R", (), {"headers": NoStore(slow.headers)})()
    entries.write_headers(wrapper, store)
    assert dict(fast.items()) == dict(slow.items())
    assert fast["ETag"] == '"abc"'


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, ("identity",)),
        ("", ("identity",)),
        ("gzip", ("gzip", "identity")),
        ("br;q=0.1, gzip;q=1.0", ("gzip", "identity", "br")),  # identity is implicitly q=1
        ("br, gzip", ("br", "gzip", "identity")),
        ("gzip;q=0, br;q=0", ("identity",)),
        ("identity;q=0, gzip", ("gzip",)),
        ("*;q=0", ("identity",)),  # nothing acceptable: identity anyway
        ("*", ("br", "gzip", "identity")),
        ("x-gzip", ("gzip", "identity")),
        ("gzip;q=bad, br", ("br", "identity")),
        ("GZIP; Q=0.5, identity;q=0.4", ("gzip", "identity")),
    ],
)
def test_accept_encoding_q_values(header, expected):
    negotiation.clear()
    assert negotiation.acceptable_codings(header) == expected


def _entry():
    return {
        "bodies": {"identity": b"a", "gzip": b"b", "br": b"c"},
        "etags": {c: conditional.etag_for("h", c) for c in ("identity", "gzip", "br")},
        "last_modified_ts": 1_000_000,
    }


@pytest.mark.parametrize(
    ("encoding", "if_none_match", "expected"),
    [
        ("identity", '"h-gzip"', ("identity", False)),  # a gzip tag never matches identity
        ("identity", '"h"', ("identity", True)),
        ("identity", 'W/"h"', ("identity", True)),  # weak comparison
        ("br, gzip", '"h-gzip"', ("gzip", True)),  # the variant the cache holds
        ("br, gzip", '"h-gzip", "h-br"', ("br", True)),
        ("br", '"h-gzip"', ("br", False)),
        ("gzip", '"other"', ("gzip", False)),
        ("gzip", "*", ("gzip", True)),
    ],
)
def test_if_none_match_per_coding(encoding, if_none_match, expected):
    request = RequestFactory().get(
        "/", HTTP_ACCEPT_ENCODING=encoding, HTTP_IF_NONE_MATCH=if_none_match
    )
    assert conditional.select(request, _entry()) == expected


def test_if_modified_since_is_ignored_when_if_none_match_is_sent():
    request = RequestFactory().get(
        "/", HTTP_IF_NONE_MATCH='"other"', HTTP_IF_MODIFIED_SINCE="Sun, 01 Jan 2034 00:00:00 GMT"
    )
    assert conditional.select(request, _entry()) == ("identity", False)


def test_file_signal_changes_on_every_announcement(tmp_path):
    signal = version.FileSignal(tmp_path / "stamp")
    tokens = {signal.read()}
    for _ in range(3):
        signal.announce()
        tokens.add(signal.read())
    assert len(tokens) == 4


def test_a_change_is_seen_at_once_not_after_a_ttl(db, settings, django_assert_num_queries):
    settings.API_CACHE_VERSION_TTL = 3600
    before = version.content_version()
    with django_assert_num_queries(0):
        assert version.content_version() == before  # the signal did not move
    f.SymptomFactory(sources=[])
    assert version.content_version().head > before.head


def test_stale_if_error_keeps_the_last_known_version(db, settings, monkeypatch):
    settings.API_CACHE_VERSION_TTL = 0  # every request would re-read
    known = version.content_version()

    def down():
        raise OperationalError("connection refused")

    monkeypatch.setattr(version, "read_version_from_db", down)
    assert version.content_version() == known
    version.signal().announce()  # even a moved signal cannot reach the database
    assert version.content_version() == known
    version.forget_content_version()
    with pytest.raises(OperationalError):  # nothing known: the middleware answers 503
        version.content_version()


def test_the_middleware_answers_503_when_no_version_was_ever_read(api_client, db, monkeypatch):
    def down():
        raise OperationalError("connection refused")

    monkeypatch.setattr(version, "read_version_from_db", down)
    response = api_client.get("/api/v1/causes/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "5"


def test_a_view_losing_the_database_answers_503(api_client, db, monkeypatch):
    from content_app.api.v1 import sync

    def down():
        raise OperationalError("server closed the connection")

    monkeypatch.setattr(sync, "current_head", down)
    response = api_client.get("/api/v1/sync/")
    assert response.status_code == 503
    assert response.json()["type"] == "urn:kneecare:problem:service-unavailable"
    assert int(response["Retry-After"]) > 0
