"""Evidence files: checked by their content, stripped of identifying metadata, kept in private storage.

The name and the Content-Type the browser sends are ignored: the first bytes decide what a file is,
and only JPEG, PNG, WebP, PDF, MP4 and QuickTime (MOV) pass. Nothing is stored as it arrived:

- images are decoded and re-encoded by Pillow, so EXIF (GPS position, phone model), comments and
  anything appended after the image are gone;
- videos keep their pictures and sound but lose their location, device and date boxes and any
  metadata track (video_metadata);
- PDFs are rewritten without their author, creator, producer, XMP and the EXIF of their pictures
  (pdf_metadata).

A file whose metadata cannot be taken out is refused with the reason, never stored as it is. The
SHA-256 recorded is of the stored file. Files are served only to staff who may see the tip, as
attachments.
"""

import hashlib
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from reporting.tips.models import Evidence
from reporting.tips.services import pdf_metadata, video_metadata

MAX_FILES = 5
MAX_BYTES = 10 * 1024 * 1024
# A phone photo is 12-50 megapixels; anything far larger is a decompression bomb, not a photo.
MAX_PIXELS = 60_000_000

IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
# ISO base media brands written by phones and cameras for .mp4 files (QuickTime's "qt  " is MOV).
MP4_BRANDS = {
    b"isom",
    b"iso2",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"M4V ",
    b"MSNV",
    b"dash",
}


@dataclass(frozen=True)
class PreparedFile:
    """A file that passed every check, ready to store: its final bytes and what they are."""

    content: bytes
    content_type: str
    original_name: str

    @property
    def sha256(self):
        return hashlib.sha256(self.content).hexdigest()


def display_name(name):
    """The reporter's file name, made harmless for display: no folders, no control characters, short."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    return name[:100] or "berkas"


def sniff(head):
    """The content type the first bytes prove, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head[4:8] == b"ftyp" and int.from_bytes(head[:4], "big") >= 16:
        if head[8:12] in MP4_BRANDS:
            return "video/mp4"
        if head[8:12] == b"qt  ":  # iPhones record QuickTime movies
            return "video/quicktime"
    return None


def _refuse(message, name, code, **params):
    raise ValidationError(message, code=code, params={"name": name, **params})


def read_limited(uploaded, name):
    """The file's bytes, refusing as soon as it passes MAX_BYTES rather than after reading it all."""
    if uploaded.size is not None and uploaded.size > MAX_BYTES:
        _too_large(name)
    chunks, total = [], 0
    for chunk in uploaded.chunks():
        total += len(chunk)
        if total > MAX_BYTES:
            _too_large(name)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(name):
    _refuse(
        _("“%(name)s” is larger than %(limit)s."),
        name,
        "too_large",
        limit=filesizeformat(MAX_BYTES),
    )


def reencode_image(content, content_type, name):
    """Decode and re-encode an image: pixels only, upright, no metadata, nothing appended."""
    image_format = IMAGE_FORMATS[content_type]
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice its limit; here a bomb is always an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=[image_format]) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise Image.DecompressionBombError(f"{image.width}x{image.height}")
                image.load()
                upright = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _refuse(
            _("“%(name)s” has far too many pixels for a photo and was refused."), name, "decompression_bomb"
        )
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        _refuse(_("“%(name)s” is damaged and cannot be opened as an image."), name, "broken_image")

    if image_format == "JPEG" and upright.mode not in {"RGB", "L", "CMYK"}:
        upright = upright.convert("RGB")
    output = io.BytesIO()
    options = {"JPEG": {"quality": 90}, "WEBP": {"quality": 90}, "PNG": {}}[image_format]
    # No exif=, icc_profile= or pnginfo= argument: Pillow writes none of the original metadata.
    upright.save(output, format=image_format, **options)
    return output.getvalue()


def strip_video(content, name):
    """The video without its location, device and date metadata, or a refusal saying why."""
    try:
        return video_metadata.strip(content)
    except video_metadata.UnremovableMetadata:
        _refuse(
            _(
                "“%(name)s” carries recording data (such as a location track) that cannot be removed "
                "safely, so it was refused. Send a screen recording of it, or photos of its key moments."
            ),
            name,
            "video_metadata",
        )
    except video_metadata.BrokenVideo:
        _refuse(_("“%(name)s” is damaged and cannot be opened as a video."), name, "broken_video")


