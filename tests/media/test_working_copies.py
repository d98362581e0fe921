"""A published picture's next version (issue 11): a new image is uploaded, reviewed and
published while the API keeps serving the live one and its files; publishing swaps the files
at once, reaches sync as a change (never a tombstone) and keeps the old files in storage."""

import pytest
from django.core.files.storage import default_storage

from content_app import models as m
from content_app import services, working_copies
from content_app.changelog import current_head
from content_app.roles import EDITOR, PUBLISHER, REVIEWER
from tests import factories as f
from tests.media.conftest import png, published_asset, upload
from tests.media.test_admin import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(db, settings):
    from django.contrib.auth.models import Group

    from content_app.roles import sync_editorial_groups

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    sync_editorial_groups()
    users = {}
    for name, group in (("ed", EDITOR), ("rev", REVIEWER), ("pub", PUBLISHER)):
        users[group] = f.UserFactory(username=name)
        users[group].groups.add(Group.objects.get(name=group))
    return users


def _urls(entry) -> set[str]:
    return {file["url"] for file in entry["renditions"]}


@pytest.fixture
def shown(db):
    exercise = f.ExerciseFactory(slug="glute-bridge", name="Glute bridge")
    asset = published_asset(slug="bridge-start", data=png(700, 500))
    m.ExerciseMedia.objects.create(exercise=exercise, media=asset, role=m.MediaRole.START)
    return exercise, asset


def _media_everywhere(api_client) -> list[dict]:
    """The asset as the exercise detail, the bundle and a sync from the start show it."""
    detail = api_client.get("/api/v1/exercises/glute-bridge/").json()["media"]
    bundle = api_client.get("/api/v1/bundle/").json()["media"]["assets"]
    sync = api_client.get("/api/v1/sync/", {"since": 0}).json()["changed"]["media"]
    return [*detail, *bundle, *sync]


def test_a_new_image_is_written_as_the_next_version_and_swapped_in_on_publish(
    client,
    api_client,
    team,
    shown,
):
    exercise, live = shown
    old_urls = {r.file.url for r in live.renditions.all()}
    client.force_login(team[EDITOR])
    opened = client.post(f"/admin/content_app/mediaasset/{live.pk}/workflow/edit_next/")
    copy = m.MediaAsset.objects.get(working_copy_of=live)
    assert opened.url == f"/admin/content_app/mediaasset/{copy.pk}/change/"
    assert {r.file.url for r in copy.renditions.all()} == old_urls  # same files, own rows
    page = client.get(opened.url)
    assert page.status_code == 200
    assert "You are editing the next version" in page.content.decode()
    # The optimistic lock's hidden field is on the page (a browser posts only what is there).
    assert f'name="loaded_revision" value="{copy.revision}"' in page.content.decode()

    saved = client.post(
        opened.url,
        {
            **form_data(caption="Start position, seen from the side."),
            "loaded_revision": str(copy.revision),
            "upload": upload(png(1000, 800), "side.png"),
        },
    )
    assert saved.status_code == 302, saved.content.decode()[:3000]
    copy.refresh_from_db()
    new_urls = {r.file.url for r in copy.renditions.all()}
    assert new_urls and not new_urls & old_urls and copy.width == 1000
    assert live.renditions.count() == len(old_urls)  # the live rows are untouched

    cursor = current_head()
    services.submit_for_review(item=copy, user=team[EDITOR])
    services.record_review(item=copy, user=team[REVIEWER])
    for entry in _media_everywhere(api_client):  # reviewed, not yet published
        assert _urls(entry) == old_urls and entry["caption"] == "Start position."
    assert current_head() == cursor

    outcome = services.publish(item=copy, user=team[PUBLISHER])
    assert outcome.item.pk == live.pk and not m.MediaAsset.objects.filter(pk=copy.pk).exists()
    for entry in _media_everywhere(api_client):
        assert entry["slug"] == "bridge-start"
        assert _urls(entry) == new_urls and entry["width"] == 1000
        assert entry["caption"] == "Start position, seen from the side."
    page = api_client.get("/api/v1/sync/", {"since": cursor}).json()
    assert page["removed"] == []
    assert [a["slug"] for a in page["changed"]["media"]] == ["bridge-start"]
    assert [e["slug"] for e in page["changed"]["exercises"]] == [exercise.slug]
    # The old files stay in storage (an app may still be downloading them).
    for url in old_urls:
        assert default_storage.exists(url.removeprefix("/media/"))
    live.refresh_from_db()
    assert live.history.first().history_change_reason == "Published version 2"


def test_a_next_versions_files_are_not_named_by_the_api_before_publish(api_client, team, shown):
    from content_app import media

    _, live = shown
    copy = working_copies.start_working_copy(item=live, user=team[EDITOR]).item
    media.attach_image(asset=copy, processed=media.process_image(png(900, 600)))
    hidden = {r.file.url for r in copy.renditions.all()}
    hashes = {r.sha256 for r in copy.renditions.all()} | {copy.sha256}
    bodies = [
        api_client.get(url).content.decode()
        for url in ("/api/v1/exercises/glute-bridge/", "/api/v1/bundle/", "/api/v1/sync/?since=0")
    ]
    for body in bodies:
        assert copy.slug not in body
        for name in [*hidden, *hashes]:
            assert name not in body


def test_a_next_version_can_be_discarded_and_the_live_files_stay(team, shown):
    _, live = shown
    files = set(live.renditions.values_list("file", flat=True))
    copy = working_copies.start_working_copy(item=live, user=team[EDITOR]).item
    working_copies.discard_working_copy(item=copy, user=team[EDITOR])
    assert set(live.renditions.values_list("file", flat=True)) == files
    assert not m.MediaAsset.objects.filter(working_copy_of=live).exists()


def test_reverting_a_published_asset_prepares_its_next_version(team, shown):
    from content_app import media

    _, live = shown
    first = live.history.order_by("history_date").last()
    old = set(live.renditions.values_list("sha256", flat=True))
    copy = working_copies.start_working_copy(item=live, user=team[EDITOR]).item
    media.attach_image(asset=copy, processed=media.process_image(png(800, 600)))
    services.submit_for_review(item=copy, user=team[EDITOR])
    services.record_review(item=copy, user=team[REVIEWER])
    services.publish(item=copy, user=team[PUBLISHER])
    assert set(live.renditions.values_list("sha256", flat=True)) != old

    outcome = services.revert_to_version(item=live, version_id=first.history_id, user=team[EDITOR])
    assert outcome.item.working_copy_of_id == live.pk
    assert set(outcome.item.renditions.values_list("sha256", flat=True)) == old
    live.refresh_from_db()
    assert live.width == 800  # the live asset keeps serving until the revert is published


def test_a_stale_save_of_an_asset_is_the_conflict_page_not_an_error(client, team, shown):
    _, live = shown
    copy = working_copies.start_working_copy(item=live, user=team[EDITOR]).item
    client.force_login(team[EDITOR])
    loaded = copy.revision
    m.MediaAsset.objects.get(pk=copy.pk).save()  # someone else saved meanwhile
    refused = client.post(
        f"/admin/content_app/mediaasset/{copy.pk}/change/",
        {
            **form_data(caption="Mine."),
            "loaded_revision": str(loaded),
            "upload": upload(png(900, 700), "mine.png"),
        },
    )
    assert refused.status_code == 200
    assert "conflict" in refused.context
    assert refused.context["adminform"].form["caption"].value() == "Mine."
