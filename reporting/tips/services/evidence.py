"""Evidence files: checked by their content, made inert and stripped of identifying metadata, kept in
private storage.

The name and the Content-Type the browser sends are ignored: the first bytes decide what a file is,
and only JPEG, PNG, WebP, PDF, MP4 and QuickTime (MOV) pass. Nothing is stored as it arrived:

- images are decoded within a pixel budget (a JPEG at reduced scale), turned upright, brought down to
  MAX_LONG_SIDE, converted to sRGB and re-encoded by Pillow with no metadata at all: no EXIF (GPS
  position, phone model), XMP, IPTC, colour profile, comment, PNG text or time chunk, and nothing
  appended after the image;
- videos keep their pictures and sound but lose their location, device and date boxes and any
  metadata track (video_metadata);
- PDFs are rewritten without scripts, actions, XFA, author, producer, XMP and the EXIF of their
  pictures, after a budget on their decoded size (pdf_metadata).

A file whose metadata or active content cannot be taken out is refused with the reason, never stored
as it is. The SHA-256 recorded is of the stored file. Files are served only to staff who may see the
tip, as attachments.

Cleaning a large photo or PDF takes seconds and hundreds of MB, so only what is cheap (a video's boxes,
a small picture, a small PDF: INLINE_PIXELS, INLINE_PDF_BYTES for the whole request) is cleaned while
the resident waits. The rest is checked at once as far as its header allows (type, size, pixel count,
password), kept as it arrived in private storage marked "pending", never served or shared, and cleaned
by the task worker after the tip is committed (clean_pending); a file refused there is marked
"refused" with its reason, which the officers and the reporter's status page show.
"""

import datetime
import hashlib
import io
import logging
import re
import unicodedata
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadhandler import FileUploadHandler, MemoryFileUploadHandler, SkipFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_q.tasks import async_task
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from reporting.tips.models import Evidence
from reporting.tips.related.services import fingerprints as related_fingerprints
from reporting.tips.services import pdf_metadata, video_metadata

logger = logging.getLogger(__name__)

MAX_FILES = 5
MAX_BYTES = 10 * 1024 * 1024
# A phone photo is 12-108 megapixels; anything larger claimed in a header is a decompression bomb.
# (Pillow itself refuses beyond 2 x Image.MAX_IMAGE_PIXELS, 179 MP.)
MAX_PIXELS = 150_000_000
# Pixels actually decoded, at most: a JPEG is decoded at 1/2, 1/4 or 1/8 scale (draft) when that
# still gives MAX_LONG_SIDE (so at most 5120 px on its long side unless it is over 40,000 px long),
# and only a PNG or WebP is decoded at its full size. Pillow holds 4 bytes a pixel: 32 MP is 128 MB,
# and a cleaning peaks at about twice what it decodes (the resized copy, the encoder).
DECODE_PIXEL_BUDGET = 32_000_000
# Stored pictures are at most this long on their long side: a document or a face stays legible.
MAX_LONG_SIDE = 2560
# What the web process cleans itself while the resident waits, for the whole request; beyond it
# the task worker does (a 12 MP phone photo takes 1-2 s to decode on a loaded server).
INLINE_PIXELS = 3_000_000
INLINE_PDF_BYTES = 512 * 1024
# A file still pending this long after upload was not cleaned by any attempt (django-q tries three
# times, each killed after Q_CLUSTER's timeout): refused rather than kept as it arrived.
STUCK_AFTER = datetime.timedelta(hours=6)

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


# Why a file was refused, by code: the message is rendered in the reader's language when shown (the
# form at once, or the officer's page and the reporter's status page for a file refused later).
REFUSALS = {
    "too_large": _("“%(name)s” is larger than %(limit)s."),
    "unsupported_type": _("“%(name)s” is not a photo (JPEG, PNG, WebP), a PDF or a video (MP4, MOV)."),
    "decompression_bomb": _("“%(name)s” has far too many pixels for a photo and was refused."),
    "broken_image": _("“%(name)s” is damaged and cannot be opened as an image."),
    "video_metadata": _(
        "“%(name)s” carries recording data (such as a location track) that cannot be removed "
        "safely, so it was refused. Send a screen recording of it, or photos of its key moments."
    ),
    "broken_video": _("“%(name)s” is damaged and cannot be opened as a video."),
    "locked_pdf": _("“%(name)s” is protected with a password. Send it without the password."),
    "pdf_attachments": _(
        "“%(name)s” has files attached inside it, which may identify you and cannot be checked. "
        "Send those files on their own instead."
    ),
    "pdf_bomb": _(
        "“%(name)s” unpacks to far more data than any real document (a “decompression bomb”), "
        "so it was refused. If it is a real document, print it to a new PDF or send photos of its pages."
    ),
    "pdf_active": _(
        "“%(name)s” contains scripts or actions that could not be removed safely, so it was "
        "refused. Print it to a new PDF or send photos of its pages."
    ),
    "broken_pdf": _("“%(name)s” is damaged and cannot be opened as a PDF."),
    "processing_failed": _(
        "“%(name)s” could not be processed safely, so it was not kept. Send it again, or as photos."
    ),
}


