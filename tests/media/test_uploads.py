"""Hostile and broken uploads are refused with a clear reason; good ones are re-encoded clean."""

import hashlib
import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from PIL import Image, ImageCms

from content_app import media
from content_app import models as m
from tests.media.conftest import (
    drawing,
    encode,
    jpeg,
    png,
    png_with_text,
    published_asset,
    upload,
    zip_bytes,
)

SVG_WITH_SCRIPT = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>'
)


def refusal(data, name="picture.png", content_type="image/png") -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        media.process_upload(upload(data, name, content_type))
    return refused.value


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims width × height pixels with a few bytes of data: a pixel bomb."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
    )


# --- Refused ------------------------------------------------------------------------------


def test_svg_with_a_script_is_refused_and_says_why():
    for name, content_type in (("diagram.svg", "image/svg+xml"), ("diagram.png", "image/png")):
        error = refusal(SVG_WITH_SCRIPT, name, content_type)
        assert error.code == "svg"
        assert "SVG files are not accepted: they can carry scripts" in error.message


def test_text_named_png_is_refused_whatever_its_name_and_content_type():
    error = refusal(b"Just some notes, not a picture at all.\n", "photo.png", "image/png")
    assert error.code == "not_an_image"
    assert "text, not an image" in error.message


def test_an_unsupported_format_is_refused_by_its_bytes():
    gif = encode(drawing(100, 100), "GIF")
    error = refusal(gif, "picture.png")
    assert error.code == "not_an_image"
    assert "not a JPEG, PNG or WebP" in error.message


def test_jpeg_with_a_zip_archive_appended_is_refused_as_a_polyglot():
    error = refusal(jpeg(400, 300) + zip_bytes(), "photo.jpg", "image/jpeg")
    assert error.code == "polyglot"
    assert "ZIP archive" in error.message


def test_html_hidden_in_a_png_text_chunk_is_refused():
    error = refusal(png_with_text("Comment", "<html><script>alert(1)</script></html>"))
    assert error.code == "polyglot"
    assert "HTML or script markup" in error.message


def test_data_after_the_end_of_a_png_is_refused():
    error = refusal(png(400, 300) + b"\x00\x01\x02 trailing payload \x03")
    assert error.code == "polyglot"
    assert "bytes of other data after the end of the image" in error.message


def test_a_pixel_bomb_is_refused_before_it_is_decoded():
    bomb = png_header_only(50_000, 50_000)  # 2,500 megapixels in about 1 KB
    assert len(bomb) < 2_000
    error = refusal(bomb)
    assert error.code == "too_many_pixels"
    assert "megapixels" in error.message


def test_an_image_just_over_the_pixel_cap_is_refused(settings):
    settings.MEDIA_MAX_PIXELS = 1_000_000
    error = refusal(encode(Image.new("1", (1200, 1000)), "PNG"))  # 1.2 MP, a few hundred bytes
    assert error.code == "too_many_pixels"
    assert "1,200 × 1,000 pixels" in error.message
    assert "at most 1 megapixels" in error.message


def test_a_50_mb_file_is_refused_without_reading_it():
    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("the size cap must refuse before reading")

    big = upload(b"\x89PNG\r\n\x1a\n" + b"\x00" * (50 * 1024 * 1024))
    big.file = Unreadable()
    big.size = 50 * 1024 * 1024 + 8
    with pytest.raises(ValidationError) as refused:
        media.process_upload(big)
    assert refused.value.code == "too_large"
    assert "The file is 52 MB; at most 10 MB are accepted" in refused.value.message


def test_a_50_mb_stream_of_unknown_size_is_cut_at_the_cap():
    data = b"\x89PNG\r\n\x1a\n" + b"\x00" * (50 * 1024 * 1024)
    stream = upload(data)
    stream.size = None
    with pytest.raises(ValidationError) as refused:
        media.process_upload(stream)
    assert refused.value.code == "too_large"


def test_an_animated_image_is_refused():
    frames = [drawing(200, 200), drawing(200, 200).rotate(90)]
    animated = encode(frames[0], "PNG", save_all=True, append_images=frames[1:])
    error = refusal(animated)
    assert error.code == "animated"
    assert "Animated images are not accepted" in error.message


