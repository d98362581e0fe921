"""The editorial groups (data migration 0002) and the local logins that use them."""

from django.contrib.auth.models import Group
from django.core.management import call_command

from content_app.roles import (
    CONTENT_MODEL_NAMES,
    EDITOR,
    PUBLISHER,
    REVIEWER,
    sync_editorial_groups,
)


def _codenames(name):
    return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))


def test_groups_hold_exactly_their_role_permissions(editorial_groups):
    editor, reviewer, publisher = _codenames(EDITOR), _codenames(REVIEWER), _codenames(PUBLISHER)
    assert {"add_cause", "change_cause", "delete_causeexercise"} <= editor
    assert not {c for c in editor if c.startswith(("publish_", "review_"))}
    assert not {f"delete_{name}" for name in CONTENT_MODEL_NAMES} & editor
    assert {"review_cause", "review_exercise", "view_cause"} <= reviewer
    assert not {c for c in reviewer if c.startswith(("change_", "add_", "delete_", "publish_"))}
    assert {"publish_cause", "publish_source", "view_cause"} <= publisher
    assert not {c for c in publisher if c.startswith(("change_", "add_", "delete_", "review_"))}


def test_syncing_the_groups_twice_changes_nothing(editorial_groups):
    before = {name: _codenames(name) for name in (EDITOR, REVIEWER, PUBLISHER)}
    sync_editorial_groups()
    assert {name: _codenames(name) for name in before} == before
    assert Group.objects.count() == 4  # and the clinical reviewers


def test_local_users_get_their_groups(editorial_groups, settings):
    settings.PRODUCTION = False
    call_command("ensure_local_users", verbosity=0)
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.prefetch_related("groups")}
    assert [g.name for g in users["editor"].groups.all()] == [EDITOR]
    assert [g.name for g in users["reviewer"].groups.all()] == [REVIEWER]
    assert [g.name for g in users["publisher"].groups.all()] == [PUBLISHER]
    assert users["admin"].is_superuser
    assert users["editor"].check_password("kneecare-local")