def refusal_message(code, name):
    """The reason a file was refused, in the current language."""
    message = REFUSALS.get(code, REFUSALS["processing_failed"])
    return message % {"name": name, "limit": filesizeformat(MAX_BYTES)}


@dataclass(frozen=True)
class PreparedFile:
    """A file that passed every check, ready to store: its final bytes and what they are.

    `pending` files passed the quick checks only: `content` is what arrived, to be kept in private
    storage until the worker has cleaned it."""

    content: bytes
    content_type: str
    original_name: str
    pending: bool = False

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


def _refuse(name, code):
    raise ValidationError(
        REFUSALS[code], code=code, params={"name": name, "limit": filesizeformat(MAX_BYTES)}
    )


def read_limited(uploaded, name):
    """The file's bytes, refusing as soon as it passes MAX_BYTES rather than after reading it all."""
    if uploaded.size is not None and uploaded.size > MAX_BYTES:
        _refuse(name, "too_large")
    chunks, total = [], 0
    for chunk in uploaded.chunks():
        total += len(chunk)
        if total > MAX_BYTES:
            _refuse(name, "too_large")
        chunks.append(chunk)
    return b"".join(chunks)


# --- images --------------------------------------------------------------------------------------

_IMAGE_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, ImageCms.PyCMSError)


def _target_size(width, height):
    """The stored size: MAX_LONG_SIDE on the long side at most, proportions kept."""
    ratio = min(1.0, MAX_LONG_SIDE / max(width, height, 1))
    return max(1, round(width * ratio)), max(1, round(height * ratio))


def _open_within_budget(content, image_format):
    """The image opened (not decoded), a JPEG set to decode at the smallest scale that still gives the
    stored size; refused if its header claims too many pixels or its decoding would pass the budget."""
    with warnings.catch_warnings():
        # Pillow warns from 89 MP; this module's own limits decide (Pillow still errors at 179 MP).
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        image = Image.open(io.BytesIO(content), formats=[image_format])
    if image.width * image.height > MAX_PIXELS:
        raise Image.DecompressionBombError(f"{image.width}x{image.height}")
    if image_format == "JPEG":
        # Rotation (EXIF orientation) swaps the sides later; the scale is the same either way.
        image.draft(image.mode, _target_size(image.width, image.height))
    if image.width * image.height > DECODE_PIXEL_BUDGET:
        raise Image.DecompressionBombError(f"{image.width}x{image.height}")
    return image


def image_cost(content, content_type, name):
    """Pixels cleaning this image will decode; refuses from the header alone what cannot pass."""
    try:
        with _open_within_budget(content, IMAGE_FORMATS[content_type]) as image:
            return image.width * image.height
    except Image.DecompressionBombError:
        _refuse(name, "decompression_bomb")
    except _IMAGE_ERRORS:
        _refuse(name, "broken_image")


def _to_srgb(image):
    """The picture in sRGB, its own colour profile (which can name or fingerprint the device) dropped."""
    profile = image.info.get("icc_profile")
    has_alpha = image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info
    target_mode = "RGBA" if has_alpha else ("L" if image.mode in {"L", "1", "I;16", "I"} else "RGB")
    if profile and image.mode in {"RGB", "RGBA", "CMYK", "L"}:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            output_mode = "RGBA" if image.mode == "RGBA" else ("L" if image.mode == "L" else "RGB")
            converted = ImageCms.profileToProfile(
                image, source, ImageCms.createProfile("sRGB"), outputMode=output_mode
            )
            return converted if converted.mode == target_mode else converted.convert(target_mode)
        except ImageCms.PyCMSError:
            pass  # a damaged profile: the pixels are kept as they are, without it
    return image if image.mode == target_mode else image.convert(target_mode)


