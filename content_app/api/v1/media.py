"""Media in API v1: the JSON of media assets and links (from `.values()` rows, like
`representations.py`) and the serializers describing exactly those shapes for the schema.

- `media_links(model, owner_ids)`: the published media shown on items, grouped by item id
  (the `media` key of exercise, anatomy and treatment details).
- `media_assets(queryset)`: asset entries (sync's `changed.media`, the bundle's manifest).
- `manifest(queryset)`: the bundle's `media` object: every published asset and its files.
Queries: one for the assets or links, one for all their renditions (none without assets).
"""

from collections import defaultdict

from django.core.files.storage import default_storage
from rest_framework import serializers

from content_app import models as m
from content_app.media import embed_url, watch_url
from content_app.models.media import LICENCE_URLS
from content_app.querysets import PUBLISHED, id_in

# Illustrated model -> (link model, its FK to the item).
MEDIA_OWNERS = {
    through._meta.get_field(owner).related_model: (through, owner)
    for through, owner, _media in m.MEDIA_RELATIONS
}

ASSET_COLUMNS = (
    "id",
    "slug",
    "kind",
    "title",
    "alt_text",
    "caption",
    "credit",
    "licence",
    "source",
    "width",
    "height",
    "video_provider",
    "video_id",
    "updated_at",
)
ASSET_KEYS = (
    "slug",
    "kind",
    "alt_text",
    "caption",
    "credit",
    "licence",
    "licence_url",
    "source",
    "width",
    "height",
    "renditions",
    "video",
    "updated_at",
)
LINK_KEYS = ("order", "role", "note", *ASSET_KEYS)


def _renditions(asset_ids) -> dict[int, list[dict]]:
    grouped = defaultdict(list)
    if not asset_ids:
        return grouped
    rows = (
        m.MediaRendition.objects.filter(asset_id__in=asset_ids)
        .order_by("asset_id", "width", "format")
        .values("asset_id", "file", "width", "height", "bytes", "sha256", "format")
    )
    url = default_storage.url
    for row in rows:
        grouped[row["asset_id"]].append(
            {
                "url": url(row["file"]),
                "width": row["width"],
                "height": row["height"],
                "bytes": row["bytes"],
                "sha256": row["sha256"],
                "format": row["format"],
            }
        )
    return grouped


def _asset(row: dict, files: list[dict], prefix: str = "") -> dict:
    licence = row[f"{prefix}licence"]
    provider = row[f"{prefix}video_provider"]
    video_id = row[f"{prefix}video_id"]
    return {
        "slug": row[f"{prefix}slug"],
        "kind": row[f"{prefix}kind"],
        "alt_text": row[f"{prefix}alt_text"],
        "caption": row[f"{prefix}caption"],
        "credit": row[f"{prefix}credit"],
        "licence": licence,
        "licence_url": LICENCE_URLS.get(licence),
        "source": row[f"{prefix}source"],
        "width": row[f"{prefix}width"],
        "height": row[f"{prefix}height"],
        "renditions": [{**file, "licence": licence} for file in files],
        "video": {
            "provider": provider,
            "id": video_id,
            "embed_url": embed_url(provider, video_id),
            "watch_url": watch_url(provider, video_id),
        }
        if provider and video_id
        else None,
        "updated_at": row[f"{prefix}updated_at"],
    }


def media_links(model, owner_ids) -> dict[int, list[dict]] | None:
    """Published media on each item, in the editors' order; None if `model` shows no media."""
    if model not in MEDIA_OWNERS:
        return None
    through, owner = MEDIA_OWNERS[model]
    rows = list(
        through.objects.filter(id_in(f"{owner}_id", owner_ids), media__status=PUBLISHED)
        .order_by("order", "pk")
        .values(
            f"{owner}_id",
            "order",
            "role",
            "note",
            "media_id",
            *(f"media__{c}" for c in ASSET_COLUMNS),
        )
    )
    files = _renditions({row["media_id"] for row in rows})
    grouped = defaultdict(list)
    for row in rows:
        asset = _asset(row, files.get(row["media_id"], []), "media__")
        grouped[row[f"{owner}_id"]].append(
            {"order": row["order"], "role": row["role"], "note": row["note"], **asset}
        )
    return grouped


def media_assets(queryset) -> list[dict]:
    rows = list(queryset.order_by("slug").values(*ASSET_COLUMNS))
    files = _renditions({row["id"] for row in rows})
    return [_asset(row, files.get(row["id"], [])) for row in rows]


