"""The production storage: an S3-compatible bucket through django-storages (moto's in-process
S3 stands in for it). Files land under content-addressed keys with the immutable Cache-Control,
and the API's URLs point at the bucket with hashes matching the stored objects."""

import hashlib

import boto3
import pytest
from moto import mock_aws

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
