"""The production storage: an S3-compatible bucket through django-storages (moto's in-process
S3 stands in for it). Files land under content-addressed keys with the immutable Cache-Control,
and the API's URLs point at the bucket with hashes matching the stored objects."""

import hashlib

import boto3
import pytest
from moto import mock_aws

from content_app import models as m
from tests import factories as f
from tests.media.conftest import png, published_asset

BUCKET = "kneecare-media"


@pytest.fixture
def bucket(settings, monkeypatch):
    for name, value in (
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_DEFAULT_REGION", "eu-west-2"),
    ):
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("s3", region_name="eu-west-2")
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
        )
        storage = settings.MEDIA_S3_STORAGE
        options = {**storage["OPTIONS"], "bucket_name": BUCKET, "region_name": "eu-west-2"}
        settings.STORAGES = {**settings.STORAGES, "default": {**storage, "OPTIONS": options}}
        yield client


def test_uploads_go_to_the_bucket_with_immutable_caching_and_verifiable_urls(
    api_client, db, bucket
):
    exercise = f.ExerciseFactory(slug="bridge")
    asset = published_asset(slug="bridge-start", data=png(700, 500))
    exercise.media_links.create(media=asset, role="start")

    entry = api_client.get("/api/v1/exercises/bridge/").json()["media"][0]

    assert len(entry["renditions"]) == 4
    for file in entry["renditions"]:
        prefix = f"https://{BUCKET}.s3.amazonaws.com/"
        assert file["url"].startswith(prefix)
        key = file["url"].removeprefix(prefix)
        assert key.startswith("media/renditions/")
        stored = bucket.get_object(Bucket=BUCKET, Key=key)
        body = stored["Body"].read()
        assert hashlib.sha256(body).hexdigest() == file["sha256"] == key.rsplit("/")[-1][:64]
        assert len(body) == file["bytes"]
        assert stored["CacheControl"] == "public, max-age=31536000, immutable"
        assert stored["ContentType"] == {"webp": "image/webp", "jpeg": "image/jpeg"}[file["format"]]
    keys = {o["Key"] for o in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert f"media/{asset.original.name}" in keys


def _admin(client, db):
    client.force_login(f.UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def _form(**overrides):
    from tests.media.test_admin import form_data

    return {**form_data(), **overrides}


def _break_the_bucket(bucket, monkeypatch, how):
    if how == "bucket gone":
        bucket.delete_bucket(Bucket=BUCKET)
    else:  # the endpoint does not answer
        from botocore.exceptions import EndpointConnectionError
        from storages.backends.s3 import S3Storage

        def unreachable(self, name, content):
            raise EndpointConnectionError(endpoint_url="https://s3.eu-west-2.amazonaws.com")

        monkeypatch.setattr(S3Storage, "_save", unreachable)
        monkeypatch.setattr(S3Storage, "exists", lambda self, name: False)


@pytest.mark.parametrize("how", ["bucket gone", "endpoint down"])
def test_an_s3_failure_during_an_admin_upload_is_a_form_error_and_nothing_is_saved(
    client, db, bucket, monkeypatch, caplog, how
):
    """Before: the storage error escaped save_model and the editor got a 500."""
    from tests.media.conftest import upload

    admin = _admin(client, db)
    _break_the_bucket(bucket, monkeypatch, how)

    with caplog.at_level("ERROR", logger="content_app.media"):
        response = admin.post(
            "/admin/content_app/mediaasset/add/",
            {**_form(), "upload": upload(png(700, 500), "start.png")},
        )

    assert response.status_code == 200
    page = response.content.decode()
    assert "The image could not be stored" in page
    assert 'value="Heel slide: start"' in page  # the editor's text is kept in the form
    assert "Person lying on their back with both legs straight." in page
    assert not m.MediaAsset.objects.exists() and not m.MediaRendition.objects.exists()
    assert any("media storage failed" in r.getMessage() for r in caplog.records)


def test_a_new_image_that_cannot_be_stored_leaves_the_published_one_untouched(
    client, db, bucket, monkeypatch
):
    from tests.media.conftest import upload

    asset = published_asset(slug="bridge-start", data=png(700, 500))
    before = (asset.sha256, asset.original.name, sorted(asset.renditions.values_list("sha256")))
    admin = _admin(client, db)
    page = admin.get(f"/admin/content_app/mediaasset/{asset.pk}/change/")
    revision = page.context["adminform"].form.initial.get("loaded_revision", asset.revision)
    _break_the_bucket(bucket, monkeypatch, "endpoint down")

    response = admin.post(
        f"/admin/content_app/mediaasset/{asset.pk}/change/",
        {
            **_form(title="Bridge start, redrawn", slug="bridge-start"),
            "status": asset.status,
            "loaded_revision": revision,
            "upload": upload(png(900, 600), "redrawn.png"),
        },
    )

    assert response.status_code == 200
    assert "The image could not be stored" in response.content.decode()
    asset.refresh_from_db()
    after = (asset.sha256, asset.original.name, sorted(asset.renditions.values_list("sha256")))
    assert after == before and asset.title == "Glute bridge: start position"