def manifest(queryset) -> dict:
    assets = media_assets(queryset)
    files = [file for asset in assets for file in asset["renditions"]]
    return {
        "assets": assets,
        "file_count": len(files),
        "total_bytes": sum(file["bytes"] for file in files),
    }


# --- Schema ---------------------------------------------------------------------------------


class MediaRenditionSerializer(serializers.Serializer):
    """One stored file. Its name is its SHA-256: it never changes, so cache it forever."""

    url = serializers.CharField(
        help_text="Where to download it: a path relative to the API host (filesystem storage) "
        "or an absolute URL (object storage or CDN). Served with `Cache-Control: public, "
        "max-age=31536000, immutable`."
    )
    width = serializers.IntegerField(min_value=1, help_text="Pixels.")
    height = serializers.IntegerField(min_value=1, help_text="Pixels.")
    bytes = serializers.IntegerField(min_value=1, help_text="Size of the file.")
    sha256 = serializers.RegexField(
        r"^[0-9a-f]{64}$", help_text="SHA-256 of the file's bytes, lowercase hex: verify it."
    )
    format = serializers.ChoiceField(
        choices=m.ImageFormat.choices, help_text="webp, plus jpeg (or png with transparency)."
    )
    licence = serializers.ChoiceField(
        choices=m.MediaLicence.choices, help_text="The licence the file is used under."
    )


class MediaVideoSerializer(serializers.Serializer):
    """A video on a video host, to play in the host's privacy-enhanced player."""

    provider = serializers.ChoiceField(choices=m.VideoProvider.choices)
    id = serializers.CharField(help_text="The video's id at the host.")
    embed_url = serializers.URLField(
        help_text="Privacy-enhanced player to embed (youtube-nocookie.com, or Vimeo with dnt=1)."
    )
    watch_url = serializers.URLField(help_text="The video's page at the host.")


class MediaAssetSerializer(serializers.Serializer):
    """A published image (or video link) with its files, alt text and licence."""

    slug = serializers.SlugField(help_text="Stable id of the media asset.")
    kind = serializers.ChoiceField(choices=m.MediaKind.choices)
    alt_text = serializers.CharField(help_text="Text alternative for screen readers.")
    caption = serializers.CharField(help_text="Shown with the image.")
    credit = serializers.CharField(help_text="Who made it; show it with the image.")
    licence = serializers.ChoiceField(choices=m.MediaLicence.choices)
    licence_url = serializers.URLField(
        allow_null=True, help_text="The licence text (null for own work or permission)."
    )
    source = serializers.CharField(help_text="Where it comes from, or how it was made.")
    width = serializers.IntegerField(
        allow_null=True,
        min_value=1,
        help_text="Width of the image (as uploaded, at most 2560); the renditions are scaled "
        "copies with its aspect ratio. Null for a video without a poster image.",
    )
    height = serializers.IntegerField(
        allow_null=True, min_value=1, help_text="Height of the image; null without one."
    )
    renditions = MediaRenditionSerializer(
        many=True,
        help_text="Every file, narrowest first, each in WebP and JPEG/PNG (empty for a video "
        "without a poster image).",
    )
    video = MediaVideoSerializer(allow_null=True, help_text="The video; null for images.")
    updated_at = serializers.DateTimeField(help_text="Last change.")


class MediaLinkSerializer(MediaAssetSerializer):
    """A media asset shown on this item, with its place there."""

    order = serializers.IntegerField(min_value=0, help_text="Position chosen by the editors.")
    role = serializers.ChoiceField(
        choices=m.MediaRole.choices, help_text="What it shows: start or end position, ..."
    )
    note = serializers.CharField(allow_blank=True, help_text="Editor's note on this picture.")

    def get_fields(self):
        fields = super().get_fields()
        return {key: fields[key] for key in LINK_KEYS}


class MediaManifestSerializer(serializers.Serializer):
    """Every published media asset and its files: download, verify (SHA-256), keep offline."""

    assets = MediaAssetSerializer(many=True)
    file_count = serializers.IntegerField(min_value=0, help_text="Files in all `renditions`.")
    total_bytes = serializers.IntegerField(min_value=0, help_text="Their total size.")


def media_field(**kwargs):
    return MediaLinkSerializer(
        many=True,
        help_text="Published pictures and video links, in order (`role`: start position, end "
        "position, demonstration, diagram).",
        **kwargs,
    )
