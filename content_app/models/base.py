"""What every public row shares: identity, status, revision; and the Source citation."""

import datetime

from django.conf import settings
from django.db import DatabaseError, models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from content_app.models.choices import ReviewerRole, ReviewStatus, Status, choices_check
from content_app.models.constraints import EditorFacingValidation, check
from content_app.querysets import ContentQuerySet

# A review falls due "soon" this many days ahead (the API's `review_status`, admin filters).
REVIEW_DUE_SOON_DAYS = 30


class RevisionConflict(DatabaseError):
    """A save based on a revision that is no longer the current one (a lost update)."""

    def __init__(self, message, *, expected, current):
        super().__init__(message)
        self.expected = expected
        self.current = current


class PublicEntity(EditorFacingValidation, models.Model):
    """What every publicly served row shares: identity, workflow status, revision."""

    slug = models.SlugField(max_length=120, unique=True, help_text="Stable public id; never reuse.")
    status = models.CharField(
        max_length=16,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text="Draft → in review → published (or archived); changed by the workflow buttons.",
    )
    revision = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Bumped on every save; optimistic locking and ETags.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the item was first saved.")
    updated_at = models.DateTimeField(auto_now=True, help_text="When the item was last saved.")
    published_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When it was first published."
    )
    # A working copy is the next version of a published row, edited while the live row keeps
    # being served (content_app/working_copies.py). It is never published itself.
    working_copy_of = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="working_copy",
        editable=False,
        help_text="The live item this row is the next version of (empty for live items).",
    )
    based_on_revision = models.PositiveIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="The live item's revision when this working copy was started.",
    )

    objects = ContentQuerySet.as_manager()

    # The collection name under /api/v1/ and the `type` in search, sync and bundle.
    api_type: str = ""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Optimistic locking: the UPDATE only matches the revision this instance was
        # loaded with (see _do_update), so a save based on a stale copy is refused.
        loaded = self.revision or 0
        self._expected_revision = None if self._state.adding else loaded
        self.revision = loaded + 1
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "revision", "updated_at"}
        try:
            super().save(*args, **kwargs)
        except BaseException:
            self.revision = loaded
            raise
        finally:
            self._expected_revision = None

    def _do_update(self, base_qs, using, pk_val, *args, **kwargs):
        expected = getattr(self, "_expected_revision", None)
        if expected is None:
            return super()._do_update(base_qs, using, pk_val, *args, **kwargs)
        matching = base_qs.filter(revision=expected)
        updated = super()._do_update(matching, using, pk_val, *args, **kwargs)
        if not updated:
            current = base_qs.filter(pk=pk_val).values_list("revision", flat=True).first()
            if current is not None:
                raise RevisionConflict(
                    f"{self._meta.verbose_name} {self.pk} was changed by someone else: it was "
                    f"saved from revision {expected}, it is now at revision {current}. "
                    "Nothing was saved.",
                    expected=expected,
                    current=current,
                )
        return updated

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED and self.working_copy_of_id is None

    @property
    def is_working_copy(self) -> bool:
        return self.working_copy_of_id is not None

    def get_absolute_url(self) -> str:
        return reverse(f"v1:{self.api_type}-detail", kwargs={"slug": self.slug})


def working_copy_constraints(prefix: str) -> list:
    """A working copy is only ever a draft or in review: never served, never archived."""
    return [
        check(
            condition=Q(working_copy_of__isnull=True)
            | Q(status__in=(Status.DRAFT, Status.IN_REVIEW)),
            name=f"{prefix}_working_copy_unpublished",
            message="A next version is a draft or in review: publish it to replace the live "
            "item, or discard it.",
            field="status",
        )
    ]


