"""The media admin: upload with preview, clear form errors for bad files, review and publish."""

import pytest
from django.contrib.auth.models import Group

from content_app import models as m
from content_app import services
from content_app.roles import EDITOR, PUBLISHER, REVIEWER, sync_editorial_groups
from tests import factories as f
from tests.media.conftest import jpeg, png, published_asset, upload, zip_bytes

ADD = "/admin/content_app/mediaasset/add/"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def team(db):
    sync_editorial_groups()
    users = {}
    for name, group in (("ed", EDITOR), ("rev", REVIEWER), ("pub", PUBLISHER)):
        user = f.UserFactory(username=name)
        user.groups.add(Group.objects.get(name=group))
        users[group] = user
    return users


@pytest.fixture
def editor_client(client, team):
    client.force_login(team[EDITOR])
    return client


def form_data(**overrides):
    data = {
        "title": "Heel slide: start",
        "slug": "heel-slide-start",
        "kind": "image",
        "video_url": "",
        "alt_text": "Person lying on their back with both legs straight.",
        "caption": "Start position.",
        "credit": "Drawn for KneeCare",
        "licence": "own-work",
        "source": "Drawn with Pillow for the test suite",
        "loaded_revision": "",
    }
    return {**data, **overrides}


def test_an_editor_uploads_an_image_and_sees_its_preview(editor_client):
    response = editor_client.post(
        ADD, {**form_data(), "upload": upload(png(1000, 800), "start.png")}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    asset = m.MediaAsset.objects.get(slug="heel-slide-start")
    assert asset.status == m.Status.DRAFT
    assert asset.renditions.count() == 4  # 320 and 640, WebP and JPEG
    page = editor_client.get(f"/admin/content_app/mediaasset/{asset.pk}/change/").content.decode()
    smallest = asset.renditions.order_by("width", "-format").first()
    assert f'src="{smallest.file.url}"' in page
    assert 'alt="Person lying on their back with both legs straight."' in page
    assert "never use the file name" in page  # the alt text prompt
    listing = editor_client.get("/admin/content_app/mediaasset/").content.decode()
    assert "media-thumbnail" in listing


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            "a.svg",
            "SVG files are not accepted",
        ),
        (b"plain text pretending", "a.png", "This file is text, not an image"),
        (jpeg(300, 200) + zip_bytes(), "a.jpg", "also contains a ZIP archive"),
    ],
)
def test_a_bad_file_is_a_form_error_not_a_500(editor_client, data, name, message):
    response = editor_client.post(ADD, {**form_data(), "upload": upload(data, name)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not m.MediaAsset.objects.exists()


def test_alt_text_and_an_image_are_required(editor_client):
    response = editor_client.post(ADD, form_data(alt_text="", licence=""))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "alt_text" in errors and "licence" in errors
    assert errors["upload"] == ["Upload the image file."]


def test_a_video_needs_a_youtube_or_vimeo_link(editor_client):
    bad = editor_client.post(ADD, form_data(kind="video", video_url="https://evil.example/v/1"))
    assert "Give a YouTube or Vimeo link" in bad.content.decode()
    good = editor_client.post(
        ADD, form_data(kind="video", video_url="https://youtu.be/dQw4w9WgXcQ")
    )
    assert good.status_code == 302
    asset = m.MediaAsset.objects.get()
    assert (asset.video_provider, asset.video_id) == ("youtube", "dQw4w9WgXcQ")


def test_media_goes_through_review_and_publish_like_any_content(team):
    asset = published_asset(
        status=m.Status.DRAFT,
        reviewed_at=None,
        reviewed_by=None,
        reviewer_name="",
        reviewer_role="",
    )
    services.submit_for_review(item=asset, user=team[EDITOR])
    with pytest.raises(services.WorkflowError) as refused:
        services.publish(item=asset, user=team[PUBLISHER])
    assert "No review is recorded" in refused.value.problems[0]
    services.record_review(item=asset, user=team[REVIEWER])
    services.publish(item=asset, user=team[PUBLISHER])
    asset.refresh_from_db()
    assert asset.status == m.Status.PUBLISHED and asset.reviewed_by == team[REVIEWER]
    reasons = list(asset.history.values_list("history_change_reason", flat=True))
    assert "Published" in reasons and "Submitted for review" in reasons


def test_publish_is_refused_without_a_licence(team):
    asset = published_asset(status=m.Status.IN_REVIEW, licence="")
    with pytest.raises(services.WorkflowError) as refused:
        services.publish(item=asset, user=team[PUBLISHER])
    assert refused.value.problems == ["No licence is set."]
    asset.refresh_from_db()
    assert asset.status == m.Status.IN_REVIEW


def test_reverting_an_asset_restores_its_earlier_image(team, settings):
    from content_app import media

    asset = published_asset(status=m.Status.DRAFT, data=png(500, 400))
    first = asset.history.order_by("history_date").last()
    old_files = set(asset.renditions.values_list("sha256", flat=True))
    media.attach_image(asset=asset, processed=media.process_image(png(800, 700)))
    assert set(asset.renditions.values_list("sha256", flat=True)) != old_files

    services.revert_to_version(item=asset, version_id=first.history_id, user=team[EDITOR])
    asset.refresh_from_db()
    assert set(asset.renditions.values_list("sha256", flat=True)) == old_files
    assert asset.width == 500


def test_the_exercise_form_has_an_ordered_media_inline(client, team):
    exercise = f.ExerciseFactory(status=m.Status.DRAFT)
    asset = published_asset()
    m.ExerciseMedia.objects.create(exercise=exercise, media=asset, role="start", order=1)
    client.force_login(team[EDITOR])
    page = client.get(f"/admin/content_app/exercise/{exercise.pk}/change/").content.decode()
    assert "pictures and videos (in order" in page.lower()
    assert 'name="media_links-0-order"' in page
    assert asset.renditions.order_by("width", "-format").first().file.url in page


def test_the_workflow_command_publishes_media(team, capsys):
    from django.core.management import call_command

    asset = published_asset(slug="cli-picture", status=m.Status.IN_REVIEW)
    call_command("workflow", "publish", "media", "cli-picture", "--as", team[PUBLISHER].username)
    asset.refresh_from_db()
    assert asset.status == m.Status.PUBLISHED
    assert "cli-picture: “Glute bridge: start position” was published." in capsys.readouterr().out
