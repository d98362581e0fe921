"""Issue 15 end to end in a real browser: an editor uploads an image and attaches it to an
exercise, a reviewer reviews both, a publisher publishes both; the exercise's detail, the
bundle's media manifest and sync then carry the image with hashes matching the served bytes.

Reuses the browser, team and Desk of test_editorial_flow (headless Debian Chromium).
"""

import hashlib
import json
import urllib.request

import pytest

from content_app import models as m
from content_app.roles import EDITOR, PUBLISHER, REVIEWER
from tests import factories as f
from tests.e2e import test_editorial_flow as editorial_flow
from tests.media.conftest import png

pytestmark = pytest.mark.browser

# The editorial flow's fixtures and desk, shared.
browser = editorial_flow.browser
team = editorial_flow.team
artifacts = editorial_flow.artifacts
Desk = editorial_flow.Desk

ALT = "Person lying on their back, one heel sliding towards the buttocks."


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.API_RATE_ANON = None
    return settings.MEDIA_ROOT


def _get(base_url, path) -> bytes:
    url = path if path.startswith("http") else f"{base_url}{path}"
    with urllib.request.urlopen(url) as response:
        return response.read()


def _json(base_url, path):
    return json.loads(_get(base_url, path))


def _assert_files_verify(base_url, asset):
    assert asset["renditions"]
    for file in asset["renditions"]:
        # (Django's live server answers MEDIA_URL itself, so the immutable Cache-Control of
        # our media view is checked in tests/media/test_delivery.py instead.)
        with urllib.request.urlopen(f"{base_url}{file['url']}") as response:
            body = response.read()
        assert hashlib.sha256(body).hexdigest() == file["sha256"]
        assert len(body) == file["bytes"]


def _open(desk, model, obj):
    desk.page.goto(f"{desk.base_url}/admin/content_app/{model}/{obj.pk}/change/")


