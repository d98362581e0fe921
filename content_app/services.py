"""Editorial writes with side effects: workflow transitions, publish validation, review, revert.

Admin actions, object buttons, management commands and tests all call these functions. Every
write goes through the model's `save()` / `delete()` (revision bump, history, change-log signals)
inside one transaction, and every function checks the acting user's permissions itself.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone

from content_app import safety
from content_app.media import media_problems
from content_app.models import (
    EXERCISE_DOSAGE_LIMITS,
    Cause,
    ContentEntity,
    Disclaimer,
    Exercise,
    MediaAsset,
    PublicEntity,
    RedFlag,
    ReviewerRole,
    SelfCheckQuestion,
    Source,
    Status,
    Symptom,
    TriageRule,
    owned_relations,
)
from content_app.roles import may_review_clinically
from content_app.workflow import ALLOWED_TRANSITIONS

DEFAULT_REVIEW_INTERVAL = datetime.timedelta(days=365)

# The public name an editorial review is recorded under when the reviewer gives none.
EDITORIAL_TEAM = "KneeCare editorial team"
# The change reason a send-back records (the dashboard and the item page show the reason).
SENT_BACK = "Sent back to draft"
REVIEW_FIELDS = ("reviewed_at", "reviewed_by", "reviewer_name", "reviewer_role")
# Items that carry a review record (reviewed_at, review_due, and who reviewed them).
REVIEWED = (ContentEntity, MediaAsset)

# A row's identity and workflow bookkeeping: never copied into a next version, never reverted.
BOOKKEEPING_FIELDS = frozenset(
    {
        "id",
        "slug",
        "status",
        "revision",
        "created_at",
        "updated_at",
        "published_at",
        "working_copy_of",
        "based_on_revision",
    }
)
# What a revert never restores: the bookkeeping above and the review record (generated fields,
# such as a red flag's urgency_rank, follow from what is restored).
NOT_REVERTED = BOOKKEEPING_FIELDS | {"review_due", *REVIEW_FIELDS}


class WorkflowError(Exception):
    """A refused workflow step. `problems` names every reason, for the editor to fix."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class Outcome:
    item: PublicEntity
    message: str


def _perm(user, action: str, item) -> bool:
    opts = item._meta
    return user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")


def _require(user, action: str, item) -> None:
    if not _perm(user, action, item):
        raise PermissionDenied(
            f"You may not {action} {item._meta.verbose_name_plural} (missing permission "
            f"{item._meta.app_label}.{action}_{item._meta.model_name})."
        )


def can_transition(*, item, to: str) -> bool:
    return to in ALLOWED_TRANSITIONS.get(item.status, set())


def _locked_copy(item, expected_revision):
    """Re-read the row under a lock so status checks and the save see the same state."""
    fresh = type(item).objects.select_for_update().filter(pk=item.pk).first()
    if fresh is None:  # e.g. a next version published or discarded a moment ago
        raise WorkflowError([f"“{item}” no longer exists: reload the page."])
    if expected_revision is not None and fresh.revision != expected_revision:
        raise WorkflowError(
            [
                f"“{fresh}” changed since you opened it (you saw revision {expected_revision}, "
                f"it is now at {fresh.revision}). Reload it and check the changes first."
            ]
        )
    return fresh


def _check_transition(item, to) -> None:
    if not can_transition(item=item, to=to):
        raise WorkflowError(
            [
                f"“{item}” is {Status(item.status).label.lower()}; it cannot move to "
                f"{Status(to).label.lower()}."
            ]
        )


def _save(item, *, user, reason: str, fields: Iterable[str]) -> None:
    item._history_user = user
    # simple-history keeps at most 100 characters of a reason (PostgreSQL refuses more).
    item._change_reason = reason if len(reason) <= 100 else reason[:99] + "…"
    item.save(update_fields=[*fields, "updated_at"])
    # Keep the caller's copy in step (revision, status...) so it can save again.
    del item._history_user, item._change_reason


def _sync_caller(target, fresh) -> None:
    for field in fresh._meta.concrete_fields:
        setattr(target, field.attname, getattr(fresh, field.attname))


