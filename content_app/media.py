"""Media uploads: validation, normalisation, renditions and storage (writes with side effects).

Pillow does the decoding and encoding; what no library does for us is the policy, written here:
- The type is sniffed from the bytes (Pillow, formats JPEG, PNG and WebP only), never taken from
  the file name or the client's content type. SVG is refused outright (it can carry scripts).
- Caps before any pixel is decoded: file size (`MEDIA_MAX_UPLOAD_BYTES`), then pixel count
  (`MEDIA_MAX_PIXELS`, read from the header); Pillow's own `Image.MAX_IMAGE_PIXELS` guard is
  set to the same cap and its warning is an error, so a decompression bomb never decodes.
- Polyglots are refused: a ZIP archive inside, HTML/script markup in the metadata (JPEG
  APPn/COM segments, PNG ancillary and text chunks, WebP EXIF/XMP chunks; compressed pixels are
  not scanned, they would match short patterns by chance), or data after the image's end (the
  containers are walked to find it). Animated images are refused (link a video instead).
- Nothing of the upload is stored: the pixels are re-encoded into fresh images (EXIF applied
  as orientation, then EXIF, XMP, ICC and every other chunk dropped; colours converted to sRGB).
- Renditions (`MEDIA_RENDITION_WIDTHS`, WebP plus JPEG, or PNG for images with transparency)
  are written once, on upload, under content-addressed names `<kind>/<sha[:2]>/<sha256>.<ext>`
  through Django's default storage (filesystem locally, S3-compatible in production): a name
  never changes meaning, so it can be cached forever (`public, max-age=31536000, immutable`).
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from content_app import models as m

logger = logging.getLogger(__name__)

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
EXTENSIONS = {m.ImageFormat.WEBP: "webp", m.ImageFormat.JPEG: "jpg", m.ImageFormat.PNG: "png"}
CONTENT_TYPES = {"webp": "image/webp", "jpg": "image/jpeg", "png": "image/png"}
IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable"

_MARKUP = re.compile(
    rb"<(?:script|html|svg|iframe|body|object|embed|meta|a\s+href)\b|<\?php|<!doctype|javascript:",
    re.IGNORECASE,
)
_SVG_START = re.compile(rb"^\s*(?:<\?xml|<svg|<!--|<!doctype\s+svg)", re.IGNORECASE)


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.0f} MB" if n >= 1_000_000 else f"{n:,} bytes"


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


# --- Validation ---------------------------------------------------------------------------


def read_upload(uploaded) -> bytes:
    """The upload's bytes, refused before reading when it is over the size cap."""
    cap = settings.MEDIA_MAX_UPLOAD_BYTES
    size = getattr(uploaded, "size", None)
    if size is not None and size > cap:
        _refuse(
            f"The file is {_mb(size)}; at most {_mb(cap)} are accepted. Export a smaller image "
            "(2560 pixels on the long side is plenty).",
            "too_large",
        )
    uploaded.seek(0)
    data = uploaded.read(cap + 1)
    if len(data) > cap:
        _refuse(f"The file is larger than {_mb(cap)}; export a smaller image.", "too_large")
    if not data:
        _refuse("The file is empty.", "empty")
    return data


_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


def _sniff_markup_and_text(data: bytes) -> None:
    head = data[:4096].removeprefix(b"\xef\xbb\xbf")
    if head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return  # markup hidden inside an image is looked for in its metadata, below
    if _SVG_START.match(head) or b"<svg" in head.lower():
        _refuse(
            "SVG files are not accepted: they can carry scripts. Export the drawing as PNG "
            "(or WebP) and upload that.",
            "svg",
        )
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            _refuse(
                "This file is text, not an image, whatever its name says. Upload a JPEG, PNG "
                "or WebP image.",
                "not_an_image",
            )


# Container walkers: (metadata payloads, offset just after the image) or None for the offset
# when the structure is broken. Pixel data is skipped, so the scans below look only where
# text can hide (random compressed pixels would match short patterns now and then).