def reencode_image(content, content_type, name):
    """Decode within the budget and re-encode an image: pixels only, upright, sRGB, at most
    MAX_LONG_SIDE, no metadata of any kind, nothing appended."""
    image_format = IMAGE_FORMATS[content_type]
    try:
        with _open_within_budget(content, image_format) as image:
            image.load()
            # Upright in place: a copy of a decoded photo is another 4 bytes a pixel.
            ImageOps.exif_transpose(image, in_place=True)
            # Bicubic: after a JPEG's reduced-scale decoding the last step is under 2x, where Lanczos
            # costs half as much again for no visible difference.
            image.thumbnail((MAX_LONG_SIDE, MAX_LONG_SIDE), Image.Resampling.BICUBIC)
            picture = _to_srgb(image)
    except Image.DecompressionBombError:
        _refuse(name, "decompression_bomb")
    except _IMAGE_ERRORS:
        _refuse(name, "broken_image")
    if image_format == "JPEG" and picture.mode == "RGBA":
        picture = picture.convert("RGB")
    # Pillow carries `info` (comment, ICC profile, EXIF, XMP, DPI, PNG text) from image to image and
    # writes some of it back on save (a JPEG's comment by default): the stored image starts empty.
    picture.info = {}
    output = io.BytesIO()
    options = {"JPEG": {"quality": 90}, "WEBP": {"quality": 90}, "PNG": {}}[image_format]
    picture.save(output, format=image_format, **options)
    return output.getvalue()


# --- videos and PDFs -----------------------------------------------------------------------------


def strip_video(content, name):
    """The video without its location, device and date metadata, or a refusal saying why."""
    try:
        return video_metadata.strip(content)
    except video_metadata.UnremovableMetadata:
        _refuse(name, "video_metadata")
    except video_metadata.BrokenVideo:
        _refuse(name, "broken_video")


PDF_REFUSALS = (
    (pdf_metadata.LockedPdf, "locked_pdf"),
    (pdf_metadata.AttachedFiles, "pdf_attachments"),
    (pdf_metadata.Bomb, "pdf_bomb"),
    (pdf_metadata.InertFailed, "pdf_active"),
    (pdf_metadata.BrokenPdf, "broken_pdf"),
)


def _pdf_refusal(error, name):
    for kind, code in PDF_REFUSALS:
        if isinstance(error, kind):
            _refuse(name, code)
    raise error


def strip_pdf(content, name):
    """The PDF rewritten inert and without metadata, or a refusal saying why."""
    try:
        return pdf_metadata.strip(content)
    except ValueError as error:
        _pdf_refusal(error, name)


def check_pdf(content, name):
    """What can be told of a PDF at once (it opens, needs no password) before the worker cleans it."""
    try:
        pdf_metadata.check_opens(content)
    except ValueError as error:
        _pdf_refusal(error, name)


# --- one file, many files ------------------------------------------------------------------------


def clean(content, content_type, name):
    """The bytes to store for a file of a known type, or ValidationError saying why not."""
    if content_type in IMAGE_FORMATS:
        return reencode_image(content, content_type, name)
    if content_type == "application/pdf":
        return strip_pdf(content, name)
    return strip_video(content, name)


def receive(uploaded):
    """(name, content, content_type) of one upload: its safe display name, its bytes read within the
    size cap, its type told by content (ValidationError for any other). Nothing is cleaned yet."""
    name = display_name(getattr(uploaded, "name", ""))
    content = read_limited(uploaded, name)
    content_type = sniff(content[:16])
    if content_type is None:
        _refuse(name, "unsupported_type")
    return name, content, content_type


def prepare(uploaded):
    """Check and clean one uploaded file now and return what will be stored; ValidationError says why
    not."""
    name, content, content_type = receive(uploaded)
    return PreparedFile(
        content=clean(content, content_type, name), content_type=content_type, original_name=name
    )


class _InlineAllowance:
    """What the web process may still clean itself in this request."""

    def __init__(self):
        self.pixels = INLINE_PIXELS
        self.pdf_bytes = INLINE_PDF_BYTES

    def take(self, content, content_type, name):
        """Whether to clean this file now; a quick refusal (header, password) is raised either way."""
        if content_type in IMAGE_FORMATS:
            cost = image_cost(content, content_type, name)
            if cost <= self.pixels:
                self.pixels -= cost
                return True
            return False
        if content_type == "application/pdf":
            if len(content) <= self.pdf_bytes:
                self.pdf_bytes -= len(content)
                return True
            check_pdf(content, name)
            return False
        return True  # a video's boxes are rewritten without decoding anything