def test_a_truncated_jpeg_is_refused_as_damaged():
    data = jpeg(800, 600)
    error = refusal(data[: len(data) // 2], "photo.jpg")
    assert error.code == "damaged"


def test_an_empty_file_is_refused():
    assert refusal(b"").code == "empty"


# --- Accepted: re-encoded, metadata-free, content-addressed ------------------------------------


def _exif_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc."  # Make
    exif[0x0110] = "Model 7"  # Model
    exif[0x013B] = "Jane Doe"  # Artist
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return encode(
        drawing(800, 600), "JPEG", exif=exif.tobytes(), icc_profile=icc, comment=b"secret note"
    )


def test_exif_and_every_other_metadata_is_stripped_and_orientation_applied(db):
    original = _exif_jpeg()
    assert b"SpyCam" in original and Image.open(io.BytesIO(original)).getexif()

    asset = published_asset(data=original)

    stored = [asset.original.name, *asset.renditions.values_list("file", flat=True)]
    for name in stored:
        with default_storage.open(name) as file:
            data = file.read()
        assert b"SpyCam" not in data and b"Jane Doe" not in data and b"secret note" not in data
        assert b"Exif" not in data
        image = Image.open(io.BytesIO(data))
        assert not image.getexif()
        assert "icc_profile" not in image.info and "exif" not in image.info
        assert image.height > image.width  # the 800 × 600 picture was turned upright
    assert (asset.width, asset.height) == (600, 800)


def test_renditions_are_made_once_per_width_and_format_with_content_addressed_names(db):
    asset = published_asset(data=png(1600, 1200))

    renditions = list(asset.renditions.all())
    assert [(r.width, r.height, r.format) for r in renditions] == [
        (320, 240, "jpeg"),
        (320, 240, "webp"),
        (640, 480, "jpeg"),
        (640, 480, "webp"),
        (1280, 960, "jpeg"),
        (1280, 960, "webp"),
    ]
    for rendition in renditions:
        with default_storage.open(rendition.file.name) as file:
            data = file.read()
        digest = hashlib.sha256(data).hexdigest()
        assert rendition.sha256 == digest and rendition.bytes == len(data)
        extension = {"jpeg": "jpg", "webp": "webp"}[rendition.format]
        assert rendition.file.name == f"renditions/{digest[:2]}/{digest}.{extension}"
        image = Image.open(io.BytesIO(data))
        assert image.size == (rendition.width, rendition.height)
        assert image.format == {"jpeg": "JPEG", "webp": "WEBP"}[rendition.format]


def test_transparent_images_get_png_renditions_and_small_ones_no_upscaling(db):
    transparent = encode(drawing(300, 200, mode="RGBA"), "PNG")
    asset = published_asset(data=transparent)
    assert [(r.width, r.format) for r in asset.renditions.all()] == [(300, "png"), (300, "webp")]
    for rendition in asset.renditions.all():
        assert Image.open(rendition.file.path).mode == "RGBA"


def test_a_webp_upload_is_accepted_and_re_encoded(db):
    original = encode(drawing(640, 480), "WEBP", quality=90)
    asset = published_asset(data=original)
    assert (asset.width, asset.height) == (640, 480)
    assert asset.renditions.count() == 4
    stored = {Path(r.file.path).read_bytes() for r in asset.renditions.all()}
    assert original not in stored


def test_data_after_the_end_of_a_webp_is_refused():
    error = refusal(encode(drawing(200, 200), "WEBP") + b"extra bytes after the RIFF chunk")
    assert error.code == "polyglot"


def test_the_same_bytes_twice_share_their_files(db):
    data = png(700, 500)
    one = published_asset(slug="one", data=data)
    two = published_asset(slug="two", data=data)
    assert set(one.renditions.values_list("file", flat=True)) == set(
        two.renditions.values_list("file", flat=True)
    )
    assert one.sha256 == two.sha256


# --- Videos -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "provider", "video_id"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10", "youtube", "dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ", "youtube", "dQw4w9WgXcQ"),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "youtube", "dQw4w9WgXcQ"),
        ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "youtube", "dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "vimeo", "76979871"),
        ("https://player.vimeo.com/video/76979871", "vimeo", "76979871"),
    ],
)
def test_video_links_parse_to_a_privacy_enhanced_embed(url, provider, video_id):
    assert media.parse_video_url(url) == (provider, video_id)
    embed = media.embed_url(provider, video_id)
    assert embed.startswith(("https://www.youtube-nocookie.com/embed/", "https://player.vimeo"))


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/watch?v=dQw4w9WgXcQ",
        "javascript:alert(1)",
        "https://www.youtube.com/watch?v=short",
        "https://vimeo.com/not-a-number",
        "ftp://youtu.be/dQw4w9WgXcQ",
    ],
)
def test_other_video_links_are_refused(url):
    with pytest.raises(ValidationError) as refused:
        media.parse_video_url(url)
    assert "YouTube or Vimeo" in refused.value.message


# --- Publish checks ---------------------------------------------------------------------------


def test_no_publish_without_alt_text_and_licence(db):
    from content_app import services

    asset = published_asset(status=m.Status.IN_REVIEW, alt_text="", licence="")
    problems = services.publish_problems(asset)
    assert "Alt text is empty: describe what the image shows." in problems
    assert "No licence is set." in problems

    asset.alt_text = "IMG_0042.jpg"
    assert "Alt text is a file name: describe what the image shows." in (
        services.publish_problems(asset)
    )


def test_html_after_the_end_of_a_jpeg_is_refused():
    error = refusal(jpeg(300, 200) + b"<html><body>hello</body></html>", "photo.jpg")
    assert error.code == "polyglot"


def test_script_in_a_jpeg_comment_is_refused():
    data = encode(drawing(300, 200), "JPEG", comment=b"<script>alert(1)</script>")
    assert refusal(data, "photo.jpg").code == "polyglot"


@pytest.mark.parametrize(
    "options",
    [
        {"progressive": True, "quality": 85},
        {"optimize": True, "quality": 70, "subsampling": 0},
        {"xmp": b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'},
        {"restart_marker_blocks": 1},
    ],
    ids=["progressive", "optimized", "with-xmp", "restart-markers"],
)
def test_ordinary_jpeg_variants_are_accepted(options):
    processed = media.process_image(encode(drawing(700, 500), "JPEG", **options))
    assert processed.master.width == 700


def test_noise_photos_are_not_mistaken_for_polyglots():
    import random

    rng = random.Random(15)
    for _ in range(3):
        noise = Image.frombytes("RGB", (600, 400), rng.randbytes(600 * 400 * 3))
        for fmt in ("JPEG", "PNG", "WEBP"):
            assert media.process_image(encode(noise, fmt)).master.width == 600
