"""The editorial workflow table, declared once: states, steps, who may take them, what they call.

The services' allowed transitions, the admin's buttons and bulk actions and the `workflow`
management command all derive from STEPS. A step's `service` is the function doing it (it
checks permissions and rules itself; the table only decides what to offer).
"""

from dataclasses import dataclass
from importlib import import_module

from content_app.models.choices import Status

LIVE, COPY, ANY = "live", "copy", "any"  # which rows a step applies to


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    permission: str  # the model permission action the service requires
    from_statuses: frozenset
    to_status: str | None  # None: the status stays (a review, a new working copy)
    service: str  # "module:function"
    content_only: bool = False  # needs review metadata (services.REVIEWED only)
    rows: str = ANY  # LIVE: published items themselves; COPY: working copies only

    @property
    def func(self):
        module, name = self.service.split(":")
        return getattr(import_module(module), name)

    @property
    def command(self) -> str:
        """The name `manage.py workflow` takes."""
        return self.name.replace("_", "-")

    def offered_for(self, item) -> bool:
        if item.status not in self.from_statuses:
            return False
        if self.rows == LIVE and item.is_working_copy:
            return False
        return not (self.rows == COPY and not item.is_working_copy)


_S = "content_app.services"
_W = "content_app.working_copies"
STEPS = {
    step.name: step
    for step in (
        Step(
            "edit_next",
            "Edit next version",
            "change",
            frozenset({Status.PUBLISHED}),
            None,
            f"{_W}:start_working_copy",
            rows=LIVE,
        ),
        Step(
            "submit",
            "Submit for review",
            "change",
            frozenset({Status.DRAFT}),
            Status.IN_REVIEW,
            f"{_S}:submit_for_review",
        ),
        Step(
            "review",
            "Record review",
            "review",
            frozenset({Status.IN_REVIEW, Status.PUBLISHED}),
            None,
            f"{_S}:record_review",
            content_only=True,
        ),
        Step(
            "send_back",
            "Send back to draft",
            "review",
            frozenset({Status.IN_REVIEW}),
            Status.DRAFT,
            f"{_S}:send_back",
        ),
        Step(
            "publish",
            "Publish",
            "publish",
            frozenset({Status.IN_REVIEW}),
            Status.PUBLISHED,
            f"{_S}:publish",
        ),
        Step(
            "unpublish",
            "Unpublish (back to draft)",
            "publish",
            frozenset({Status.PUBLISHED, Status.ARCHIVED}),
            Status.DRAFT,
            f"{_S}:unpublish",
            rows=LIVE,
        ),
        Step(
            "archive",
            "Archive",
            "publish",
            frozenset({Status.PUBLISHED}),
            Status.ARCHIVED,
            f"{_S}:archive",
            rows=LIVE,
        ),
        Step(
            "discard",
            "Discard this working copy",
            "change",
            frozenset({Status.DRAFT, Status.IN_REVIEW}),
            None,
            f"{_W}:discard_working_copy",
            rows=COPY,
        ),
    )
}

# status -> the statuses it may move to.
ALLOWED_TRANSITIONS = {
    status: {s.to_status for s in STEPS.values() if s.to_status and status in s.from_statuses}
    for status in Status.values
}