# --- Validation ---------------------------------------------------------------------------


def publish_problems(item, *, sources=None, today=None) -> list[str]:
    """Every reason `item` may not be published, in words an editor understands ([] = fine).

    `sources` overrides the item's saved sources (for validating a form before it saves).
    """
    today = today or timezone.localdate()
    problems = []
    if isinstance(item, Source):
        if not item.title.strip():
            problems.append("The source has no title.")
        if not (item.url or item.publisher or item.author):
            problems.append("The source needs a URL, an author or a publisher.")
        return problems
    if isinstance(item, Disclaimer):
        for field in ("name", "summary", "body"):
            if not getattr(item, field).strip():
                problems.append(f"{field.capitalize()} is empty.")
        return problems

    if isinstance(item, MediaAsset):
        return [*media_problems(item), *_review_problems(item, today)]

    if not item.name.strip():
        problems.append("Name is empty.")
    if not item.summary.strip():
        problems.append("Summary is empty.")
    if not item.body.strip():
        problems.append("Body is empty.")
    cited = list(sources) if sources is not None else list(item.sources.all())
    if not cited:
        problems.append("No source is cited: add at least one.")
    problems.extend(
        f"Cited source “{source}” is not published." for source in cited if not source.is_public
    )
    problems.extend(_review_problems(item, today))

    if isinstance(item, RedFlag):
        if not item.urgency:
            problems.append("The red flag has no urgency.")
        if not item.action.strip():
            problems.append("The red flag does not say what action to take.")
    if isinstance(item, Exercise):
        problems.extend(exercise_dosage_problems(item))
        problems.extend(safety.exercise_problems(item))
    if isinstance(item, Cause) and item.pk:
        problems.extend(safety.cause_problems(item))
    if isinstance(item, Symptom) and item.pk:
        problems.extend(safety.symptom_problems(item))
    if isinstance(item, (SelfCheckQuestion, TriageRule)) and item.pk:
        from content_app.selfcheck.ruleset import rule_content_problems

        problems.extend(rule_content_problems(item))
    if item.is_working_copy:
        from content_app.working_copies import working_copy_problems

        problems.extend(working_copy_problems(item))
    return problems


def _review_problems(item, today) -> list[str]:
    problems = []
    if item.reviewed_at is None or not item.reviewer_role or not item.reviewer_name.strip():
        problems.append(
            "No review is recorded (who reviewed it, in what role, and when): a reviewer must "
            "record a review."
        )
    if item.review_due is None:
        problems.append("No review due date is set.")
    elif item.review_due <= today:
        problems.append(f"The review was due on {item.review_due:%Y-%m-%d}: review it again.")
    return problems


def exercise_dosage_problems(exercise) -> list[str]:
    problems = []
    if not exercise.has_dosage:
        problems.append(
            "The exercise has no dosage: give sets, reps, hold time or times per day, "
            "or a dosage note."
        )
    for field, (low, high) in EXERCISE_DOSAGE_LIMITS.items():
        value = getattr(exercise, field)
        if value is not None and not low <= value <= high:
            label = exercise._meta.get_field(field).verbose_name
            problems.append(f"{label.capitalize()} must be between {low} and {high} (is {value}).")
    pairs = (
        ("times_per_day", "times_per_day_max"),
        ("sets", "target_sets"),
        ("reps", "target_reps"),
        ("hold_seconds", "target_hold_seconds"),
    )
    for start, end in pairs:
        low, high = getattr(exercise, start), getattr(exercise, end)
        if high is not None and (low is None or high < low):
            problems.append(
                f"{exercise._meta.get_field(end).verbose_name.capitalize()} ({high}) needs "
                f"{exercise._meta.get_field(start).verbose_name} and may not be below it."
            )
    return problems


# --- Transitions --------------------------------------------------------------------------


