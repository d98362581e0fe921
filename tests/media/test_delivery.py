"""Media in the API: exercise/anatomy/treatment details, the bundle's manifest and sync, with
hashes that match the bytes the media URLs serve; bounded query counts; immutable caching."""

import hashlib

import pytest
from django.core.files.storage import default_storage

from content_app import models as m
from content_app.changelog import current_head
from tests import factories as f
from tests.media.conftest import png, published_asset


def fetch(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content)


def assert_files_match_storage(client, asset_entry):
    assert asset_entry["renditions"], asset_entry
    for file in asset_entry["renditions"]:
        served = fetch(client, file["url"])
        assert hashlib.sha256(served).hexdigest() == file["sha256"]
        assert len(served) == file["bytes"]
        name = file["url"].removeprefix("/media/")
        with default_storage.open(name) as stored:
            assert stored.read() == served


@pytest.fixture
def illustrated(db):
    exercise = f.ExerciseFactory(slug="glute-bridge", name="Glute bridge")
    start = published_asset(slug="bridge-start", data=png(1600, 1200))
    end = published_asset(slug="bridge-end", data=png(900, 700), caption="End position.")
    draft = published_asset(slug="draft-picture", status=m.Status.DRAFT)
    m.ExerciseMedia.objects.create(exercise=exercise, media=end, role=m.MediaRole.END, order=2)
    m.ExerciseMedia.objects.create(exercise=exercise, media=start, role=m.MediaRole.START, order=1)
    m.ExerciseMedia.objects.create(exercise=exercise, media=draft, order=0)
    return exercise


def test_exercise_detail_lists_published_media_in_order_with_every_file(api_client, illustrated):
    detail = api_client.get("/api/v1/exercises/glute-bridge/").json()

    assert [(e["slug"], e["role"], e["order"]) for e in detail["media"]] == [
        ("bridge-start", "start", 1),
        ("bridge-end", "end", 2),
    ]
    start = detail["media"][0]
    assert start["alt_text"].startswith("Person lying on their back")
    assert start["licence"] == "own-work" and start["licence_url"] is None
    assert start["credit"] == "Drawn for KneeCare" and start["video"] is None
    assert (start["width"], start["height"]) == (1600, 1200)
    assert [(r["width"], r["format"]) for r in start["renditions"]] == [
        (320, "jpeg"),
        (320, "webp"),
        (640, "jpeg"),
        (640, "webp"),
        (1280, "jpeg"),
        (1280, "webp"),
    ]
    assert {r["licence"] for r in start["renditions"]} == {"own-work"}
    assert_files_match_storage(api_client, start)


def test_media_files_are_served_with_immutable_caching(api_client, illustrated):
    url = api_client.get("/api/v1/exercises/glute-bridge/").json()["media"][0]["renditions"][1]
    response = api_client.get(url["url"])
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == url["sha256"]
    assert api_client.get("/media/../kneecare/settings.py").status_code == 404
    assert api_client.get("/media/renditions/00/missing.webp").status_code == 404


def test_anatomy_and_treatment_details_carry_their_media(api_client, db):
    structure = f.AnatomyStructureFactory(slug="popliteus")
    treatment = f.TreatmentFactory(slug="ice-pack")
    diagram = published_asset(slug="popliteus-diagram")
    m.AnatomyMedia.objects.create(structure=structure, media=diagram)
    m.TreatmentMedia.objects.create(treatment=treatment, media=diagram)
    for url in ("/api/v1/anatomy/popliteus/", "/api/v1/treatments/ice-pack/"):
        assert [e["slug"] for e in api_client.get(url).json()["media"]] == ["popliteus-diagram"]


def test_video_media_carries_a_privacy_enhanced_embed(api_client, db):
    exercise = f.ExerciseFactory(slug="squat")
    video = m.MediaAsset.objects.create(
        slug="squat-video",
        kind=m.MediaKind.VIDEO,
        title="Squat",
        alt_text="Video of a person doing a slow squat.",
        caption="Squat",
        credit="Example",
        licence=m.MediaLicence.PERMISSION,
        source="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        video_provider=m.VideoProvider.YOUTUBE,
        video_id="dQw4w9WgXcQ",
        status=m.Status.PUBLISHED,
    )
    m.ExerciseMedia.objects.create(exercise=exercise, media=video, role="demonstration")
    entry = api_client.get("/api/v1/exercises/squat/").json()["media"][0]
    assert entry["renditions"] == []
    assert entry["video"] == {
        "provider": "youtube",
        "id": "dQw4w9WgXcQ",
        "embed_url": "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        "watch_url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    }


