"""`manage.py workflow` runs the same services, with the same permission checks."""

import pytest
from django.core.management import CommandError, call_command

from content_app.models import Cause, Status
from tests import factories as f


def test_publisher_publishes_from_the_command_line(publisher, capsys):
    cause = f.CauseFactory(status=Status.IN_REVIEW, reviewed_by=publisher)
    call_command("workflow", "publish", "causes", cause.slug, "--as", publisher.username)
    assert Cause.objects.get(pk=cause.pk).status == Status.PUBLISHED
    assert "was published" in capsys.readouterr().out


def test_command_refuses_what_the_user_may_not_do_and_reports_each_item(editor, capsys):
    cause = f.CauseFactory(status=Status.IN_REVIEW)
    with pytest.raises(CommandError, match="2 of 2"):
        call_command(
            "workflow", "publish", "causes", cause.slug, "no-such-cause", "--as", editor.username
        )
    err = capsys.readouterr().err
    assert f"{cause.slug}: refused" in err
    assert "no-such-cause: no such cause" in err
    assert Cause.objects.get(pk=cause.pk).status == Status.IN_REVIEW


def test_reviewer_records_a_review_with_a_due_date(reviewer):
    cause = f.CauseFactory(status=Status.IN_REVIEW)
    call_command(
        "workflow", "review", "causes", cause.slug, "--as", reviewer.username, "--due", "2030-01-01"
    )
    cause.refresh_from_db()
    assert (str(cause.review_due), cause.reviewed_by) == ("2030-01-01", reviewer)
