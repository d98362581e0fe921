"""Media tests: files go to a temporary MEDIA_ROOT; images are drawn with Pillow here."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw
from PIL.PngImagePlugin import PngInfo

from content_app import media
from content_app import models as m
from tests import factories as f


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.API_RATE_ANON = None
    settings.API_RATE_PARTNER = None
    return settings.MEDIA_ROOT


def drawing(width=1600, height=1200, mode="RGB") -> Image.Image:
    """A simple test picture: a background, a box and a diagonal (compresses like a diagram)."""
    background = (240, 244, 248, 0)[: len(mode)]  # transparent when there is an alpha band
    image = Image.new(mode, (width, height), background)
    draw = ImageDraw.Draw(image)
    draw.rectangle((width // 8, height // 8, width // 2, height // 2), outline="navy", width=8)
    draw.line((0, 0, width, height), fill="teal", width=12)
    return image


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def png(width=1600, height=1200, **options) -> bytes:
    return encode(drawing(width, height), "PNG", **options)


def jpeg(width=1600, height=1200, **options) -> bytes:
    return encode(drawing(width, height), "JPEG", quality=90, **options)


def upload(data: bytes, name="picture.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.html", "<p>not a picture</p>")
    return buffer.getvalue()


def png_with_text(key: str, text: str) -> bytes:
    info = PngInfo()
    info.add_text(key, text)
    return encode(drawing(400, 300), "PNG", pnginfo=info)


def published_asset(*, slug="bridge-start", data=None, **fields) -> m.MediaAsset:
    """A published, reviewed image asset with its renditions stored."""
    defaults = {
        "title": "Glute bridge: start position",
        "alt_text": "Person lying on their back with knees bent and feet flat on the floor.",
        "caption": "Start position.",
        "credit": "Drawn for KneeCare",
        "licence": m.MediaLicence.OWN_WORK,
        "source": "Drawn with Pillow for the test suite",
        "status": m.Status.PUBLISHED,
        "reviewed_by": f.UserFactory(username="media-reviewer"),
        "reviewed_at": timezone.now(),
        "reviewer_name": "Media Reviewer",
        "reviewer_role": m.ReviewerRole.EDITORIAL,
        "review_due": timezone.localdate() + datetime.timedelta(days=365),
    }
    asset = m.MediaAsset(slug=slug, **{**defaults, **fields})
    media.attach_image(asset=asset, processed=media.process_image(data or png(700, 500)))
    return asset
