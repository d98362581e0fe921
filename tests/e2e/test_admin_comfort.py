"""Issue 11 in a real browser: the dashboard, a constraint error next to its field, the
Markdown preview, a new inline row getting focus and labels, a conflict between two editors
(the second sees the other's change beside their own input) and a side-by-side history diff.

Same harness as test_editorial_flow.py (headless Debian Chromium, pytest-django's live
server); screenshots go to $KNEECARE_ARTIFACTS (or a temp dir).
"""

import pytest
from django.contrib.auth.models import Group

from content_app import services
from content_app.models import Status
from content_app.roles import EDITOR
from tests import factories as f
from tests.e2e.test_editorial_flow import (  # noqa: F401  (fixtures)
    Desk,
    artifacts,
    browser,
    team,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def desk_items(team):  # noqa: F811
    source = f.SourceFactory(title="Back of knee pain article")
    exercise = f.ExerciseFactory(
        name="Heel slides e2e",
        status=Status.DRAFT,
        reps=10,
        target_reps=None,
        summary="Slide the heel towards the buttock.",
        sources=[source],
    )
    f.CauseFactory(name="Cause waiting for review", status=Status.IN_REVIEW, sources=[source])
    symptom = f.SymptomFactory(name="Symptom to rework", status=Status.IN_REVIEW, sources=[source])
    services.send_back(item=symptom, user=team["Reviewer"], reason="Cite the second source")
    second = f.UserFactory(username="eve")
    second.groups.add(Group.objects.get(name=EDITOR))
    return {"exercise": exercise, "second_editor": second}


def test_dashboard_errors_preview_conflict_and_diff(
    browser,  # noqa: F811
    live_server,
    team,  # noqa: F811
    desk_items,
    artifacts,  # noqa: F811
):
    base = live_server.url
    exercise = desk_items["exercise"]
    url = f"{base}/admin/content_app/exercise/{exercise.pk}/change/"

    # The dashboard: what waits, with the reviewer's reason.
    erin = Desk(browser, base, artifacts, team[EDITOR])
    page = erin.page
    dashboard = page.inner_text("#dashboard")
    assert "Cause waiting for review" in dashboard
    assert "Symptom to rework" in dashboard and "Cite the second source" in dashboard
    assert "KneeCare editorial" in page.inner_text("#site-name")
    erin.shot("comfort-1-dashboard")

    # List pages fit a 1280 px window, review state included.
    for listing in ("exercise", "cause"):
        page.goto(f"{base}/admin/content_app/{listing}/")
        assert page.locator("th.column-review_state").count() == 1
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1280, (listing, width)
    erin.shot("comfort-1b-exercise-list")

    # A database rule, in plain words next to its field.
    page.goto(url)
    page.fill("#id_target_reps", "5")
    page.click("input[name=_continue]")
    error = page.inner_text(".field-target_reps .errorlist")
    assert "Target reps must be at least the starting reps." in error
    assert "is violated" not in page.content()
    erin.shot("comfort-2-constraint-error")

    # The Markdown preview of the body.
    page.goto(url)
    page.fill("#id_body", "**Slowly** back and forth.\n\n- ten times\n- twice a day")
    page.click(".markdown-preview-button")
    page.wait_for_selector(".markdown-preview strong")
    assert page.inner_text(".markdown-preview strong") == "Slowly"
    assert page.locator(".markdown-preview li").count() == 2
    erin.shot("comfort-3-markdown-preview")

    # A new inline row gets focus, and its inputs have labels.
    page.click("#steps-group .add-row a")
    focused_row = page.evaluate(
        "document.activeElement.closest('tr') && document.activeElement.closest('tr').id"
    )
    assert focused_row and focused_row.startswith("steps-")
    assert page.get_attribute("#id_steps-0-text", "aria-label").startswith("Text")

    # Two editors edit the same item: the second is refused and sees both versions.
    page.goto(url)
    eve = Desk(browser, base, artifacts, desk_items["second_editor"])
    eve.page.goto(url)
    eve.page.fill("#id_summary", "Eve's summary.")
    eve.page.click("input[name=_continue]")
    eve.page.wait_for_selector("ul.messagelist")
    eve.close()

    page.fill("#id_summary", "Erin's summary.")
    page.click("input[name=_continue]")
    page.wait_for_selector("#conflict")
    row = page.locator("#conflict tr[data-field=summary]")
    assert row.locator(".theirs").inner_text() == "Eve's summary."
    assert "Erin's summary." in row.locator(".mine").inner_text()
    assert page.input_value("#id_summary") == "Erin's summary."  # nothing lost
    assert page.locator("form.workflow-step").count() == 0  # no button on unseen content
    erin.shot("comfort-4-conflict")

    # History: any two versions side by side, whole texts, labels not codes.
    page.goto(f"{base}/admin/content_app/exercise/{exercise.pk}/history/")
    history = page.inner_text("#change-history")
    assert "Draft" in history and "None" not in history
    erin.shot("comfort-5-history")
    page.click("#compare-form input[type=submit]")
    page.wait_for_selector("table.diff")
    diff = page.inner_text("#history-diff").replace("\xa0", " ")
    assert "Slide the heel towards the buttock." in diff and "Eve's summary." in diff
    erin.shot("comfort-6-side-by-side-diff")
    erin.close()