def submit_for_review(*, item, user, expected_revision=None) -> Outcome:
    """Editor: draft → in review. A new review is needed for what is submitted."""
    _require(user, "change", item)
    with transaction.atomic():
        fresh = _locked_copy(item, expected_revision)
        _check_transition(fresh, Status.IN_REVIEW)
        fields = ["status"]
        fresh.status = Status.IN_REVIEW
        if isinstance(fresh, REVIEWED):
            fresh.reviewed_at = None
            fresh.reviewed_by = None
            fresh.reviewer_name = ""
            fresh.reviewer_role = ""
            fields += REVIEW_FIELDS
        _save(fresh, user=user, reason="Submitted for review", fields=fields)
    _sync_caller(item, fresh)
    return Outcome(item, f"“{item}” was submitted for review.")


def default_reviewer_role(user) -> str:
    return ReviewerRole.CLINICAL if may_review_clinically(user) else ReviewerRole.EDITORIAL


def record_review(
    *,
    item,
    user,
    review_due: datetime.date | None = None,
    role: str | None = None,
    reviewer_name: str = "",
    expected_revision=None,
) -> Outcome:
    """Reviewer: record that `user` reviewed the item now, in `role`; due again at `review_due`.

    `role` defaults to clinical for members of the clinical reviewer group, else editorial;
    only they may record a clinical review. The public `reviewer_name` defaults to the user's
    full name (a clinical review needs one), or the editorial team's name for an editorial one.
    """
    _require(user, "review", item)
    if not isinstance(item, REVIEWED):
        raise WorkflowError([f"{item._meta.verbose_name_plural.capitalize()} carry no review."])
    role = role or default_reviewer_role(user)
    reviewer_name = (reviewer_name or "").strip()[:200] or user.get_full_name().strip()
    problems = []
    if role not in ReviewerRole.values:
        problems.append(f"“{role}” is not a review role.")
    elif role == ReviewerRole.CLINICAL:
        if not may_review_clinically(user):
            problems.append(
                "Only members of the clinical reviewer group may record a clinical review: "
                "record an editorial review instead."
            )
        if not reviewer_name:
            problems.append(
                "A clinical review needs the reviewer's name: add your full name to your account."
            )
    reviewer_name = reviewer_name or EDITORIAL_TEAM
    if problems:
        raise WorkflowError(problems)
    now = timezone.now()
    review_due = review_due or (timezone.localdate() + DEFAULT_REVIEW_INTERVAL)
    with transaction.atomic():
        fresh = _locked_copy(item, expected_revision)
        problems = []
        if fresh.status not in (Status.IN_REVIEW, Status.PUBLISHED):
            problems.append(
                f"“{fresh}” is {Status(fresh.status).label.lower()}: only items in review "
                "or published can be reviewed."
            )
        if review_due <= timezone.localdate():
            problems.append("The next review must be due in the future.")
        if problems:
            raise WorkflowError(problems)
        fresh.reviewed_at = now
        fresh.reviewed_by = user
        fresh.reviewer_name = reviewer_name
        fresh.reviewer_role = role
        fresh.review_due = review_due
        label = ReviewerRole(role).label
        _save(
            fresh,
            user=user,
            reason=f"Reviewed ({role}) by {reviewer_name}; next review due {review_due:%Y-%m-%d}",
            fields=[*REVIEW_FIELDS, "review_due"],
        )
    _sync_caller(item, fresh)
    return Outcome(
        item,
        f"Review of “{item}” recorded ({label.lower()}, by {reviewer_name}); next review due "
        f"{review_due:%Y-%m-%d}.",
    )


def send_back(*, item, user, reason: str = "", expected_revision=None) -> Outcome:
    """Reviewer: in review → draft, for the editor to rework."""
    _require(user, "review", item)
    with transaction.atomic():
        fresh = _locked_copy(item, expected_revision)
        if fresh.status != Status.IN_REVIEW:
            raise WorkflowError([f"“{fresh}” is not in review."])
        fresh.status = Status.DRAFT
        note = f"{SENT_BACK}: {reason}" if reason else SENT_BACK
        _save(fresh, user=user, reason=note, fields=["status"])
    _sync_caller(item, fresh)
    return Outcome(item, f"“{item}” was sent back to draft.")