def strip_pdf(content, name):
    """The PDF rewritten without author, producer and other metadata, or a refusal saying why."""
    try:
        return pdf_metadata.strip(content)
    except pdf_metadata.LockedPdf:
        _refuse(
            _("“%(name)s” is protected with a password. Send it without the password."), name, "locked_pdf"
        )
    except pdf_metadata.AttachedFiles:
        _refuse(
            _(
                "“%(name)s” has files attached inside it, which may identify you and cannot be checked. "
                "Send those files on their own instead."
            ),
            name,
            "pdf_attachments",
        )
    except pdf_metadata.Bomb:
        _refuse(
            _(
                "“%(name)s” unpacks to far more data than any real document (a “decompression bomb”), "
                "so it was refused. If it is a real document, print it to a new PDF or send photos of its pages."
            ),
            name,
            "pdf_bomb",
        )
    except pdf_metadata.InertFailed:
        _refuse(
            _(
                "“%(name)s” contains scripts or actions that could not be removed safely, so it was "
                "refused. Print it to a new PDF or send photos of its pages."
            ),
            name,
            "pdf_active",
        )
    except pdf_metadata.BrokenPdf:
        _refuse(_("“%(name)s” is damaged and cannot be opened as a PDF."), name, "broken_pdf")


def prepare(uploaded):
    """Check one uploaded file and return what will be stored; ValidationError says why not."""
    name = display_name(getattr(uploaded, "name", ""))
    content = read_limited(uploaded, name)
    content_type = sniff(content[:16])
    if content_type is None:
        _refuse(
            _("“%(name)s” is not a photo (JPEG, PNG, WebP), a PDF or a video (MP4, MOV)."),
            name,
            "unsupported_type",
        )
    if content_type in IMAGE_FORMATS:
        content = reencode_image(content, content_type, name)
    elif content_type == "application/pdf":
        content = strip_pdf(content, name)
    else:
        content = strip_video(content, name)
    return PreparedFile(content=content, content_type=content_type, original_name=name)


def prepare_all(uploaded_files):
    if len(uploaded_files) > MAX_FILES:
        raise ValidationError(
            _("Attach at most %(count)d files."), code="too_many_files", params={"count": MAX_FILES}
        )
    prepared, errors = [], []
    for uploaded in uploaded_files:
        try:
            prepared.append(prepare(uploaded))
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)
    return prepared


def store(tip, prepared):
    """Write one prepared file under a random name in private storage and record it."""
    evidence = Evidence(
        tip=tip,
        content_type=prepared.content_type,
        size=len(prepared.content),
        sha256=prepared.sha256,
        original_name=prepared.original_name,
    )
    evidence.file.save("evidence", ContentFile(prepared.content), save=False)
    evidence.save()
    return evidence


def delete_file(evidence):
    if evidence.file:
        evidence.file.delete(save=False)


class EvidenceUploadLimit(FileUploadHandler):
    """Installed before the form is parsed: a file part is dropped once it passes MAX_BYTES, and parts
    beyond MAX_FILES are dropped unread, so an oversized upload is never held whole.

    The names of dropped files are kept in `refused` / `too_many` for the form to explain.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.files_seen = 0
        self.refused = []
        self.too_many = False

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        if not file_name:
            return
        self.files_seen += 1
        if self.files_seen > MAX_FILES:
            self.too_many = True
            raise SkipFile

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > MAX_BYTES:
            self.refused.append(display_name(self.file_name))
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None

    def errors(self):
        messages = [
            ValidationError(
                _("“%(name)s” is larger than %(limit)s."),
                code="too_large",
                params={"name": name, "limit": filesizeformat(MAX_BYTES)},
            )
            for name in self.refused
        ]
        if self.too_many:
            messages.append(
                ValidationError(
                    _("Attach at most %(count)d files."), code="too_many_files", params={"count": MAX_FILES}
                )
            )
        return messages