def prepare_all(uploaded_files):
    """Every file checked; cheap ones cleaned now, the others marked pending for the worker.
    ValidationError lists every file refused (nothing is stored then)."""
    if len(uploaded_files) > MAX_FILES:
        _too_many()
    prepared, errors = [], []
    allowance = _InlineAllowance()
    for uploaded in uploaded_files:
        try:
            name, content, content_type = receive(uploaded)
            if allowance.take(content, content_type, name):
                content, pending = clean(content, content_type, name), False
            else:
                pending = True
            prepared.append(PreparedFile(content, content_type, name, pending=pending))
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)
    return prepared


def _too_many():
    raise ValidationError(
        _("Attach at most %(count)d files."), code="too_many_files", params={"count": MAX_FILES}
    )


def store(tip, prepared):
    """Write one prepared file under a random name in private storage and record it. A pending file
    is recorded as such, without a hash (the hash is of the file as finally stored)."""
    evidence = Evidence(
        tip=tip,
        content_type=prepared.content_type,
        size=len(prepared.content),
        sha256="" if prepared.pending else prepared.sha256,
        original_name=prepared.original_name,
        state=Evidence.State.PENDING if prepared.pending else Evidence.State.READY,
    )
    evidence.file.save("evidence", ContentFile(prepared.content), save=False)
    evidence.save()
    return evidence


def queue_cleaning(items):
    """Hand each pending file to the worker once the tip's transaction has committed."""
    for item in items:
        if item.state == Evidence.State.PENDING:
            evidence_id = str(item.pk)
            transaction.on_commit(
                lambda evidence_id=evidence_id: async_task(
                    clean_pending, evidence_id, task_name=f"evidence-{evidence_id}", group="evidence"
                )
            )


def clean_pending(evidence_id):
    """The task: clean one pending file, store the result in place of what arrived, or record why it
    was refused. What arrived is deleted either way. Running twice does no harm."""
    item = Evidence.objects.filter(pk=evidence_id, state=Evidence.State.PENDING).first()
    if item is None:
        return None
    try:
        with item.file.open("rb") as handle:
            raw = handle.read()
        content, refusal = clean(raw, item.content_type, item.original_name), ""
    except ValidationError as error:
        content, refusal = None, error.code
    except Exception:
        # Never stored uncleaned: an unexpected failure refuses the file (the reason is generic).
        logger.exception("Evidence %s could not be cleaned", evidence_id)
        content, refusal = None, "processing_failed"
    return _finish(item, content, refusal)


def _finish(item, content, refusal):
    """Store the cleaned bytes in place of what arrived, or record the refusal; delete what arrived."""
    raw_name = item.file.name
    storage = Evidence.file.field.storage
    new_name = ""
    if content is not None:
        new_name = storage.save(Evidence.file.field.generate_filename(item, "evidence"), ContentFile(content))
    with transaction.atomic():
        locked = Evidence.objects.select_for_update().filter(pk=item.pk, state=Evidence.State.PENDING).first()
        if locked is None:  # another run finished first
            if new_name:
                storage.delete(new_name)
            return None
        if content is not None:
            locked.file.name = new_name
            locked.size, locked.sha256 = len(content), hashlib.sha256(content).hexdigest()
            locked.state = Evidence.State.READY
        else:
            locked.file.name = ""
            locked.size, locked.state, locked.refusal = 0, Evidence.State.REFUSED, refusal
        locked.save(update_fields=["file", "size", "sha256", "state", "refusal"])
    if raw_name:
        storage.delete(raw_name)
    if locked.state == Evidence.State.READY and locked.is_image:
        # A photo cleaned after the tip was fingerprinted: its perceptual hash is wanted too.
        related_fingerprints.queue(locked.tip_id)
    return locked.state


def refuse_stuck(now=None):
    """Files still pending STUCK_AFTER after upload (the worker was killed on them at every attempt,
    out of memory say) are refused and what arrived is deleted: never kept uncleaned for long.
    Run by the daily retention task; returns how many."""
    cutoff = (now or timezone.now()) - STUCK_AFTER
    stuck = Evidence.objects.filter(state=Evidence.State.PENDING, created_at__lt=cutoff)
    return sum(1 for item in stuck.iterator() if _finish(item, None, "processing_failed"))


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
                REFUSALS["too_large"],
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


class EvidenceInMemory(MemoryFileUploadHandler):
    """Tip uploads stay in memory whatever their size (the request body is capped beforehand), so
    that what arrives is never written in the clear to the system's temporary folder: Django's
    default handler spools files over 2.5 MB there. Only private storage ever holds it on disk."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.activated = True
