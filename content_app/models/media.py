"""Media: images (and links to short videos) attached to exercises, anatomy and treatments.

A `MediaAsset` is reviewed and published like any content (status, review record, history,
change log). Its pixels are never the uploaded bytes: `content_app.media` re-encodes every
upload and writes content-addressed renditions (`MediaRendition`), one row per stored file.
The links (`ExerciseMedia`, `AnatomyMedia`, `TreatmentMedia`) are ordered through-rows with a
role, edited as inlines on the item they illustrate.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from content_app.models.base import (
    PublicEntity,
    ReviewRecord,
    review_constraints,
    working_copy_constraints,
)
from content_app.models.choices import Status, choices_check
from content_app.models.constraints import check
from content_app.models.entities import AnatomyStructure, Exercise, Treatment
from content_app.models.relations import Relation


class MediaKind(models.TextChoices):
    IMAGE = "image", "Image"
    VIDEO = "video", "Video (a link to a video host)"


class MediaRole(models.TextChoices):
    START = "start", "Start position"
    END = "end", "End position"
    DEMONSTRATION = "demonstration", "Demonstration"
    DIAGRAM = "diagram", "Diagram"


class MediaLicence(models.TextChoices):
    # SPDX identifiers where one exists.
    CC0 = "CC0-1.0", "CC0 1.0 (public domain dedication)"
    CC_BY = "CC-BY-4.0", "CC BY 4.0"
    CC_BY_SA = "CC-BY-SA-4.0", "CC BY-SA 4.0"
    OWN_WORK = "own-work", "Made for KneeCare (the project's own work)"
    PERMISSION = "with-permission", "Used with the rights holder's written permission"


LICENCE_URLS = {
    MediaLicence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
    MediaLicence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    MediaLicence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
}


class ImageFormat(models.TextChoices):
    WEBP = "webp", "WebP"
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"


class VideoProvider(models.TextChoices):
    YOUTUBE = "youtube", "YouTube (privacy-enhanced: youtube-nocookie.com)"
    VIMEO = "vimeo", "Vimeo (do-not-track player)"


class MediaAsset(ReviewRecord, PublicEntity):
    Kind = MediaKind

    # The `type` of media entries in sync tombstones and the change log (not a collection).
    api_type = "media"

    kind = models.CharField(
        max_length=8,
        choices=MediaKind.choices,
        default=MediaKind.IMAGE,
        help_text="An uploaded image, or a link to a video on YouTube or Vimeo.",
    )
    title = models.CharField(max_length=200, help_text="For editors: what the picture shows.")
    alt_text = models.CharField(
        "alt text",
        max_length=250,
        help_text=(
            "Required. What a person who cannot see the image needs to know, in one sentence: "
            "e.g. 'Person lying on their back, knees bent, feet flat on the floor.' Do not "
            "start with 'Image of', and never use the file name."
        ),
    )
    caption = models.CharField(
        max_length=300, blank=True, help_text="Shown under the image in the app."
    )
    credit = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who made it, as the licence wants it credited, e.g. 'Drawn for KneeCare'.",
    )
    licence = models.CharField(
        max_length=24,
        choices=MediaLicence.choices,
        blank=True,
        help_text="Under what terms KneeCare may show it. Required to publish.",
    )
    source = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where it comes from: the page it was taken from, or how it was made.",
    )
    # Images: the normalised master (re-encoded, metadata-free) the renditions are made from.
    original = models.FileField(max_length=200, blank=True, editable=False)
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    # Videos: the host's page URL as the editor pasted it, and what it parsed to.
    video_url = models.URLField(
        blank=True,
        help_text="Videos only: a YouTube or Vimeo link. The app embeds it with the host's "
        "privacy-enhanced player (youtube-nocookie.com, Vimeo with dnt=1).",
    )
    video_provider = models.CharField(
        max_length=8, choices=VideoProvider.choices, blank=True, editable=False
    )
    video_id = models.CharField(max_length=32, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ("title", "pk")
        verbose_name = "media asset"
        constraints = [
            choices_check("status", Status, "media_status_valid"),
            *review_constraints("media"),
            *working_copy_constraints("media"),
            choices_check("kind", MediaKind, "media_kind_valid"),
            check(
                condition=Q(licence="") | Q(licence__in=MediaLicence.values),
                name="media_licence_valid",
                message="Choose one of the listed licences.",
                field="licence",
            ),
            check(
                condition=Q(kind=MediaKind.IMAGE, video_url="") | Q(kind=MediaKind.VIDEO),
                name="media_image_has_no_video_url",
                message="An image has no video URL: clear it, or set the kind to video.",
                field="video_url",
            ),
        ]
        permissions = [
            ("review_mediaasset", "Can record a review of media assets"),
            ("publish_mediaasset", "Can publish, unpublish and archive media assets"),
        ]

    def __str__(self):
        return self.title

    @property
    def name(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        # No collection of its own: served in the items' details, the bundle and sync.
        return reverse("v1:bundle")


class MediaRendition(models.Model):
    """One stored file: a width and format of an asset, named by the SHA-256 of its bytes."""

    asset = models.ForeignKey(MediaAsset, on_delete=models.CASCADE, related_name="renditions")
    file = models.FileField(max_length=200)
    format = models.CharField(max_length=8, choices=ImageFormat.choices)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    bytes = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    # A revert of the asset restores the renditions of that version (models/registry.py).
    history = HistoricalRecords()

    class Meta:
        ordering = ("width", "format")
        constraints = [
            models.UniqueConstraint(
                fields=("asset", "width", "format"), name="mediarendition_unique_size"
            ),
            choices_check("format", ImageFormat, "mediarendition_format_valid"),
            check(
                condition=Q(width__gt=0, height__gt=0, bytes__gt=0),
                name="mediarendition_positive",
                message="A stored file has a width, a height and a size above zero.",
            ),
        ]

    def __str__(self):
        return f"{self.asset} {self.width}px {self.format}"


def _unique_pair(model_name, a, b):
    return models.UniqueConstraint(fields=(a, b), name=f"{model_name}_unique_pair")


class _MediaLink(Relation):
    Role = MediaRole

    media = models.ForeignKey(MediaAsset, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=16, choices=MediaRole.choices, default=MediaRole.DIAGRAM)

    class Meta:
        abstract = True
        ordering = ("order", "pk")


class ExerciseMedia(_MediaLink):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="media_links")

    class Meta(_MediaLink.Meta):
        verbose_name = "exercise picture or video"
        constraints = [
            _unique_pair("exercisemedia", "exercise", "media"),
            choices_check("role", MediaRole, "exercisemedia_role_valid"),
        ]

    def __str__(self):
        return f"{self.exercise} – {self.media} ({self.role})"


class AnatomyMedia(_MediaLink):
    structure = models.ForeignKey(
        AnatomyStructure, on_delete=models.CASCADE, related_name="media_links"
    )

    class Meta(_MediaLink.Meta):
        verbose_name = "anatomy picture"
        constraints = [
            _unique_pair("anatomymedia", "structure", "media"),
            choices_check("role", MediaRole, "anatomymedia_role_valid"),
        ]

    def __str__(self):
        return f"{self.structure} – {self.media}"


class TreatmentMedia(_MediaLink):
    treatment = models.ForeignKey(Treatment, on_delete=models.CASCADE, related_name="media_links")

    class Meta(_MediaLink.Meta):
        verbose_name = "treatment picture or video"
        constraints = [
            _unique_pair("treatmentmedia", "treatment", "media"),
            choices_check("role", MediaRole, "treatmentmedia_role_valid"),
        ]

    def __str__(self):
        return f"{self.treatment} – {self.media}"