def test_bundle_manifest_lists_every_published_file_with_its_hash_and_size(api_client, illustrated):
    body = api_client.get("/api/v1/bundle/").json()
    manifest = body["media"]

    assert [a["slug"] for a in manifest["assets"]] == ["bridge-end", "bridge-start"]
    files = [file for asset in manifest["assets"] for file in asset["renditions"]]
    assert manifest["file_count"] == len(files) == 6 + 4  # 1600 px: 3 widths; 900 px: 2
    assert manifest["total_bytes"] == sum(file["bytes"] for file in files)
    for asset in manifest["assets"]:
        assert_files_match_storage(api_client, asset)
    detail = body["content"]["exercises"][0]["media"][0]
    listed = {a["slug"]: a for a in manifest["assets"]}[detail["slug"]]
    assert detail["renditions"] == listed["renditions"]


def test_sync_reports_media_changes_and_removals(api_client, illustrated):
    cursor = current_head()
    asset = m.MediaAsset.objects.get(slug="bridge-start")
    asset.alt_text = "Lying on the back, knees bent, feet flat, arms by the sides."
    asset.save()

    page = api_client.get("/api/v1/sync/", {"since": cursor}).json()
    assert [a["slug"] for a in page["changed"]["media"]] == ["bridge-start"]
    assert page["changed"]["media"][0]["alt_text"].startswith("Lying on the back")
    assert_files_match_storage(api_client, page["changed"]["media"][0])
    # The exercise showing it is re-sent too, with the new alt text.
    exercise = page["changed"]["exercises"][0]
    assert exercise["media"][0]["alt_text"] == asset.alt_text

    cursor = page["cursor"]
    asset.status = m.Status.DRAFT
    asset.save()
    page = api_client.get("/api/v1/sync/", {"since": cursor}).json()
    assert {"type": "media", "slug": "bridge-start"} in page["removed"]
    assert "media" not in page["changed"]
    assert [e["slug"] for e in page["changed"]["exercises"][0]["media"]] == ["bridge-end"]


def test_attaching_and_detaching_media_re_sends_the_exercise(api_client, illustrated):
    cursor = current_head()
    extra = published_asset(slug="bridge-side-view")
    page = api_client.get("/api/v1/sync/", {"since": cursor}).json()
    assert [a["slug"] for a in page["changed"]["media"]] == ["bridge-side-view"]

    cursor = page["cursor"]
    link = m.ExerciseMedia.objects.create(exercise=illustrated, media=extra, order=3)
    page = api_client.get("/api/v1/sync/", {"since": cursor}).json()
    assert [e["slug"] for e in page["changed"]["exercises"][0]["media"]][-1] == "bridge-side-view"

    cursor = page["cursor"]
    link.delete()
    page = api_client.get("/api/v1/sync/", {"since": cursor}).json()
    assert "bridge-side-view" not in [e["slug"] for e in page["changed"]["exercises"][0]["media"]]


def test_a_deleted_asset_is_a_tombstone(api_client, db):
    asset = published_asset(slug="lonely")
    cursor = current_head()
    asset.delete()
    page = api_client.get("/api/v1/sync/", {"since": cursor}).json()
    assert page["removed"] == [{"type": "media", "slug": "lonely"}]


def _illustrate(exercise, n):
    for i in range(n):
        asset = published_asset(slug=f"{exercise.slug}-{i}", data=png(400 + i, 300))
        m.ExerciseMedia.objects.create(exercise=exercise, media=asset, order=i)


@pytest.mark.parametrize("api_type", ["exercises"])
def test_detail_and_bundle_query_counts_do_not_grow_with_media(
    api_client, db, settings, api_type, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.MIDDLEWARE = [mw for mw in settings.MIDDLEWARE if "ApiCacheMiddleware" not in mw]
    one = f.ExerciseFactory(slug="one")
    many = f.ExerciseFactory(slug="many")
    _illustrate(one, 1)

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert api_client.get(url).status_code == 200
        return len(queries)

    small_detail, small_bundle = count("/api/v1/exercises/one/"), count("/api/v1/bundle/")
    _illustrate(many, 5)
    # the exercise, steps, 4 relations, sources, the disclaimer, media links, their renditions
    with django_assert_max_num_queries(10):
        api_client.get("/api/v1/exercises/many/")
    assert count("/api/v1/exercises/many/") == small_detail
    assert count("/api/v1/bundle/") == small_bundle
