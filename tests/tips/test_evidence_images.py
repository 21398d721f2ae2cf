"""Issue 21 point 4: photos are stored with no metadata segment at all and decoded within a pixel
budget; large files are cleaned by the worker after the tip is answered, and until then are kept
only in private storage, never served or shared.

The stored bytes are parsed segment by segment (JPEG markers, PNG chunks, WebP RIFF chunks) rather than
through Pillow, which would hide what it does not understand.
"""

import hashlib
import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, PngImagePlugin

from reporting.tips.models import Evidence
from reporting.tips.services import evidence
from reporting.tips.services import tips as tip_service
from reporting.tips.services.tips import Submission
from tests.factories import gps_exif, image_bytes

XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description GPSLatitude="6,7.5S" Model="SM-A145F"/></x:xmpmeta>'
IPTC = b"8BIM\x04\x04\x00\x00\x00\x00\x00\x10\x1c\x02\x50\x00\x0cBudi Santoso"


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def jpeg_segments(data):
    """The marker of every segment before the picture data."""
    assert data[:2] == b"\xff\xd8"
    markers, position = [], 2
    while True:
        marker = data[position + 1]
        if marker == 0xDA:
            return markers
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        markers.append(marker)
        position += 2 + length


def insert_jpeg_segments(data, *segments):
    """A JPEG with extra (marker, payload) segments written right after SOI, as phones and editors do."""
    extra = b"".join(
        bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload for marker, payload in segments
    )
    return data[:2] + extra + data[2:]


def png_chunks(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    kinds, position = [], 8
    while position < len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kinds.append(data[position + 4 : position + 8].decode("latin-1"))
        position += 12 + length
    return kinds


def png_chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def webp_chunks(data):
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    kinds, position = [], 12
    while position < len(data):
        kind = data[position : position + 4].decode("latin-1")
        length = int.from_bytes(data[position + 4 : position + 8], "little")
        if kind == "VP8X":
            flags = data[position + 8]
            assert flags & 0b00101100 == 0, "VP8X announces ICC, EXIF or XMP"
        kinds.append(kind)
        position += 8 + length + (length & 1)
    return kinds


def srgb_profile():
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def photo_with_everything():
    """A phone JPEG as it arrives: EXIF with GPS, XMP, an ICC profile, Photoshop IPTC, a comment."""
    output = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(
        output, "JPEG", exif=gps_exif(), icc_profile=srgb_profile(), comment=b"Budi Santoso, Samsung SM-A145F"
    )
    return insert_jpeg_segments(
        output.getvalue(),
        (0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + XMP),
        (0xED, b"Photoshop 3.0\x00" + IPTC),
    )


def test_a_jpeg_keeps_no_comment_exif_xmp_icc_or_iptc_segment():
    original = photo_with_everything()
    assert {0xE1, 0xE2, 0xED, 0xFE} <= set(jpeg_segments(original))  # all there before
    stored = evidence.prepare(upload("foto.jpg", original)).content
    kept = jpeg_segments(stored)
    assert 0xFE not in kept  # the comment
    assert [marker for marker in kept if 0xE1 <= marker <= 0xEF] == []  # every APPn but JFIF's APP0
    for secret in (b"Budi Santoso", b"SM-A145F", b"Exif", b"ICC_PROFILE", b"Photoshop", b"xmpmeta"):
        assert secret not in stored


def test_a_png_keeps_no_text_time_exif_or_profile_chunk():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Budi Santoso")
    info.add_itxt("Description", "rumah calo di RW 03", lang="id")
    info.add_text("Comment", "SM-A145F " * 20, zip=True)  # zTXt
    output = io.BytesIO()
    Image.new("RGBA", (64, 48), (10, 20, 30, 128)).save(
        output, "PNG", pnginfo=info, exif=gps_exif(), icc_profile=srgb_profile()
    )
    original = output.getvalue()
    original = (
        original[:-12] + png_chunk(b"tIME", struct.pack(">HBBBBB", 2026, 11, 2, 8, 30, 0)) + original[-12:]
    )
    assert {"tEXt", "iTXt", "zTXt", "eXIf", "iCCP", "tIME"} <= set(png_chunks(original))
    stored = evidence.prepare(upload("layar.png", original)).content
    assert set(png_chunks(stored)) <= {"IHDR", "PLTE", "tRNS", "IDAT", "IEND"}
    assert Image.open(io.BytesIO(stored)).mode == "RGBA"  # transparency kept
    assert b"Budi" not in stored and b"RW 03" not in stored


def test_a_webp_keeps_no_exif_xmp_or_profile_chunk():
    output = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 30)).save(
        output, "WEBP", exif=gps_exif(), xmp=XMP, icc_profile=srgb_profile()
    )
    original = output.getvalue()
    assert {"EXIF", "XMP ", "ICCP"} <= set(_all_webp_chunks(original))
    stored = evidence.prepare(upload("foto.webp", original)).content
    assert set(webp_chunks(stored)) <= {"VP8 ", "VP8L", "VP8X", "ALPH"}
    assert b"SM-A145F" not in stored and b"PhoneModel" not in stored


