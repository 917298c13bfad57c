"""Photo uploads: bounded, type-checked by their content, decompression-bomb safe, metadata
stripped, with a thumbnail smaller than the photo."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from pregon.catalogue import photos
from pregon.catalogue.choices import PHOTO_MAX_BYTES, THUMBNAIL_SIDE
from pregon.core.errors import ValidationFailed
from tests.catalogue.conftest import image_bytes, upload


def _refusal(file: object) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as info:
        photos.photo_process(file)  # type: ignore[arg-type]
    assert info.value.field == "photo"
    return info.value


def _png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG announcing `width` x `height` pixels: a decompression bomb's header."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


def test_thumbnail_is_made_smaller_and_metadata_stripped() -> None:
    processed = photos.photo_process(upload(exif=True))
    with Image.open(io.BytesIO(processed.image)) as image:
        assert image.format == "JPEG" and image.size == (1200, 900)
        assert not image.getexif()
    with Image.open(io.BytesIO(processed.thumbnail)) as thumb:
        assert thumb.format == "JPEG"
        assert max(thumb.size) == THUMBNAIL_SIDE and thumb.size == (320, 240)
        assert not thumb.getexif()
    assert len(processed.thumbnail) < len(processed.image)
    assert b"SecretCam" not in processed.image and b"SecretCam" not in processed.thumbnail


def test_png_and_webp_are_accepted_and_reencoded() -> None:
    for name, fmt in (("p.png", "PNG"), ("p.webp", "WEBP")):
        processed = photos.photo_process(upload(name, image_bytes((400, 300), fmt)))
        assert processed.image[:3] == b"\xff\xd8\xff"  # JPEG


def test_large_photo_is_scaled_down() -> None:
    processed = photos.photo_process(upload(content=image_bytes((3200, 1600))))
    assert (processed.width, processed.height) == (1600, 800)


def test_not_an_image_is_refused() -> None:
    assert (
        _refusal(upload("photo.jpg", b"MZ\x90\x00 an executable")).code == "file_content_mismatch"
    )


def test_wrong_type_is_refused() -> None:
    # A PNG named .jpg: the content must be what the name says.
    assert _refusal(upload("photo.jpg", image_bytes(fmt="PNG"))).code == "file_content_mismatch"
    # A GIF is an image, but not one of the accepted types.
    assert _refusal(upload("photo.gif", image_bytes(fmt="GIF"))).code == "file_type_not_allowed"


def test_oversized_and_empty_files_are_refused() -> None:
    big = upload("photo.jpg", b"\xff\xd8\xff" + b"\x00" * PHOTO_MAX_BYTES)
    assert _refusal(big).code == "file_too_large"
    assert _refusal(upload("photo.jpg", b"")).code == "empty_file"


def test_decompression_bomb_is_refused_before_decoding() -> None:
    bomb = _png_header_only(50_000, 50_000)
    assert len(bomb) < 200
    assert _refusal(upload("bomb.png", bomb)).code == "image_too_many_pixels"


def test_truncated_image_is_refused() -> None:
    data = image_bytes()
    assert _refusal(upload("photo.jpg", data[: len(data) // 3])).code == "file_content_mismatch"
