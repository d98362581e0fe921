"""The admin home: what waits for the editorial team, in one place.

In review, sent back to draft (with the reviewer's reason), review overdue, review due within
30 days. One query per content type, however many items wait.
"""

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from content_app.models import ReviewerRole, ReviewStatus, Status
from content_app.models.base import REVIEW_DUE_SOON_DAYS, ReviewRecord
from content_app.services import SENT_BACK

SECTIONS = (
    ("in_review", "In review: waiting for a reviewer or publisher"),
    ("sent_back", "Sent back to draft: waiting for the editor"),
    ("overdue", "Review overdue"),
    ("due_soon", f"Review due within {REVIEW_DUE_SOON_DAYS} days"),
)
PER_TYPE = 50  # rows per content type and section; the list pages' filters show the rest


@dataclass
class Waiting:
    item: object
    type_label: str
    url: str
    reason: str = ""
    review_due: datetime.date | None = None


def last_workflow_reason(model):
    """The change reason of the item's latest workflow step (plain admin saves have none)."""
    return Subquery(
        model.history.filter(id=OuterRef("pk"), history_change_reason__isnull=False)
        .exclude(history_change_reason="")
        .order_by("-history_date", "-history_id")
        .values("history_change_reason")[:1]
    )


def sent_back_reason(reason: str | None) -> str | None:
    """The reviewer's words when `reason` records a send-back, else None."""
    if not reason or not reason.startswith(SENT_BACK):
        return None
    return reason.removeprefix(SENT_BACK).lstrip(": ") or "(no reason given)"


def waiting_work(request, model_admins) -> list[dict]:
    soon = timezone.localdate() + datetime.timedelta(days=REVIEW_DUE_SOON_DAYS)
    found = {key: [] for key, _ in SECTIONS}
    for model, model_admin in model_admins:
        if not model_admin.has_view_permission(request):
            continue
        reviewed = issubclass(model, ReviewRecord)
        wanted = Q(status=Status.IN_REVIEW) | Q(
            status=Status.DRAFT, last_reason__startswith=SENT_BACK
        )
        if reviewed:
            wanted |= Q(status=Status.PUBLISHED) & (
                Q(review_due__lte=soon) | Q(review_due__isnull=True)
            )
        rows = (
            model._default_manager.annotate(last_reason=last_workflow_reason(model))
            .filter(wanted)
            .order_by(*(("review_due",) if reviewed else ()), "pk")
        )
        label = model._meta.verbose_name
        info = model._meta.app_label, model._meta.model_name
        counts = dict.fromkeys(found, 0)
        for item in rows:
            key, reason = _section(item)
            if key is None or counts[key] >= PER_TYPE:
                continue
            counts[key] += 1
            url = reverse("admin:{}_{}_change".format(*info), args=(item.pk,))
            found[key].append(Waiting(item, label, url, reason, getattr(item, "review_due", None)))
    return [{"key": key, "title": title, "items": found[key]} for key, title in SECTIONS]


def _section(item):
    if item.status == Status.IN_REVIEW:
        return "in_review", ""
    if item.status == Status.DRAFT:
        return "sent_back", sent_back_reason(item.last_reason)
    state = item.review_status
    if state == ReviewStatus.DUE_SOON:
        return "due_soon", ""
    return ("overdue", "") if state != ReviewStatus.CURRENT else (None, "")


def review_state_label(item) -> str:
    """The review state (ReviewRecord.review_status) in a few words, for list columns."""
    state = ReviewStatus(item.review_status)
    if state == ReviewStatus.NOT_REVIEWED:
        return state.label
    kind = "clinical" if item.reviewer_role == ReviewerRole.CLINICAL else "editorial"
    due = f" · due {item.review_due:%Y-%m-%d}" if item.review_due else ""
    return f"{state.label} ({kind}){due}"


def item_notes(item) -> dict:
    """For the item's page: its review state and, for a sent-back draft, the reason."""
    notes = {}
    if isinstance(item, ReviewRecord):
        notes["review_state"] = review_state_label(item)
        notes["review_status"] = item.review_status
    if item.status == Status.DRAFT:
        last = (
            type(item)
            .history.filter(id=item.pk, history_change_reason__isnull=False)
            .exclude(history_change_reason="")
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
            .first()
        )
        reason = sent_back_reason(last.history_change_reason) if last else None
        if reason is not None:
            notes["sent_back"] = {
                "reason": reason,
                "by": last.history_user,
                "at": last.history_date,
            }
    return notes