def _all_webp_chunks(data):
    kinds, position = [], 12
    while position < len(data):
        length = int.from_bytes(data[position + 4 : position + 8], "little")
        kinds.append(data[position : position + 4].decode("latin-1"))
        position += 8 + length + (length & 1)
    return kinds


def test_a_photo_with_a_colour_profile_is_converted_to_srgb_and_stored_without_it():
    # A profile can name the phone or carry a screen's calibration (a fingerprint): it goes, and the
    # pixels are converted to sRGB so that the colours still look the same.
    output = io.BytesIO()
    Image.new("RGB", (32, 32), (30, 160, 40)).save(output, "JPEG", icc_profile=srgb_profile(), quality=100)
    stored = evidence.prepare(upload("foto.jpg", output.getvalue())).content
    picture = Image.open(io.BytesIO(stored))
    assert "icc_profile" not in picture.info
    red, green, blue = picture.getpixel((16, 16))
    assert abs(red - 30) < 8 and abs(green - 160) < 8 and abs(blue - 40) < 8


def test_a_large_photo_is_stored_at_the_maximum_long_side(monkeypatch):
    monkeypatch.setattr(evidence, "MAX_LONG_SIDE", 400)
    stored = evidence.prepare(upload("foto.jpg", image_bytes("JPEG", size=(1600, 1200)))).content
    assert Image.open(io.BytesIO(stored)).size == (400, 300)


def test_a_jpeg_is_decoded_at_reduced_scale_within_the_pixel_budget(monkeypatch):
    monkeypatch.setattr(evidence, "MAX_LONG_SIDE", 400)
    monkeypatch.setattr(evidence, "DECODE_PIXEL_BUDGET", 500_000)
    big = image_bytes("JPEG", size=(3200, 2400))  # 7.7 MP; decoded at 1/8 scale it is 400x300
    assert evidence.image_cost(big, "image/jpeg", "foto.jpg") == 400 * 300
    assert Image.open(io.BytesIO(evidence.prepare(upload("foto.jpg", big)).content)).size == (400, 300)
    # A PNG cannot be decoded at reduced scale: the same size is over the budget and refused.
    with pytest.raises(ValidationError) as caught:
        evidence.prepare(upload("layar.png", image_bytes("PNG", size=(3200, 2400))))
    assert caught.value.code == "decompression_bomb" and "layar.png" in caught.value.messages[0]