def test_an_editor_attaches_an_image_to_an_exercise_and_it_is_published_with_hashes(
    browser, live_server, team, artifacts, media_root, tmp_path
):
    base = live_server.url
    exercise = f.ExerciseFactory(name="Heel slides", slug="heel-slides", status=m.Status.DRAFT)
    picture = tmp_path / "heel-slide-start.png"
    picture.write_bytes(png(1400, 1000))

    # The editor uploads the image with its alt text, credit and licence.
    editor = Desk(browser, base, artifacts, team[EDITOR])
    page = editor.page
    page.goto(f"{base}/admin/content_app/mediaasset/add/")
    page.fill("#id_title", "Heel slide: start position")
    page.press("#id_title", "Tab")  # prepopulate.js fills the slug from the title on change
    page.fill("#id_slug", "heel-slide-start")
    page.set_input_files("#id_upload", str(picture))
    page.fill("#id_alt_text", ALT)
    page.fill("#id_caption", "Start with both legs straight.")
    page.fill("#id_credit", "Drawn for KneeCare")
    page.select_option("#id_licence", "own-work")
    page.fill("#id_source", "Drawn with Pillow for this test")
    page.click("input[name=_continue]")
    page.wait_for_selector("#workflow")
    editor.shot("media-1-editor-uploaded")
    assert list(m.MediaAsset.objects.values_list("slug", flat=True)) == ["heel-slide-start"]
    asset = m.MediaAsset.objects.get(slug="heel-slide-start")
    assert asset.renditions.count() == 6
    preview = page.locator("img.media-thumbnail").first
    assert preview.get_attribute("alt") == ALT
    assert page.evaluate("img => img.naturalWidth", preview.element_handle()) > 0  # it loaded
    assert "was submitted for review" in editor.press("submit")

    # ...and attaches it to the exercise as its start position.
    _open(editor, "exercise", exercise)
    page.click("#media_links-group .add-row a")
    editor.autocomplete("#media_links-0", "Heel slide: start position")
    page.select_option("#id_media_links-0-role", "start")
    page.fill("#id_media_links-0-order", "1")
    page.click("input[name=_continue]")
    page.wait_for_selector("#workflow")
    assert list(exercise.media_links.values_list("media__slug", "role")) == [
        ("heel-slide-start", "start")
    ]
    assert page.locator("#media_links-group img.media-thumbnail").count() == 1
    editor.shot("media-2-editor-attached")
    assert "was submitted for review" in editor.press("submit")
    editor.close()

    # The reviewer reviews both; the publisher publishes both.
    reviewer = Desk(browser, base, artifacts, team[REVIEWER])
    for model, obj in (("mediaasset", asset), ("exercise", exercise)):
        _open(reviewer, model, obj)
        assert "Review of" in reviewer.press("review")
    reviewer.close()
    cursor = _json(base, "/api/v1/bundle/")["cursor"]
    publisher = Desk(browser, base, artifacts, team[PUBLISHER])
    for model, obj in (("mediaasset", asset), ("exercise", exercise)):
        _open(publisher, model, obj)
        assert "was published" in publisher.press("publish")
    publisher.shot("media-3-publisher-published")
    publisher.close()

    # The API, the bundle's manifest and sync carry it, and every file verifies.
    detail = _json(base, "/api/v1/exercises/heel-slides/")
    [shown] = detail["media"]
    assert (shown["slug"], shown["role"], shown["alt_text"]) == ("heel-slide-start", "start", ALT)
    _assert_files_verify(base, shown)

    bundle = _json(base, "/api/v1/bundle/")
    [listed] = bundle["media"]["assets"]
    assert listed["renditions"] == shown["renditions"]
    assert bundle["media"]["total_bytes"] == sum(r["bytes"] for r in listed["renditions"])
    _assert_files_verify(base, listed)

    page_ = _json(base, f"/api/v1/sync/?since={cursor}")
    assert [a["slug"] for a in page_["changed"]["media"]] == ["heel-slide-start"]
    assert page_["changed"]["media"][0]["renditions"] == shown["renditions"]
    assert page_["changed"]["exercises"][0]["media"][0]["slug"] == "heel-slide-start"

    # A better picture: the editor writes it as the asset's next version while the API keeps
    # serving the live one; publishing swaps the files at once (a change in sync, no removal).
    better = tmp_path / "heel-slide-start-v2.png"
    better.write_bytes(png(1200, 900))
    editor = Desk(browser, base, artifacts, team[EDITOR])
    page = editor.page
    _open(editor, "mediaasset", asset)
    assert "next version" in editor.press("edit_next")
    copy = m.MediaAsset.objects.get(working_copy_of=asset)
    page.set_input_files("#id_upload", str(better))
    page.fill("#id_caption", "Start with both legs straight (new drawing).")
    page.click("input[name=_continue]")
    page.wait_for_load_state()
    editor.shot("media-4-editor-next-version")
    page.wait_for_selector("#workflow")
    new_files = set(copy.renditions.values_list("sha256", flat=True))
    old_files = {r["sha256"] for r in shown["renditions"]}
    assert new_files and not new_files & old_files
    assert "was submitted for review" in editor.press("submit")
    editor.close()
    assert _json(base, "/api/v1/exercises/heel-slides/")["media"] == detail["media"]
    cursor = _json(base, "/api/v1/bundle/")["cursor"]

    reviewer = Desk(browser, base, artifacts, team[REVIEWER])
    _open(reviewer, "mediaasset", copy)
    assert "Review of" in reviewer.press("review")
    reviewer.close()
    publisher = Desk(browser, base, artifacts, team[PUBLISHER])
    _open(publisher, "mediaasset", copy)
    assert "was published" in publisher.press("publish")
    publisher.shot("media-5-publisher-published-next-version")
    publisher.close()

    [swapped] = _json(base, "/api/v1/exercises/heel-slides/")["media"]
    assert swapped["slug"] == "heel-slide-start"
    assert {r["sha256"] for r in swapped["renditions"]} == new_files
    assert swapped["caption"] == "Start with both legs straight (new drawing)."
    _assert_files_verify(base, swapped)
    page_ = _json(base, f"/api/v1/sync/?since={cursor}")
    assert page_["removed"] == []
    assert [a["slug"] for a in page_["changed"]["media"]] == ["heel-slide-start"]
    assert page_["changed"]["exercises"][0]["media"][0]["renditions"] == swapped["renditions"]
