"""Uploaded pictures (case-study images, avatars): checked by their content, never by their
name or declared type, and re-encoded before anything is stored.

``image_open`` accepts a file only when Pillow recognises it as one of ``ALLOWED_FORMATS``
by its bytes, it is at most ``IMAGE_UPLOAD_MAX_BYTES`` long, and its declared dimensions
are within ``IMAGE_MAX_PIXELS``, checked from the header before any pixel is decoded (a
tiny file declaring a huge canvas, a "decompression bomb", is refused without being
expanded). Anything else is ``ImageRejected``: a 400 naming the ``image`` field.

``rendition`` makes the stored copies: orientation applied from EXIF, then a new image
holding only pixels (EXIF with its GPS position and camera serial, ICC/XMP comments and
any trailing bytes are not carried over), resized to a display size and encoded as WebP.
No ORM here: ``profiles.services.images`` stores the results.
"""

from __future__ import annotations

import io
import struct
import warnings
from dataclasses import dataclass

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

from config.errors import DomainError

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
OUTPUT_FORMAT = "WEBP"
OUTPUT_EXTENSION = "webp"
OUTPUT_CONTENT_TYPE = "image/webp"
MIN_SIDE = 16


class ImageRejected(DomainError):
    type = "invalid_image"
    default_detail = "This file is not an image we can use."

    def __init__(self, detail: str):
        super().__init__(detail, fields={"image": [detail]})


@dataclass(frozen=True)
class Rendition:
    content: bytes
    width: int
    height: int


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:g} MB"


def image_open(upload) -> Image.Image:
    """The picture in ``upload`` (a Django ``UploadedFile`` or any binary file), decoded;
    ``ImageRejected`` for anything that is not a picture we accept (see the module docstring)."""
    limit = settings.IMAGE_UPLOAD_MAX_BYTES
    if upload is None:
        raise ImageRejected("Choose an image file to upload.")
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ImageRejected(f"The image is larger than {_megabytes(limit)}; upload a smaller one.")
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ImageRejected(f"The image is larger than {_megabytes(limit)}; upload a smaller one.")
    if not data:
        raise ImageRejected("The file is empty.")
    unreadable = f"This file is not a picture in a format we accept ({', '.join(ALLOWED_FORMATS)})."
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb guard warns (or raises) on huge canvases; ours is stricter.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
            width, height = probe.size
            _dimensions_check(width, height)
            probe.verify()  # the structure, without decoding the pixels
            image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
            image.seek(0)  # the first frame of an animation
            image.load()
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected(_too_many_pixels()) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, struct.error):
        raise ImageRejected(unreadable) from None
    return image


def _too_many_pixels() -> str:
    limit = settings.IMAGE_MAX_PIXELS
    return f"The image has too many pixels (at most {limit / 1_000_000:g} megapixels); upload a smaller one."


def _dimensions_check(width: int, height: int) -> None:
    if width * height > settings.IMAGE_MAX_PIXELS:
        raise ImageRejected(_too_many_pixels())
    if min(width, height) < MIN_SIDE:
        raise ImageRejected(f"The image is too small (at least {MIN_SIDE} by {MIN_SIDE} pixels).")


def _pixels_only(image: Image.Image) -> Image.Image:
    """Upright, in RGB or RGBA, as a new image that carries no metadata at all."""
    image = ImageOps.exif_transpose(image) or image
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if has_alpha else "RGB")
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def rendition(image: Image.Image, *, max_side: int, square: bool = False) -> Rendition:
    """A stored copy: at most ``max_side`` pixels wide and high (never enlarged), or a
    centred ``max_side`` square crop with ``square``; WebP, no metadata."""
    picture = _pixels_only(image)
    if square:
        side = min(max_side, *picture.size)
        picture = ImageOps.fit(picture, (side, side), Image.Resampling.LANCZOS)
    else:
        picture.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    picture.save(buffer, OUTPUT_FORMAT, quality=82, method=4)
    return Rendition(content=buffer.getvalue(), width=picture.width, height=picture.height)