class Source(PublicEntity):
    """A citation: an article or guideline that content is written from."""

    api_type = "sources"

    title = models.CharField(
        max_length=300, help_text="The title of the article or guideline, as published."
    )
    author = models.CharField(
        max_length=200, blank=True, help_text="Authors or organisation, as the source names them."
    )
    publisher = models.CharField(
        max_length=200, blank=True, help_text="The journal, site or body that published it."
    )
    url = models.URLField(
        blank=True, help_text="A link readers can open (the publisher's page or a DOI link)."
    )
    published_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the source was published (empty if it gives no date).",
    )
    accessed_on = models.DateField(
        null=True, blank=True, help_text="When an editor last checked the source online."
    )
    note = models.TextField(blank=True, help_text="How this source was used.")

    history = HistoricalRecords()

    class Meta:
        ordering = ("title",)
        constraints = [
            choices_check("status", Status, "source_status_valid"),
            *working_copy_constraints("source"),
        ]
        permissions = [
            ("review_source", "Can record a review of sources"),
            ("publish_source", "Can publish, unpublish and archive sources"),
        ]

    def __str__(self):
        return self.title

    @property
    def name(self) -> str:
        return self.title


class ReviewRecord(models.Model):
    """Who reviewed an item, in what role and when, and when it is due again.

    A review is clinical only when `reviewer_role` says so; the launch content carries an
    editorial (non-clinical) review, see README "Safety and provenance".
    """

    reviewed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the last review was recorded (by the “Record review” button).",
    )
    review_due = models.DateField(
        null=True,
        blank=True,
        help_text="When the content must be reviewed again; the dashboard lists overdue items.",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The reviewer's account, if the review was recorded by one (never public).",
    )
    reviewer_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who reviewed it, as the API shows it: a person's name or a named editorial "
        "role such as 'KneeCare editorial team'.",
    )
    reviewer_role = models.CharField(
        max_length=16,
        choices=ReviewerRole.choices,
        blank=True,
        help_text="In what capacity it was reviewed; only 'clinical' is a clinical review.",
    )

    class Meta:
        abstract = True

    @property
    def review_status(self) -> str:
        return review_status(self.reviewed_at, self.review_due)


class ContentEntity(ReviewRecord, PublicEntity):
    """Reviewed, cited content: text, the review record (ReviewRecord) and sources."""

    name = models.CharField(max_length=200, help_text="The title readers see. Required to publish.")
    summary = models.TextField(help_text="One or two plain sentences; shown in lists.")
    body = models.TextField(blank=True, help_text="Markdown.")
    sources = models.ManyToManyField(Source, related_name="+", blank=True)

    history = HistoricalRecords(inherit=True, m2m_fields=["sources"])

    class Meta(PublicEntity.Meta):
        abstract = True
        ordering = ("name",)

    def __str__(self):
        return self.name


def review_status(reviewed_at, review_due, today: datetime.date | None = None) -> str:
    """current / due_soon / overdue, or not_reviewed when no review is recorded."""
    if reviewed_at is None:
        return ReviewStatus.NOT_REVIEWED
    from django.utils import timezone

    today = today or timezone.localdate()
    if review_due is None or review_due <= today:
        return ReviewStatus.OVERDUE
    if review_due <= today + datetime.timedelta(days=REVIEW_DUE_SOON_DAYS):
        return ReviewStatus.DUE_SOON
    return ReviewStatus.CURRENT


def review_constraints(prefix: str) -> list:
    """A review is either fully recorded (when, who, in what role) or absent: never a null
    reviewer shown as reviewed."""
    reviewed = (
        Q(reviewed_at__isnull=False)
        & Q(reviewer_role__in=ReviewerRole.values)
        & ~Q(reviewer_name="")
    )
    unreviewed = Q(reviewed_at__isnull=True, reviewer_role="", reviewer_name="")
    return [
        check(
            condition=reviewed | unreviewed,
            name=f"{prefix}_review_whole",
            message="A review is recorded whole (when, who and in what role) or not at all: "
            "record it with the “Record review” button.",
        )
    ]


def content_permissions(verbose):
    return [
        (f"review_{verbose}", f"Can record a review of {verbose}"),
        (f"publish_{verbose}", f"Can publish, unpublish and archive {verbose}"),
    ]
