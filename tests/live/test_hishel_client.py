"""A standards HTTP cache (hishel, RFC 9111 mode) as the mobile client, against gunicorn.

It stores what the API allows, revalidates with the validators it was given, and gets 304s;
a sync poll is revalidated every time, so an edit reaches it at once (issue 10 item 3).
"""

import json

import hishel
import pytest
from hishel.httpx import CacheClient

SLUG = "bakers-cyst"


@pytest.fixture
def client(front, tmp_path):
    storage = hishel.SqliteStorage(database_path=tmp_path / "hishel.db")
    with CacheClient(base_url=f"http://127.0.0.1:{front.port}", rfc=True, storage=storage) as c:
        yield c


def _status(response):
    caching = response.extensions["caching"]
    return caching["from_cache"], caching["revalidated"]


def test_details_are_stored_reused_and_revalidated_with_304(client):
    first = client.get(f"/api/v1/causes/{SLUG}/")
    assert first.status_code == 200 and _status(first) == (False, False)
    again = client.get(f"/api/v1/causes/{SLUG}/")
    assert _status(again) == (True, False)  # fresh for max-age: no request at all
    revalidated = client.get(f"/api/v1/causes/{SLUG}/", headers={"Cache-Control": "no-cache"})
    assert revalidated.status_code == 200 and _status(revalidated) == (True, True)
    assert revalidated.content == first.content


def test_the_bundle_sent_from_its_file_is_stored_and_revalidated_with_304(client):
    first = client.get("/api/v1/bundle/")  # httpx asks for br/gzip: a compressed stored file
    assert first.status_code == 200 and _status(first) == (False, False)
    assert first.headers["Content-Encoding"] in ("br", "gzip")
    assert int(first.headers["Content-Length"]) == first.num_bytes_downloaded
    revalidated = client.get("/api/v1/bundle/", headers={"Cache-Control": "no-cache"})
    assert revalidated.status_code == 200 and _status(revalidated) == (True, True)
    assert revalidated.json() == first.json()
    assert revalidated.json()["content"]["causes"]


def test_a_polling_sync_client_sees_an_edit_at_once(client, writer):
    cursor = client.get("/api/v1/bundle/").json()["cursor"]
    idle = client.get(f"/api/v1/sync/?since={cursor}")
    assert idle.json()["changed"] == {}
    repeat = client.get(f"/api/v1/sync/?since={cursor}")
    assert _status(repeat) == (True, True)  # stored, and revalidated with the server (304)
    try:
        writer.send(f"rename {SLUG} Edited for hishel")
        after = client.get(f"/api/v1/sync/?since={cursor}")
        assert not after.extensions["caching"]["from_cache"]
        names = [item["name"] for item in after.json()["changed"]["causes"]]
        assert names == ["Edited for hishel"]
    finally:
        writer.send(f"rename {SLUG} Baker's cyst")
    assert (
        json.loads(
            client.get(f"/api/v1/causes/{SLUG}/", headers={"Cache-Control": "no-cache"}).content
        )["name"]
        == "Baker's cyst"
    )