def publish(*, item, user, expected_revision=None) -> Outcome:
    """Publisher: in review → published, only when `publish_problems` finds nothing.

    A working copy replaces its live item instead (content_app/working_copies.py); the outcome
    then names the live item.
    """
    _require(user, "publish", item)
    with transaction.atomic():
        fresh = _locked_copy(item, expected_revision)
        _check_transition(fresh, Status.PUBLISHED)
        problems = publish_problems(fresh)
        if problems:
            raise WorkflowError(problems)
        if fresh.is_working_copy:  # the next version replaces the live one
            from content_app.working_copies import publish_working_copy

            return publish_working_copy(copy=fresh, user=user)
        if isinstance(fresh, Disclaimer):
            _retire_published_disclaimers(replacement=fresh, user=user)
        fresh.status = Status.PUBLISHED
        fields = ["status"]
        if fresh.published_at is None:
            fresh.published_at = timezone.now()
            fields.append("published_at")
        _save(fresh, user=user, reason="Published", fields=fields)
    _sync_caller(item, fresh)
    return Outcome(item, f"“{item}” was published.")


def _retire_published_disclaimers(*, replacement, user) -> None:
    """Only one disclaimer is published: the new one archives the one it replaces."""
    for current in Disclaimer.objects.select_for_update().published().exclude(pk=replacement.pk):
        current.status = Status.ARCHIVED
        _save(current, user=user, reason=f"Replaced by “{replacement}”", fields=["status"])


def _keep_a_disclaimer(item) -> None:
    if (
        isinstance(item, Disclaimer)
        and item.status == Status.PUBLISHED
        and not Disclaimer.objects.published().exclude(pk=item.pk).exists()
    ):
        raise WorkflowError(
            [
                "The API must always carry a disclaimer: write its replacement and publish it "
                "(that archives this one) instead of taking this one down."
            ]
        )


def unpublish(*, item, user, expected_revision=None) -> Outcome:
    """Publisher: published or archived → draft (off the public API, editable again)."""
    _require(user, "publish", item)
    with transaction.atomic():
        fresh = _locked_copy(item, expected_revision)
        if fresh.status not in (Status.PUBLISHED, Status.ARCHIVED):
            raise WorkflowError([f"“{fresh}” is not published or archived."])
        _keep_a_disclaimer(fresh)
        fresh.status = Status.DRAFT
        _save(fresh, user=user, reason="Unpublished (back to draft)", fields=["status"])
    _sync_caller(item, fresh)
    return Outcome(item, f"“{item}” was unpublished and is a draft again.")


def archive(*, item, user, expected_revision=None) -> Outcome:
    """Publisher: published → archived (off the public API, kept for the record)."""
    _require(user, "publish", item)
    with transaction.atomic():
        fresh = _locked_copy(item, expected_revision)
        _check_transition(fresh, Status.ARCHIVED)
        _keep_a_disclaimer(fresh)
        fresh.status = Status.ARCHIVED
        _save(fresh, user=user, reason="Archived", fields=["status"])
    _sync_caller(item, fresh)
    return Outcome(item, f"“{item}” was archived.")


def delete_item(*, item, user) -> None:
    """Hard delete: superusers only. Editors unpublish or archive instead."""
    if not user.is_superuser:
        raise PermissionDenied("Only superusers may delete content; unpublish or archive it.")
    with transaction.atomic():
        _keep_a_disclaimer(item)
        item._history_user = user
        item.delete()


# --- History and revert -------------------------------------------------------------------


def relations_as_of(*, item, version):
    """The item's owned relation rows as they were at `version` (a historical record).

    Every admin save bumps the item, and its inlines are saved right after it: so a version's
    relations are those in place just before the item's next version (or now, for the latest).
    """
    following = (
        type(item)
        .history.filter(id=item.pk, history_date__gt=version.history_date)
        .order_by("history_date")
        .first()
    )
    cutoff = following.history_date - datetime.timedelta(microseconds=1) if following else None
    snapshot = {}
    for through, fk in owned_relations(type(item)):
        if cutoff is None:
            rows = list(through.objects.filter(**{f"{fk}_id": item.pk}))
        else:
            rows = list(through.history.as_of(cutoff).filter(**{f"{fk}_id": item.pk}))
        snapshot[(through, fk)] = rows
    return snapshot