def test_a_header_claiming_more_pixels_than_any_phone_is_refused_before_decoding():
    # 20,000 x 10,000 in a JPEG header over a few bytes of picture: refused from the header alone.
    data = bytearray(image_bytes("JPEG", size=(16, 8)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", 10_000, 20_000)
    with pytest.raises(ValidationError) as caught:
        evidence.image_cost(bytes(data), "image/jpeg", "bom.jpg")
    assert caught.value.code == "decompression_bomb"


# --- large files are cleaned by the worker ---------------------------------------------------------


@pytest.fixture
def defer_everything(monkeypatch):
    """Every photo and PDF counts as large, so small test files take the worker's path."""
    monkeypatch.setattr(evidence, "INLINE_PIXELS", 0)
    monkeypatch.setattr(evidence, "INLINE_PDF_BYTES", 0)


def submit(files):
    prepared = evidence.prepare_all([upload(name, content) for name, content in files])
    return tip_service.submit_tip(
        Submission(category="tppo", description="Ada calo di balai desa."), prepared
    )


def cleanings(queued):
    """The callbacks of `queued` that hand evidence to the worker's cleaning (others, such as the
    related-tips fingerprints, are queued on every tip)."""
    return [callback for callback in queued if callback.__qualname__.startswith("queue_cleaning.")]


def stored_bytes(item):
    with item.file.open("rb") as handle:
        return handle.read()


@pytest.mark.django_db
def test_a_large_photo_waits_in_private_storage_unserved_then_is_cleaned_by_the_worker(
    defer_everything, django_capture_on_commit_callbacks, _private_storage, supervisor, client, assert_page
):
    original = photo_with_everything()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        tip, code = submit([("IMG_2041.jpg", original)])
    item = Evidence.objects.get()
    assert item.state == Evidence.State.PENDING and item.sha256 == "" and len(cleanings(queued)) == 1
    raw_path = _private_storage / item.file.name
    assert raw_path.is_file() and str(raw_path).startswith(str(_private_storage))
    # Until cleaned: never served to staff, never offered to an agency, "being processed" everywhere.
    client.force_login(supervisor)
    assert client.get(f"/admin/laporan/evidence/{item.pk}/").status_code == 404
    assert tip_service.open_evidence(item, supervisor) is None
    page = assert_page(client.get(f"/admin/laporan/{tip.pk}/"), "Sedang diproses")
    assert "Sedang diproses" in page and f"/admin/laporan/evidence/{item.pk}/" not in page
    from reporting.referrals.forms import ReferralForm

    assert "evidence" not in ReferralForm(tip=tip).fields
    status = client.post("/lapor/status/", {"code": code}).content.decode()
    assert "masih diproses" in status

    for callback in queued:  # the worker (django-q runs tasks inline under the test settings)
        callback()
    item.refresh_from_db()
    assert item.state == Evidence.State.READY and not raw_path.exists()
    stored = stored_bytes(item)
    assert [marker for marker in jpeg_segments(stored) if 0xE1 <= marker <= 0xFE] == []
    assert hashlib.sha256(stored).hexdigest() == item.sha256 and item.size == len(stored)
    assert client.get(f"/admin/laporan/evidence/{item.pk}/").status_code == 200
    cleaned = assert_page(client.post("/lapor/status/", {"code": code}), "Diterima pada")
    assert "masih diproses" not in cleaned


@pytest.mark.django_db
def test_a_file_refused_by_the_worker_is_recorded_with_its_reason_for_officer_and_reporter(
    defer_everything, django_capture_on_commit_callbacks, _private_storage, supervisor, client
):
    damaged = image_bytes("JPEG", size=(300, 200))[:-400]  # the header reads well, the picture is cut
    from tests.tips.test_evidence_inert import bomb

    with django_capture_on_commit_callbacks(execute=True):
        tip, code = submit(
            [("rusak.jpg", damaged), ("kontrak.pdf", bomb(300)), ("baik.png", image_bytes("PNG"))]
        )
    items = {item.original_name: item for item in Evidence.objects.all()}
    assert {name: (item.state, item.refusal) for name, item in items.items()} == {
        "rusak.jpg": ("refused", "broken_image"),
        "kontrak.pdf": ("refused", "pdf_bomb"),
        "baik.png": ("ready", ""),
    }
    assert not items["rusak.jpg"].file and not items["kontrak.pdf"].file
    assert sorted(path.name for path in _private_storage.rglob("*") if path.is_file()) == [
        items["baik.png"].file.name.rsplit("/", 1)[-1]
    ]  # nothing of the refused files is left
    client.force_login(supervisor)
    page = client.get(f"/admin/laporan/{tip.pk}/").content.decode()
    assert "“rusak.jpg” rusak" in page and "kontrak.pdf" in page and "bom dekompresi" in page
    status = client.post("/lapor/status/", {"code": code}).content.decode()
    assert "“rusak.jpg” rusak" in status and "bom dekompresi" in status


@pytest.mark.django_db
def test_running_the_cleaning_twice_keeps_one_file(defer_everything, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit([("foto.jpg", image_bytes("JPEG"))])
    item = Evidence.objects.get()
    assert item.state == Evidence.State.READY
    assert evidence.clean_pending(str(item.pk)) is None  # a retried task finds nothing to do
    item.refresh_from_db()
    assert item.state == Evidence.State.READY and stored_bytes(item)


@pytest.mark.django_db
def test_quick_refusals_still_come_at_once_in_the_form_with_the_text_kept(defer_everything, client):
    data = bytearray(image_bytes("JPEG", size=(16, 8)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", 10_000, 20_000)
    response = client.post(
        "/lapor/",
        {
            "category": "tppo",
            "description": "Calo di balai desa.",
            "evidence": [upload("bom.jpg", bytes(data))],
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Evidence.objects.exists()
    assert "bom.jpg" in page and "Calo di balai desa." in page


@pytest.mark.django_db
def test_a_small_photo_is_still_cleaned_while_the_resident_waits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        submit([("foto.jpg", photo_with_everything())])
    item = Evidence.objects.get()
    assert item.state == Evidence.State.READY and cleanings(queued) == []
    assert 0xFE not in jpeg_segments(stored_bytes(item))


@pytest.mark.django_db
def test_a_file_the_worker_never_cleaned_is_refused_and_deleted_by_the_daily_run(
    defer_everything, django_capture_on_commit_callbacks, _private_storage
):
    from django.utils import timezone

    from reporting.tips.services import retention

    with django_capture_on_commit_callbacks(execute=False):
        submit([("foto.jpg", photo_with_everything())])
    item = Evidence.objects.get()
    raw_path = _private_storage / item.file.name
    retention.purge_expired(timezone.now() + evidence.STUCK_AFTER / 2)
    item.refresh_from_db()
    assert item.state == Evidence.State.PENDING and raw_path.is_file()  # the worker may still come
    retention.purge_expired(timezone.now() + evidence.STUCK_AFTER * 2)
    item.refresh_from_db()
    assert (item.state, item.refusal, item.file.name) == ("refused", "processing_failed", "")
    assert not raw_path.exists()


@pytest.mark.django_db
def test_a_large_upload_is_never_spooled_to_the_system_temporary_folder(
    defer_everything, django_capture_on_commit_callbacks, settings, tmp_path, client
):
    # Django writes uploads over FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file in the clear; what
    # a resident sends may only ever be on disk in private storage. The temporary folder here does
    # not exist, so any attempt to spool there fails the request.
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "no-such-folder")
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    big = photo_with_everything() + b"\0" * (64 * 1024)  # trailing bytes: a valid JPEG, over the limit
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/lapor/",
            {"category": "tppo", "description": "Calo di balai desa.", "evidence": [upload("foto.jpg", big)]},
        )
    assert (
        response.status_code == 200
        and "Kode pelacakan" in response.content.decode()
        and Evidence.objects.get().state == Evidence.State.READY
    )
