"""The three editorial roles do their jobs end to end in a real browser (issue 4).

Headless Debian Chromium driven by Playwright against pytest-django's live server: an Editor
creates a cause linked to an exercise and a red flag and submits it, a Reviewer records the
review, a Publisher publishes it, the cause appears in /api/v1/causes/, unpublishing removes it.
Screenshots of the key pages go to $KNEECARE_ARTIFACTS (or a temp dir), never the repository.

Without /usr/bin/chromium the test is skipped, unless KNEECARE_REQUIRE_BROWSER=1 (CI): then
it fails.
"""

import json
import os
import tempfile
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from content_app.models import Cause, Status
from content_app.roles import EDITOR, PUBLISHER, REVIEWER, sync_editorial_groups
from tests import factories as f

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "test-password"  # tests.factories.UserFactory's
SLUG = "popliteus-tendinopathy-e2e"

pytestmark = pytest.mark.browser


def _browser_or_skip():
    required = os.environ.get("KNEECARE_REQUIRE_BROWSER") == "1"
    problem = None
    if not CHROMIUM.exists():
        problem = f"{CHROMIUM} is missing (apt-get install chromium chromium-driver)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "playwright is not installed (pip install -r requirements-dev.txt)"
    if problem and required:
        pytest.fail(f"KNEECARE_REQUIRE_BROWSER=1 but {problem}")
    if problem:
        pytest.skip(problem)


@pytest.fixture
def artifacts():
    folder = os.environ.get("KNEECARE_ARTIFACTS") or tempfile.mkdtemp(prefix="kneecare-e2e-")
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def browser(monkeypatch):
    _browser_or_skip()
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the test
    # (and the live server's own threads) are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def team(transactional_db):
    sync_editorial_groups()
    team = {}
    for username, group in (("erin", EDITOR), ("rita", REVIEWER), ("paul", PUBLISHER)):
        user = f.UserFactory(username=username)
        user.groups.add(Group.objects.get(name=group))
        team[group] = user
    return team


@pytest.fixture
def neighbours(transactional_db):
    source = f.SourceFactory(title="Back of knee pain article")
    return {
        "source": source,
        "exercise": f.ExerciseFactory(name="Heel slides", sources=[source]),
        "red_flag": f.RedFlagFactory(name="Calf swelling and warmth", sources=[source]),
    }


class Desk:
    """One role's browser session on the admin."""

    def __init__(self, browser, base_url, artifacts, user):
        self.context = browser.new_context(viewport={"width": 1280, "height": 1000})
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.base_url = base_url
        self.artifacts = artifacts
        self.name = user.username
        self.page.goto(f"{base_url}/admin/login/")
        self.page.fill("#id_username", user.username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("input[type=submit]")
        self.page.wait_for_url(f"{base_url}/admin/")

    def shot(self, label):
        self.page.screenshot(path=str(self.artifacts / f"{label}.png"), full_page=True)

    def open_cause(self, cause):
        self.page.goto(f"{self.base_url}/admin/content_app/cause/{cause.pk}/change/")

    def press(self, step):
        self.page.click(f"#workflow-{step} input[type=submit]")
        self.page.wait_for_selector("ul.messagelist")
        return self.page.inner_text("ul.messagelist")

    def autocomplete(self, container, text):
        """Pick `text` in a Django admin autocomplete (select2) inside `container`."""
        self.page.click(f"{container} .select2-selection")
        self.page.fill(".select2-container--open .select2-search__field", text)
        self.page.click(f".select2-results__option:has-text('{text}')")

    def close(self):
        self.context.close()


def _api(base_url, path):
    with urllib.request.urlopen(f"{base_url}{path}") as response:
        return json.loads(response.read())


def _listed_slugs(base_url):
    return {item["slug"] for item in _api(base_url, "/api/v1/causes/?page_size=100")["results"]}


def test_editor_reviewer_and_publisher_take_a_cause_live(
    browser, live_server, team, neighbours, artifacts
):
    base = live_server.url

    # The editor writes a draft cause, links an exercise and a red flag, and submits it.
    editor = Desk(browser, base, artifacts, team[EDITOR])
    page = editor.page
    page.goto(f"{base}/admin/content_app/cause/add/")
    page.fill("#id_name", "Popliteus tendinopathy")
    page.press("#id_name", "Tab")  # prepopulate.js fills the slug from the name on change
    page.fill("#id_slug", SLUG)
    page.fill("#id_summary", "An irritated popliteus tendon at the back of the knee.")
    page.fill("#id_body", "Load it gradually; rest from downhill running.")
    page.select_option("#id_prevalence", "uncommon")
    page.select_option("#id_onset", "overuse")
    page.select_option("#id_self_care", "suitable")
    editor.autocomplete(".field-sources", "Back of knee pain article")
    page.click("#exercise_links-group .add-row a")
    editor.autocomplete("#exercise_links-0", "Heel slides")
    page.click("#red_flag_links-group .add-row a")
    editor.autocomplete("#red_flag_links-0", "Calf swelling and warmth")
    editor.shot("1-editor-new-cause")
    page.click("input[name=_continue]")
    page.wait_for_selector("#workflow")
    cause = Cause.objects.get(slug=SLUG)
    assert cause.status == Status.DRAFT
    assert [e.name for e in cause.exercises.all()] == ["Heel slides"]
    assert [r.name for r in cause.red_flags.all()] == ["Calf swelling and warmth"]
    assert page.locator("#workflow-publish").count() == 0  # not the editor's step
    assert "was submitted for review" in editor.press("submit")
    editor.shot("2-editor-submitted")
    editor.close()
    assert SLUG not in _listed_slugs(base)

    # The reviewer records the review.
    reviewer = Desk(browser, base, artifacts, team[REVIEWER])
    reviewer.open_cause(cause)
    assert "Review of" in reviewer.press("review")
    reviewer.shot("3-reviewer-recorded-review")
    reviewer.close()
    cause.refresh_from_db()
    assert cause.reviewed_by == team[REVIEWER]

    # The publisher publishes: the cause is served by the public API.
    publisher = Desk(browser, base, artifacts, team[PUBLISHER])
    publisher.open_cause(cause)
    assert "was published" in publisher.press("publish")
    publisher.shot("4-publisher-published")
    assert SLUG in _listed_slugs(base)
    detail = _api(base, f"/api/v1/causes/{SLUG}/")
    assert [e["slug"] for e in detail["exercises"]] == [neighbours["exercise"].slug]
    assert [r["slug"] for r in detail["red_flags"]] == [neighbours["red_flag"].slug]

    # The preview shows the same JSON the API serves.
    publisher.page.click("a.viewlink:has-text('API preview')")
    preview = json.loads(publisher.page.inner_text("#api-preview"))
    assert preview == detail
    publisher.shot("5-publisher-preview")

    # Unpublishing takes it off the API again.
    publisher.open_cause(cause)
    assert "was unpublished" in publisher.press("unpublish")
    publisher.shot("6-publisher-unpublished")
    publisher.close()
    assert SLUG not in _listed_slugs(base)
    with pytest.raises(urllib.error.HTTPError) as gone:
        _api(base, f"/api/v1/causes/{SLUG}/")
    assert gone.value.code == 404
