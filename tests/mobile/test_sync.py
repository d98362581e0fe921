"""/api/v1/sync/: changes since a cursor, tombstones, paging, and its 400/410 problems."""

from content_app import models as m
from content_app.changelog import current_head
from tests import factories as f

SYNC = "/api/v1/sync/"


def _slugs(page, api_type):
    return sorted(item["slug"] for item in page["changed"].get(api_type, []))


def test_without_since_everything_published_is_sent_typed_and_in_full(api_client, db):
    link = f.CauseExerciseFactory()
    f.CauseFactory(status=m.Status.DRAFT, sources=[])
    page = api_client.get(SYNC).json()
    assert page["since"] == 0
    assert page["cursor"] == current_head()
    assert page["has_more"] is False and page["next"] is None
    assert _slugs(page, "causes") == [link.cause.slug]
    assert _slugs(page, "exercises") == [link.exercise.slug]
    cause = page["changed"]["causes"][0]
    detail = api_client.get(f"/api/v1/causes/{link.cause.slug}/").json()
    assert cause == detail
    assert page["removed"] == []


def test_since_a_cursor_only_changes_and_tombstones_are_sent(api_client, db):
    kept = f.SymptomFactory(sources=[])
    edited = f.SymptomFactory(sources=[])
    gone = f.SymptomFactory(sources=[])
    renamed = f.SymptomFactory(slug="before", sources=[])
    cursor = api_client.get(SYNC).json()["cursor"]

    edited.name = "Edited"
    edited.save()
    gone.delete()
    renamed.slug = "after"
    renamed.save()
    page = api_client.get(SYNC, {"since": cursor}).json()

    assert _slugs(page, "symptoms") == ["after", edited.slug]
    assert kept.slug not in _slugs(page, "symptoms")
    assert sorted(page["removed"], key=lambda r: r["slug"]) == [
        {"type": "symptoms", "slug": "before"},
        {"type": "symptoms", "slug": gone.slug},
    ]
    assert page["changed"]["symptoms"][-1]["name"] in {"Edited", renamed.name}


def test_unpublished_item_becomes_a_tombstone(api_client, db):
    exercise = f.ExerciseFactory(sources=[])
    cursor = current_head()
    exercise.status = m.Status.ARCHIVED
    exercise.save()
    page = api_client.get(SYNC, {"since": cursor}).json()
    assert page["changed"] == {}
    assert page["removed"] == [{"type": "exercises", "slug": exercise.slug}]


def test_a_draft_never_shows_up_even_as_a_tombstone(api_client, db):
    cursor = current_head()
    draft = f.CauseFactory(status=m.Status.DRAFT, sources=[])
    draft.name = "Still a draft"
    draft.save()
    draft.delete()
    page = api_client.get(SYNC, {"since": cursor}).json()
    assert page["changed"] == {} and page["removed"] == []
    assert page["cursor"] == cursor


def test_pages_are_capped_and_following_next_gets_everything_once(api_client, db):
    symptoms = f.SymptomFactory.create_batch(5, sources=[])
    seen, url, pages = [], f"{SYNC}?limit=2", 0
    while url:
        page = api_client.get(url).json()
        pages += 1
        assert sum(len(items) for items in page["changed"].values()) <= 2
        seen += _slugs(page, "symptoms")
        url = page["next"]
        assert page["has_more"] is (url is not None)
    assert pages == 3
    assert sorted(seen) == sorted(s.slug for s in symptoms)
    assert page["cursor"] == current_head()


def test_fields_trims_every_item_but_keeps_the_slug(api_client, db):
    f.CauseExerciseFactory()
    page = api_client.get(SYNC, {"fields": "name"}).json()
    for items in page["changed"].values():
        for item in items:
            assert set(item) == {"slug", "name"}


def test_unknown_field_is_a_400_problem(api_client, db):
    response = api_client.get(SYNC, {"fields": "name,bogus"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["invalid_params"][0]["name"] == "fields"


def test_malformed_cursors_are_400_problems_naming_since(api_client, db):
    for bad in ("abc", "-1", "1.5", "", "0x10", "١٢"):
        response = api_client.get(SYNC, {"since": bad})
        assert response.status_code == 400, bad
        body = response.json()
        assert body["type"] == "urn:kneecare:problem:invalid-parameter"
        assert [p["name"] for p in body["invalid_params"]] == ["since"]


def test_a_cursor_from_the_future_is_a_400(api_client, db):
    f.SymptomFactory(sources=[])
    response = api_client.get(SYNC, {"since": current_head() + 1})
    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == "since"


def test_bad_limit_and_unknown_parameters_are_400s(api_client, db):
    assert api_client.get(SYNC, {"limit": "0"}).status_code == 400
    assert api_client.get(SYNC, {"limit": "501"}).status_code == 400
    assert api_client.get(SYNC, {"cursor": "1"}).status_code == 400


def test_a_cursor_older_than_the_horizon_is_a_410_telling_to_refetch_the_bundle(api_client, db):
    f.SymptomFactory.create_batch(3, sources=[])
    m.SyncHorizon.objects.update_or_create(id=1, defaults={"pruned_through": 2})
    head = current_head()
    response = api_client.get(SYNC, {"since": 1})
    assert response.status_code == 410
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "urn:kneecare:problem:sync-cursor-expired"
    assert body["status"] == 410
    assert "/api/v1/bundle/" in body["detail"]
    assert api_client.get(SYNC, {"since": 2}).status_code == 200
    assert api_client.get(SYNC, {"since": 0}).json()["cursor"] == head


def test_sync_query_count_does_not_grow_with_items(api_client, db, django_assert_max_num_queries):
    f.CauseExerciseFactory.create_batch(10)
    # version, head, horizon, changed keys, then per type 1 + relations (causes: 6 + sources)
    # +15: the self-check ruleset a page with changes carries (fixed, whatever the content)
    with django_assert_max_num_queries(45):
        page = api_client.get(SYNC).json()
    assert len(page["changed"]["causes"]) == 10


def test_launch_content_synced_from_zero_equals_the_bundle(api_client, launch_content):
    bundle = api_client.get("/api/v1/bundle/").json()
    synced, url = {}, f"{SYNC}?limit=50"
    while url:
        page = api_client.get(url).json()
        assert page["removed"] == []
        for api_type, items in page["changed"].items():
            synced.update({(api_type, item["slug"]): item for item in items})
        url = page["next"]
    expected = {
        (api_type, item["slug"]): item
        for api_type, items in bundle["content"].items()
        for item in items
    }
    assert len(expected) > 50
    assert synced == expected
    assert page["cursor"] == bundle["cursor"]
    assert page["self_check"] == bundle["self_check"]  # the self-check ruleset too
