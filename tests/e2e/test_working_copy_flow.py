"""An editor fixes a typo in a PUBLISHED red flag without it ever leaving the API (issue 11).

Same harness as test_editorial_flow.py (headless Debian Chromium, Playwright, the live server):
the editor opens the red flag's next version, fixes the typo and submits it; a reviewer records
the review; a publisher publishes the new version. At every step the public API and
/api/v1/sync/ are read over HTTP: they serve the old text until the publish, then the new one,
and never a tombstone. Screenshots go to $KNEECARE_ARTIFACTS.
"""

import pytest

from content_app.models import RedFlag, Status
from content_app.roles import EDITOR, PUBLISHER, REVIEWER
from tests import factories as f
from tests.e2e import test_editorial_flow as editorial_flow

# The editorial flow's fixtures and desk, shared.
browser = editorial_flow.browser
team = editorial_flow.team
artifacts = editorial_flow.artifacts
Desk = editorial_flow.Desk
_api = editorial_flow._api

pytestmark = pytest.mark.browser

SLUG = "calf-swelling-e2e"
TYPO = "Swelling, warmth and redenss in one calf."
FIXED = "Swelling, warmth and redness in one calf."


@pytest.fixture
def live_flag(transactional_db):
    source = f.SourceFactory(title="Back of knee pain article")
    flag = f.RedFlagFactory(slug=SLUG, name="Calf swelling and warmth", summary=TYPO)
    flag.sources.set([source])
    cause = f.CauseFactory(slug="bakers-cyst-e2e", sources=[source])
    f.CauseRedFlagFactory(cause=cause, red_flag=flag)
    return flag


def _assert_served(base, cursor, summary):
    """The red flag is live with `summary`, in its detail, its list, a cause and sync."""
    assert _api(base, f"/api/v1/red-flags/{SLUG}/")["summary"] == summary
    listed = {r["slug"]: r for r in _api(base, "/api/v1/red-flags/?page_size=100")["results"]}
    assert listed[SLUG]["summary"] == summary
    cause = _api(base, "/api/v1/causes/bakers-cyst-e2e/?expand=red_flags")
    assert [r["item"]["summary"] for r in cause["red_flags"]] == [summary]
    page = _api(base, f"/api/v1/sync/?since={cursor}")
    assert page["removed"] == []  # never a tombstone
    changed = {item["slug"]: item for item in page["changed"].get("red-flags", [])}
    assert SLUG not in changed or changed[SLUG]["summary"] == summary
    assert "--next-" not in str(page)
    return changed


def test_a_typo_in_a_published_red_flag_is_fixed_while_it_stays_live(
    browser, live_server, team, live_flag, artifacts
):
    base = live_server.url
    cursor = _api(base, "/api/v1/sync/")["cursor"]
    _assert_served(base, cursor, TYPO)

    # The editor opens the published red flag and starts its next version.
    editor = Desk(browser, base, artifacts, team[EDITOR])
    page = editor.page
    page.goto(f"{base}/admin/content_app/redflag/{live_flag.pk}/change/")
    assert page.locator("#workflow-unpublish").count() == 0  # not the editor's step
    editor.shot("wc-1-editor-published-red-flag")
    assert "next version" in editor.press("edit_next")
    copy = RedFlag.objects.working_copies().get(working_copy_of=live_flag)
    assert page.url.endswith(f"/redflag/{copy.pk}/change/")
    assert page.locator("#working-copy-notice").count() == 1
    page.fill("#id_summary", FIXED)
    page.click("input[name=_continue]")
    page.wait_for_selector("#working-copy-notice")
    editor.shot("wc-2-editor-fixed-typo-in-next-version")
    copy.refresh_from_db()
    assert copy.summary == FIXED and copy.status == Status.DRAFT
    _assert_served(base, cursor, TYPO)  # the draft is invisible
    assert "submitted for review" in editor.press("submit")
    editor.shot("wc-3-editor-submitted-next-version")
    editor.close()
    _assert_served(base, cursor, TYPO)

    # The reviewer finds the pending version from the live item and records a review.
    reviewer = Desk(browser, base, artifacts, team[REVIEWER])
    reviewer.page.goto(f"{base}/admin/content_app/redflag/")
    assert "next version in review" in reviewer.page.inner_text("#result_list")
    reviewer.shot("wc-4-changelist-pending-version")
    reviewer.page.goto(f"{base}/admin/content_app/redflag/{live_flag.pk}/change/")
    reviewer.page.click("#next-version-notice a")
    reviewer.page.wait_for_selector("#working-copy-notice")
    assert "Review of" in reviewer.press("review")
    reviewer.shot("wc-5-reviewer-reviewed-next-version")
    reviewer.close()
    _assert_served(base, cursor, TYPO)

    # The publisher publishes the new version: it replaces the live one, same slug.
    publisher = Desk(browser, base, artifacts, team[PUBLISHER])
    publisher.page.goto(f"{base}/admin/content_app/redflag/{copy.pk}/change/")
    assert "was published" in publisher.press("publish")
    assert publisher.page.url.endswith(f"/redflag/{live_flag.pk}/change/")
    publisher.shot("wc-6-publisher-published-next-version")
    publisher.close()

    changed = _assert_served(base, cursor, FIXED)
    assert changed[SLUG]["summary"] == FIXED  # sync sends the change as an upsert
    live_flag.refresh_from_db()
    assert live_flag.summary == FIXED and live_flag.status == Status.PUBLISHED
    assert not RedFlag.objects.working_copies().exists()