def _relation_values(row) -> dict:
    return {
        f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields if not f.primary_key
    }


def _points_at_deleted(through, values) -> bool:
    return any(
        isinstance(f, models.ForeignKey)
        and values[f.attname] is not None
        and not f.related_model.objects.filter(pk=values[f.attname]).exists()
        for f in through._meta.concrete_fields
        if f.attname in values
    )


def _restore_relations(*, item, version, user) -> list[str]:
    notes = []
    for (through, fk), rows in relations_as_of(item=item, version=version).items():
        wanted = {}
        for row in rows:
            values = _relation_values(row)
            if _points_at_deleted(through, values):
                notes.append(f"A {through._meta.verbose_name} row points at deleted content.")
                continue
            wanted[row.pk] = values
        for current in through.objects.filter(**{f"{fk}_id": item.pk}):
            if wanted.get(current.pk) == _relation_values(current):
                del wanted[current.pk]
                continue
            current._history_user = user
            current.delete()
        for pk, values in wanted.items():
            restored = through(pk=pk, **values)
            restored._history_user = user
            restored._change_reason = "Restored by a revert"
            restored.save(force_insert=True)
    return notes


def _apply_version_fields(target, version) -> list[str]:
    """Set `target`'s content fields to those of `version`; notes on what could not be."""
    notes = []
    for field in target._meta.concrete_fields:
        if field.name in NOT_REVERTED or field.generated:
            continue
        value = getattr(version, field.attname)
        gone = (
            field.is_relation
            and value is not None
            and not field.related_model.objects.filter(pk=value).exists()
        )
        if gone:
            notes.append(f"Kept the current {field.verbose_name}: the old one is deleted.")
            continue
        setattr(target, field.attname, value)
    return notes


def _version_sources(target, version):
    if not isinstance(target, ContentEntity):
        return None
    source_ids = list(version.sources.values_list("source_id", flat=True))
    return list(Source.objects.filter(pk__in=source_ids))


def revert_to_version(*, item, version_id: int, user, expected_revision=None) -> Outcome:
    """Make the content of an earlier version current again, as a new version.

    Restores every content field, the cited sources and the relations edited with the item.
    Keeps slug, status and the review record. A published item is not changed in place: the
    old content goes into its working copy (editors), to be reviewed and published like any
    change. Drafts are reverted in place by editors, archived items by publishers. Items in
    review are frozen.
    """
    with transaction.atomic():
        fresh = _locked_copy(item, expected_revision)
        if fresh.status == Status.IN_REVIEW:
            raise WorkflowError(["Items in review are frozen: send it back to draft first."])
        version = type(item).history.get(id=item.pk, history_id=version_id)
        if fresh.status == Status.PUBLISHED:
            from content_app.working_copies import prepare_revert

            return prepare_revert(live=fresh, version=version, user=user)
        # Changing archived content is the publisher's call; drafts the editor's.
        _require(user, "publish" if fresh.status == Status.ARCHIVED else "change", fresh)
        notes = _apply_version_fields(fresh, version)
        old_sources = _version_sources(fresh, version)
        stamp = f"{version.history_date:%Y-%m-%d %H:%M:%S}"
        fresh._history_user = user
        fresh._change_reason = f"Reverted to the version of {stamp} (#{version_id})"
        fresh.save()
        if old_sources is not None:
            fresh.sources.set(old_sources)
        notes += _restore_relations(item=fresh, version=version, user=user)
    _sync_caller(item, fresh)
    message = f"“{item}” was reverted to the version of {stamp}."
    return Outcome(item, " ".join([message, *notes]))


def history_diff(*, older, newer) -> list[dict]:
    """Readable field changes between two historical records of the same item."""
    delta = newer.diff_against(older, foreign_keys_are_objs=False)
    return [{"field": c.field, "old": c.old, "new": c.new} for c in delta.changes]
