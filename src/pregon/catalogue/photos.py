"""Checking a product photo and making its thumbnail.

A photo is bounded in size, named with an image extension, and must decode (with Pillow) as the
format its extension says. It is never stored as sent: it is decoded, turned upright by its
orientation tag, and encoded again as JPEG without any metadata (EXIF, GPS, comments), at most
`PHOTO_MAX_SIDE` pixels a side, beside a thumbnail of `THUMBNAIL_SIDE` pixels. An image whose
header announces more than `PHOTO_MAX_PIXELS` pixels is refused before its pixels are decoded
(a few kilobytes can announce gigabytes of pixels).
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from pregon.catalogue.choices import (
    PHOTO_FORMATS,
    PHOTO_MAX_BYTES,
    PHOTO_MAX_PIXELS,
    PHOTO_MAX_SIDE,
    THUMBNAIL_SIDE,
)
from pregon.core.errors import ValidationFailed

_JPEG_QUALITY = 85
_THUMBNAIL_QUALITY = 80


@dataclass(frozen=True, kw_only=True)
class ProcessedPhoto:
    """A photo as it is stored: JPEG bytes of the image and of its thumbnail."""

    image: bytes
    thumbnail: bytes
    width: int
    height: int
    sha256: str


def _refuse(message: str, code: str) -> ValidationFailed:
    return ValidationFailed(message, field="photo", code=code)


def photo_process(upload: UploadedFile) -> ProcessedPhoto:
    """Check an uploaded photo and re-encode it with its thumbnail; `ValidationFailed` (on the
    field "photo") when it is empty, too large, not an image, not the image its name says, or
    announces too many pixels."""
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower()
    size = upload.size or 0
    if size == 0:
        raise _refuse(_("The file is empty."), "empty_file")
    if size > PHOTO_MAX_BYTES:
        raise _refuse(
            _("The photo is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(PHOTO_MAX_BYTES)},
            "file_too_large",
        )
    if extension not in PHOTO_FORMATS:
        raise _refuse(
            _("Photos must be JPEG, PNG or WebP images (%(types)s).")
            % {"types": ", ".join(sorted(PHOTO_FORMATS))},
            "file_type_not_allowed",
        )
    data = b"".join(upload.chunks())
    upload.seek(0)
    not_image = _refuse(
        _("This file is not a readable %(type)s image. Save it again as a photo and retry.")
        % {"type": extension.lstrip(".").upper()},
        "file_content_mismatch",
    )
    with warnings.catch_warnings():
        # Pillow warns (and past twice its limit refuses) on huge images; ours is lower, and
        # checked on the header before any pixel is decoded.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in PHOTO_FORMATS[extension]:
                    raise not_image
                width, height = probe.size
                if width * height > PHOTO_MAX_PIXELS:
                    raise _too_many_pixels()
                probe.verify()
            with Image.open(io.BytesIO(data)) as source:
                source.load()
                image = _upright_rgb(source)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise not_image from None
    image.info = {}  # nothing of the original's metadata travels on
    image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE), Image.Resampling.LANCZOS)
    full = _jpeg(image, _JPEG_QUALITY)
    small = image.copy()
    small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    return ProcessedPhoto(
        image=full,
        thumbnail=_jpeg(small, _THUMBNAIL_QUALITY),
        width=image.width,
        height=image.height,
        sha256=hashlib.sha256(full).hexdigest(),
    )


def _too_many_pixels() -> ValidationFailed:
    return _refuse(
        _(
            "The image is too large in pixels; the limit is %(limit)s million pixels. Send a "
            "smaller version of the photo."
        )
        % {"limit": PHOTO_MAX_PIXELS // 1_000_000},
        "image_too_many_pixels",
    )


def _upright_rgb(source: Image.Image) -> Image.Image:
    """The image turned as its orientation tag says, in RGB, transparency laid on white."""
    image = ImageOps.exif_transpose(source) or source
    if image.mode in {"RGBA", "LA"} or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _jpeg(image: Image.Image, quality: int) -> bytes:
    """JPEG bytes without metadata: a new image carries no EXIF, ICC profile or comment unless
    asked to, and none is passed."""
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True)
    return buffer.getvalue()
