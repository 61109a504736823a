"""The image library: pictures checked on upload, stripped of metadata, and resized once.

Renditions are made with Pillow and kept on the default storage (S3 when the site
is configured for it), one per image, width and format. A small model of our own
rather than easy-thumbnails or sorl-thumbnail: those make thumbnails on first
request and name them by options, while we want a fixed set of widths made once
at upload, WebP next to the original format, and EXIF removed from every file.
"""

import io
import re
import uuid
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from PIL import Image as PillowImage
from PIL import ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
# Pillow's format names, and the extension each is stored with.
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "AVIF": "avif", "GIF": "gif"}
# Rendition widths in CSS pixels of a phone, a tablet, a laptop and a wide or dense screen.
RENDITION_WIDTHS = (480, 800, 1200, 1600)
# The article column is 44rem wide at most; below that the picture spans the screen.
SIZES = "(min-width: 46rem) 44rem, calc(100vw - 2rem)"
WEBP_QUALITY = 78
JPEG_QUALITY = 82


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed the checks, re-encoded without metadata."""

    content: bytes
    extension: str
    width: int
    height: int


def refuse(message, code):
    raise ValidationError(message, code=code)


def check_upload(upload) -> CheckedUpload:
    """The upload as a clean image file, or a ValidationError saying why it is refused.

    The content decides, never the name: Pillow must recognise one of the accepted
    formats, decode it completely, and find at most MAX_PIXELS pixels.
    """
    if upload.size > MAX_UPLOAD_BYTES:
        refuse(
            f"This file is {upload.size / 1024 / 1024:.0f} MB; pictures may be at most "
            f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB. Export it smaller (2000 pixels wide is plenty).",
            "too_large",
        )
    upload.seek(0)
    data = upload.read()
    try:
        with warnings.catch_warnings():
            # Pillow warns (and beyond twice its limit, raises) on decompression bombs.
            warnings.simplefilter("error", PillowImage.DecompressionBombWarning)
            with PillowImage.open(io.BytesIO(data)) as probe:
                kind = probe.format
                if kind not in ACCEPTED_FORMATS:
                    refuse(_not_accepted(kind), "wrong_format")
                if probe.width * probe.height > MAX_PIXELS:
                    refuse(_too_many_pixels(probe.width, probe.height), "too_many_pixels")
                probe.load()
                content = _without_metadata(probe, kind)
                width, height = ImageOps.exif_transpose(probe).size
    except (PillowImage.DecompressionBombWarning, PillowImage.DecompressionBombError):
        refuse(_too_many_pixels(), "too_many_pixels")
    except UnidentifiedImageError:
        refuse(_not_accepted(None), "wrong_format")
    except (OSError, SyntaxError, ValueError, EOFError):
        refuse(
            "This picture is damaged or incomplete (it could not be read to the end). "
            "Save it again from your photo program and upload the new copy.",
            "damaged",
        )
    return CheckedUpload(content, ACCEPTED_FORMATS[kind], width, height)


def _not_accepted(kind):
    found = f" This file is {kind}." if kind else ""
    return (
        "Only JPEG, PNG, WebP, AVIF and GIF pictures can be uploaded." + found + " "
        "Drawings in SVG cannot be uploaded: export them as PNG."
    )


def _too_many_pixels(width=None, height=None):
    size = f" This one is {width} × {height}." if width else ""
    return (
        f"Pictures may have at most {MAX_PIXELS // 1_000_000} million pixels.{size} "
        "Resize it (2000 pixels wide is plenty) and upload it again."
    )


def _without_metadata(image, kind):
    """The image re-encoded in its own format, upright, with no EXIF, XMP or comments."""
    if kind == "GIF" and getattr(image, "is_animated", False):
        out = io.BytesIO()
        image.save(out, "GIF", save_all=True, loop=image.info.get("loop", 0))
        return out.getvalue()
    upright = ImageOps.exif_transpose(image)
    out = io.BytesIO()
    options = {"icc_profile": image.info.get("icc_profile")}  # colours, not personal data
    if kind == "JPEG":
        options.update(quality=92, optimize=True)
        upright = upright.convert("RGB") if upright.mode not in ("RGB", "L") else upright
    elif kind in ("WEBP", "AVIF"):
        options.update(quality=90)
    upright.save(out, kind, **{k: v for k, v in options.items() if v is not None})
    return out.getvalue()


def fallback_format(extension, has_alpha):
    """The format served to browsers without WebP: the original's, if every browser has it."""
    if extension in ("jpg", "png"):
        return extension
    return "png" if has_alpha else "jpg"


def make_rendition(source_bytes, width, extension):
    """``source_bytes`` resized to ``width`` (never enlarged) and encoded; returns (bytes, size)."""
    with PillowImage.open(io.BytesIO(source_bytes)) as image:
        image = ImageOps.exif_transpose(image)
        if image.width > width:
            height = round(image.height * width / image.width)
            image = image.resize((width, height), PillowImage.Resampling.LANCZOS)
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        if image.mode not in ("RGB", "RGBA", "L"):
            image = image.convert("RGBA" if has_alpha else "RGB")
        out = io.BytesIO()
        if extension == "webp":
            image.save(out, "WEBP", quality=WEBP_QUALITY, method=6)
        elif extension == "png":
            image.save(out, "PNG", optimize=True)
        else:
            image = image.convert("RGB")
            image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        return out.getvalue(), image.size


def rendition_widths(original_width):
    """The widths to make for an image this wide: the standard ones below it, and its own."""
    widths = [w for w in RENDITION_WIDTHS if w < original_width]
    if original_width <= RENDITION_WIDTHS[-1]:
        widths.append(original_width)
    return widths or [RENDITION_WIDTHS[-1]]


def store(name, content):
    """Save bytes under ``name`` on the default storage; returns the name actually used."""
    return default_storage.save(name, ContentFile(content))


def new_image_name(extension):
    # Our own name (the field's upload_to adds the folder): the uploaded name never
    # chooses where the file goes, so "../../x.png" cannot climb out of it.
    return f"{uuid.uuid4().hex}.{extension}"


@dataclass(frozen=True)
class Picture:
    """Everything a template needs to show an image responsively, without a query."""

    alt: str
    width: int
    height: int
    src: str
    srcset: str
    webp_srcset: str
    share_src: str = ""
    caption: str = ""
    credit: str = ""

    @property
    def above_the_fold(self):
        """The picture loaded at once: it is near the top of the page."""
        return self.html(lazy=False)

    def html(self, *, lazy=True, sizes=SIZES):
        return format_html(
            '<picture><source type="image/webp" srcset="{}" sizes="{}">'
            '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{}></picture>',
            self.webp_srcset,
            sizes,
            self.src,
            self.srcset,
            sizes,
            self.width,
            self.height,
            self.alt,
            mark_safe(' loading="lazy" decoding="async"') if lazy else "",
        )


_BODY_IMG = re.compile(r"<img\b[^>]*\bdata-file=\"(\d+)\"[^>]*>")


def image_ids_in(html):
    """The library images placed in a body."""
    return [int(pk) for pk in _BODY_IMG.findall(html or "")]


def replace_body_images(html, pictures):
    """Each library <img> in a body as its responsive <picture> (left alone if unknown)."""

    def swap(match):
        picture = pictures.get(int(match.group(1)))
        return str(picture.html()) if picture else match.group(0)

    return _BODY_IMG.sub(swap, html or "")


def srcset(renditions):
    return format_html_join(", ", "{} {}w", ((r.url, r.width) for r in renditions))