def _jpeg_layout(data: bytes) -> tuple[list[bytes], int | None]:
    meta, pos, n = [], 2, len(data)
    while pos + 2 <= n:
        if data[pos] != 0xFF:
            return meta, None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte before a marker
            pos += 1
            continue
        if marker == 0xD9:  # EOI
            return meta, pos + 2
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            pos += 2
            continue
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:  # APPn (EXIF, XMP, ...) and comments
            meta.append(data[pos + 4 : pos + 2 + length])
        pos += 2 + length
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next real marker
            while True:
                found = data.find(b"\xff", pos)
                if found < 0 or found + 1 >= n:
                    return meta, None
                following = data[found + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:  # stuffed byte, restart
                    pos = found + 2
                    continue
                pos = found
                break
    return meta, None


def _inflated(body: bytes) -> bytes:
    """The compressed text of a zTXt/iTXt chunk (bounded), or b"" when there is none."""
    for start in range(body.find(b"\x00") + 1, min(len(body), 200)):
        if body[start] != 0x78:
            continue
        try:
            return zlib.decompressobj().decompress(body[start:], 1_000_000)
        except zlib.error:
            continue
    return b""


def _png_layout(data: bytes) -> tuple[list[bytes], int | None]:
    meta, pos = [], 8
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind not in (b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS"):
            meta += [body, _inflated(body)] if kind in (b"zTXt", b"iTXt") else [body]
        pos += 12 + length
        if kind == b"IEND":
            return meta, pos
    return meta, None


def _webp_layout(data: bytes) -> tuple[list[bytes], int | None]:
    riff = int.from_bytes(data[4:8], "little")
    end = 8 + riff + (riff & 1)
    meta, pos = [], 12
    while pos + 8 <= min(end, len(data)):
        kind = data[pos : pos + 4]
        size = int.from_bytes(data[pos + 4 : pos + 8], "little")
        if kind not in (b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF"):
            meta.append(data[pos + 8 : pos + 8 + size])  # EXIF, XMP, ICCP and unknown chunks
        pos += 8 + size + (size & 1)
    return meta, end


LAYOUTS = {"JPEG": _jpeg_layout, "PNG": _png_layout, "WEBP": _webp_layout}


def _refuse_polyglot(data: bytes, fmt: str) -> None:
    meta, end = LAYOUTS[fmt](data)
    if end is None:
        _refuse("The image's structure is damaged; export it afresh and upload that.", "damaged")
    trailing = data[end:].rstrip(b"\x00")  # zero padding after the image is harmless
    hidden = b"".join([*meta, trailing])
    if zipfile.is_zipfile(io.BytesIO(data)) or b"PK\x03\x04" in hidden:
        _refuse(
            "The file also contains a ZIP archive (a polyglot file). Upload a plain image, "
            "exported afresh from your drawing or photo program.",
            "polyglot",
        )
    if _MARKUP.search(hidden):
        _refuse(
            "The file contains HTML or script markup hidden inside the image (a polyglot "
            "file). Upload a plain image, exported afresh.",
            "polyglot",
        )
    if trailing:
        _refuse(
            f"The file has {len(data) - end:,} bytes of other data after the end of the image "
            "(a polyglot file). Upload a plain image, exported afresh.",
            "polyglot",
        )


def _pixel_cap_message(width, height) -> str:
    cap = settings.MEDIA_MAX_PIXELS
    return (
        f"The image is {width:,} × {height:,} pixels ({width * height / 1e6:.0f} megapixels); at "
        f"most {cap / 1e6:.0f} megapixels are accepted (this also stops decompression bombs). "
        "Scale it down first."
    )


def open_image(data: bytes) -> Image.Image:
    """Open and fully decode `data` after every check; raises ValidationError with the reason."""
    _sniff_markup_and_text(data)
    # Pillow's own guard (a warning above it, an error above twice it), behind our lower cap.
    Image.MAX_IMAGE_PIXELS = 2 * settings.MEDIA_MAX_PIXELS
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            _refuse(
                f"The image has far more than {settings.MEDIA_MAX_PIXELS / 1e6:.0f} megapixels "
                "(a decompression bomb?); at most that many are accepted. Scale it down first.",
                "too_many_pixels",
            )
        except UnidentifiedImageError:
            _refuse(
                "This is not a JPEG, PNG or WebP image (the type is read from the file's "
                "content, not from its name). GIF, HEIC, TIFF and SVG are not accepted.",
                "not_an_image",
            )
        except (OSError, SyntaxError, ValueError):
            _refuse("The image is damaged and cannot be read.", "damaged")
        width, height = image.size
        if width * height > settings.MEDIA_MAX_PIXELS:
            _refuse(_pixel_cap_message(width, height), "too_many_pixels")
        if min(width, height) < settings.MEDIA_MIN_EDGE:
            _refuse(
                f"The image is {width} × {height} pixels; at least "
                f"{settings.MEDIA_MIN_EDGE} pixels on each side are needed.",
                "too_small",
            )
        if getattr(image, "n_frames", 1) > 1:
            _refuse(
                "Animated images are not accepted. Upload a still image, or add the "
                "animation as a video link.",
                "animated",
            )
        _refuse_polyglot(data, image.format)
        try:
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            _refuse(_pixel_cap_message(width, height), "too_many_pixels")
        except (OSError, SyntaxError, ValueError):
            _refuse("The image is damaged or truncated and cannot be read.", "damaged")
    return image


# --- Normalisation and renditions -----------------------------------------------------------


@dataclass(frozen=True)
class EncodedImage:
    format: str  # an ImageFormat value
    width: int
    height: int
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]

    def storage_name(self, folder: str) -> str:
        sha = self.sha256
        return f"{folder}/{sha[:2]}/{sha}.{self.extension}"


@dataclass(frozen=True)
class ProcessedImage:
    master: EncodedImage
    renditions: tuple[EncodedImage, ...]


def _to_srgb(image: Image.Image) -> Image.Image:
    icc = image.info.get("icc_profile")
    if not icc:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        mode = "RGBA" if "A" in image.getbands() else "RGB"
        return ImageCms.profileToProfile(
            image.convert(mode), source, ImageCms.createProfile("sRGB"), outputMode=mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # an unreadable profile: keep the pixels as they are


def clean_pixels(image: Image.Image) -> Image.Image:
    """The picture as a fresh image: orientation applied, sRGB, RGB(A), no metadata at all."""
    image = ImageOps.exif_transpose(image)
    image = _to_srgb(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    mode = "RGBA" if has_alpha else "RGB"
    converted = image.convert(mode)
    return Image.frombytes(mode, converted.size, converted.tobytes())  # info == {}


def _encode(image: Image.Image, fmt: str) -> EncodedImage:
    buffer = io.BytesIO()
    if fmt == m.ImageFormat.WEBP:
        image.save(buffer, "WEBP", quality=80, method=4)
    elif fmt == m.ImageFormat.JPEG:
        image.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    else:
        image.save(buffer, "PNG", optimize=True)
    return EncodedImage(fmt, image.width, image.height, buffer.getvalue())


def _scaled(image: Image.Image, width: int) -> Image.Image:
    if width >= image.width:
        return image
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS)


def rendition_widths(width: int) -> list[int]:
    widths = [w for w in settings.MEDIA_RENDITION_WIDTHS if w <= width]
    return widths or [width]


def process_image(data: bytes) -> ProcessedImage:
    """Validate `data` and make the master and every rendition (nothing is stored yet)."""
    image = clean_pixels(open_image(data))
    master = _scaled(image, settings.MEDIA_MASTER_MAX_WIDTH)
    if master.height > settings.MEDIA_MASTER_MAX_WIDTH:  # tall images: cap the long side
        master = master.resize(
            (
                max(1, round(master.width * settings.MEDIA_MASTER_MAX_WIDTH / master.height)),
                settings.MEDIA_MASTER_MAX_WIDTH,
            ),
            Image.Resampling.LANCZOS,
        )
    fallback = m.ImageFormat.PNG if master.mode == "RGBA" else m.ImageFormat.JPEG
    renditions = []
    for width in rendition_widths(master.width):
        scaled = _scaled(master, width)
        renditions += [_encode(scaled, m.ImageFormat.WEBP), _encode(scaled, fallback)]
    return ProcessedImage(_encode(master, fallback), tuple(renditions))


def process_upload(uploaded) -> ProcessedImage:
    return process_image(read_upload(uploaded))


# --- Storage --------------------------------------------------------------------------------


class StorageUnavailable(Exception):
    """The file store (S3, or the filesystem) refused or did not answer a write."""


def _storage_errors() -> tuple[type[BaseException], ...]:
    from botocore.exceptions import BotoCoreError, ClientError

    return (OSError, BotoCoreError, ClientError)


def store_file(encoded: EncodedImage, folder: str) -> str:
    """Write once under the content-addressed name; the same bytes always get the same name.

    StorageUnavailable when the store fails (S3 down, a missing bucket, a full disk), logged
    with the cause."""
    name = encoded.storage_name(folder)
    try:
        if not default_storage.exists(name):
            saved = default_storage.save(name, ContentFile(encoded.data))
            if saved != name:  # a concurrent writer stored the same bytes first
                default_storage.delete(saved)
    except _storage_errors() as error:
        logger.error("media storage failed writing %s: %r", name, error, exc_info=True)
        raise StorageUnavailable(name) from error
    return name


def store_files(processed: ProcessedImage) -> None:
    """Write the master and every rendition (what prepare_image points the asset at)."""
    store_file(processed.master, "originals")
    for encoded in processed.renditions:
        store_file(encoded, "renditions")


def prepare_image(*, asset: m.MediaAsset, processed: ProcessedImage, stored=False) -> None:
    """Store every file (unless `stored`: the admin form stored them while validating) and
    point the (unsaved) asset at its new master image.

    Files are written before the transaction commits; if it rolls back they stay as unused,
    harmless files (content-addressed, so a retry reuses them). Files are never deleted: an
    app may still be downloading the previous image.
    """
    if not stored:
        store_files(processed)
    asset.original.name = processed.master.storage_name("originals")
    asset.width = processed.master.width
    asset.height = processed.master.height
    asset.sha256 = processed.master.sha256


def save_renditions(*, asset: m.MediaAsset, processed: ProcessedImage) -> None:
    """Replace the saved asset's rendition rows (one save each: simple-history records them)."""
    for old in asset.renditions.all():
        old.delete()
    for encoded in processed.renditions:
        m.MediaRendition(
            asset=asset,
            file=encoded.storage_name("renditions"),
            format=encoded.format,
            width=encoded.width,
            height=encoded.height,
            bytes=len(encoded.data),
            sha256=encoded.sha256,
        ).save()


def attach_image(*, asset: m.MediaAsset, processed: ProcessedImage, user=None) -> None:
    """Make `processed` the asset's image: files, fields and renditions, in one transaction."""
    with transaction.atomic():
        prepare_image(asset=asset, processed=processed)
        asset._history_user = user
        asset._change_reason = "New image uploaded"
        asset.save()
        save_renditions(asset=asset, processed=processed)


# --- Videos ---------------------------------------------------------------------------------

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^[0-9]{1,12}$")
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com"}
_YOUTUBE_HOSTS |= {"www.youtube-nocookie.com"}


def _video_id(host: str, segments: list[str], query: str) -> tuple[str, str]:
    if host in _YOUTUBE_HOSTS:
        if segments[:1] == ["watch"]:
            return m.VideoProvider.YOUTUBE, parse_qs(query).get("v", [""])[0]
        if len(segments) >= 2 and segments[0] in ("embed", "shorts", "live"):
            return m.VideoProvider.YOUTUBE, segments[1]
    if host == "youtu.be" and segments:
        return m.VideoProvider.YOUTUBE, segments[0]
    if host in ("vimeo.com", "www.vimeo.com") and segments:
        return m.VideoProvider.VIMEO, segments[-1]
    if host == "player.vimeo.com" and len(segments) == 2 and segments[0] == "video":
        return m.VideoProvider.VIMEO, segments[1]
    return "", ""


def parse_video_url(url: str) -> tuple[str, str]:
    """(provider, id) of a YouTube or Vimeo link; ValidationError for anything else."""
    parts = urlsplit(url.strip())
    segments = [s for s in parts.path.split("/") if s]
    provider, video_id = "", ""
    if parts.scheme in ("http", "https"):
        provider, video_id = _video_id((parts.hostname or "").lower(), segments, parts.query)
    pattern = _YOUTUBE_ID if provider == m.VideoProvider.YOUTUBE else _VIMEO_ID
    if provider and pattern.match(video_id):
        return provider, video_id
    raise ValidationError(
        "Give a YouTube or Vimeo link to one video, e.g. https://www.youtube.com/watch?v=… or "
        "https://vimeo.com/123456. Other hosts are not accepted.",
        code="video_url",
    )


def embed_url(provider: str, video_id: str) -> str:
    if provider == m.VideoProvider.YOUTUBE:
        return f"https://www.youtube-nocookie.com/embed/{video_id}"
    return f"https://player.vimeo.com/video/{video_id}?dnt=1"


def watch_url(provider: str, video_id: str) -> str:
    if provider == m.VideoProvider.YOUTUBE:
        return f"https://www.youtube.com/watch?v={video_id}"
    return f"https://vimeo.com/{video_id}"


# --- Publish checks -------------------------------------------------------------------------

_FILE_NAME = re.compile(r"^[\w.\- ]+\.(?:jpe?g|png|webp|gif|svg|heic)$", re.IGNORECASE)


def media_problems(asset: m.MediaAsset) -> list[str]:
    """What keeps a media asset from publishing (the review record is checked by services)."""
    problems = []
    alt = asset.alt_text.strip()
    if not alt:
        problems.append("Alt text is empty: describe what the image shows.")
    elif _FILE_NAME.match(alt):
        problems.append("Alt text is a file name: describe what the image shows.")
    if not asset.licence:
        problems.append("No licence is set.")
    for field in ("caption", "credit", "source"):
        if not getattr(asset, field).strip():
            problems.append(f"{asset._meta.get_field(field).verbose_name.capitalize()} is empty.")
    if asset.kind == m.MediaKind.IMAGE and not asset.sha256:
        problems.append("No image is uploaded.")
    if asset.kind == m.MediaKind.VIDEO and not asset.video_id:
        problems.append("No valid YouTube or Vimeo link is set.")
    return problems
