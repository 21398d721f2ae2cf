"""Every upload attack the issue lists, against the service and through the public form."""

import hashlib
import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from reporting.tips.models import Evidence, Tip
from reporting.tips.services import evidence
from tests.factories import gps_exif, image_bytes, pdf_bytes

SVG_WITH_SCRIPT = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
PDF = pdf_bytes()
MP4 = (Path(__file__).parent / "media" / "android-location.mp4").read_bytes()
MOV = (Path(__file__).parent / "media" / "iphone-location.mov").read_bytes()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def png_bomb(width=50_000, height=50_000):
    """A tiny PNG whose header claims billions of pixels: what a decompression bomb looks like."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def refusal_code(uploaded):
    with pytest.raises(ValidationError) as caught:
        evidence.prepare(uploaded)
    return caught.value.code


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("gambar.svg", SVG_WITH_SCRIPT, "image/svg+xml"),
        ("foto.jpg", SVG_WITH_SCRIPT, "image/jpeg"),  # an SVG pretending to be a photo
        ("halaman.html", HTML, "text/html"),
        ("foto.png", HTML, "image/png"),  # HTML with an image's name and header
        ("dokumen.pdf", b"MZ\x90\x00 an executable", "application/pdf"),
        ("kosong.jpg", b"", "image/jpeg"),
    ],
)
def test_content_decides_the_type_not_the_name_or_the_header(name, content, content_type):
    assert refusal_code(upload(name, content, content_type)) == "unsupported_type"


def test_a_photo_with_a_wrong_name_is_stored_as_what_it_is():
    prepared = evidence.prepare(upload("invoice.php", image_bytes("PNG"), "text/x-php"))
    assert prepared.content_type == "image/png"
    assert Image.open(io.BytesIO(prepared.content)).format == "PNG"


@pytest.mark.parametrize(
    "content, content_type",
    [
        (PDF, "application/pdf"),
        (MP4, "video/mp4"),
        (MOV, "video/quicktime"),
        (image_bytes("WEBP"), "image/webp"),
    ],
)
def test_pdf_mp4_mov_and_webp_are_accepted(content, content_type):
    assert evidence.prepare(upload("bukti", content)).content_type == content_type


def test_a_quicktime_movie_is_told_apart_from_an_mp4():
    assert evidence.sniff(MOV[:16]) == "video/quicktime" and evidence.sniff(MP4[:16]) == "video/mp4"
    heif = struct.pack(">I", 24) + b"ftypheic" + b"\x00\x00\x00\x00" + b"mif1heic"
    assert refusal_code(upload("foto.heic", heif)) == "unsupported_type"  # not a movie at all


def test_png_followed_by_html_loses_the_html():
    polyglot = image_bytes("PNG") + HTML
    prepared = evidence.prepare(upload("foto.png", polyglot, "image/png"))
    assert b"<script>" not in prepared.content and b"<html" not in prepared.content
    assert Image.open(io.BytesIO(prepared.content)).size == (64, 48)


def test_exif_and_gps_are_gone_after_upload():
    original = image_bytes("JPEG", exif=gps_exif())
    assert Image.open(io.BytesIO(original)).getexif().get(0x8825)  # the phone's GPS is there before
    prepared = evidence.prepare(upload("foto.jpg", original, "image/jpeg"))
    cleaned = Image.open(io.BytesIO(prepared.content))
    assert not cleaned.getexif()
    assert b"Exif" not in prepared.content and b"PhoneModel" not in prepared.content


def test_a_sideways_photo_is_turned_upright_before_its_exif_goes():
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    prepared = evidence.prepare(upload("foto.jpg", image_bytes("JPEG", size=(80, 40), exif=exif)))
    assert Image.open(io.BytesIO(prepared.content)).size == (40, 80)


@pytest.mark.parametrize("size", [(50_000, 50_000), (9_000, 9_000)])
def test_decompression_bombs_are_refused_with_a_clear_message(size):
    with pytest.raises(ValidationError) as caught:
        evidence.prepare(upload("bom.png", png_bomb(*size), "image/png"))
    assert caught.value.code == "decompression_bomb"
    assert "bom.png" in caught.value.messages[0]


def test_a_truncated_image_is_refused_not_a_500():
    assert refusal_code(upload("rusak.jpg", image_bytes("JPEG")[:40])) == "broken_image"


def test_an_oversized_file_is_refused_from_its_size_before_reading():
    class Unreadable(SimpleUploadedFile):
        def chunks(self, chunk_size=None):
            raise AssertionError("an oversized file must not be read")

    big = Unreadable("video.mp4", b"", content_type="video/mp4")
    big.size = evidence.MAX_BYTES + 1
    assert refusal_code(big) == "too_large"


def test_more_than_five_files_are_refused():
    with pytest.raises(ValidationError) as caught:
        evidence.prepare_all([upload(f"{n}.pdf", PDF) for n in range(6)])
    assert caught.value.error_list[0].code == "too_many_files"


@pytest.mark.parametrize(
    "name, shown",
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\foto.jpg", "foto.jpg"),
        ("/var/www/.htaccess", "htaccess"),
        ("foto\x00.jpg\r\n", "foto.jpg"),
        ("", "berkas"),
    ],
)
def test_path_traversal_names_become_harmless_display_names(name, shown):
    assert evidence.display_name(name) == shown


@pytest.mark.django_db
def test_stored_files_get_random_names_inside_private_storage(_private_storage):
    from tests.factories import TipFactory

    tip = TipFactory()
    prepared = evidence.prepare(upload("../../../../tmp/evil.jpg", image_bytes("JPEG")))
    item = evidence.store(tip, prepared)
    path = item.file.path
    assert path.startswith(str(_private_storage)) and "evil" not in path and ".." not in item.file.name
    assert item.original_name == "evil.jpg"
    with item.file.open("rb") as handle:  # decrypted through the storage
        assert hashlib.sha256(handle.read()).hexdigest() == item.sha256
    with open(path, "rb") as handle:  # on disk: ciphertext
        assert hashlib.sha256(handle.read()).hexdigest() != item.sha256
    with pytest.raises(ValueError):
        item.file.url


# --- through the public form ---------------------------------------------------------------------


def post_tip(client, *files, **fields):
    data = {"category": "tppo", "description": "Ada calo yang menawarkan kerja ke Malaysia.", **fields}
    if files:
        data["evidence"] = list(files)
    return client.post("/lapor/", data)


@pytest.mark.django_db
def test_an_svg_through_the_form_is_refused_and_the_text_is_kept(client):
    response = post_tip(client, upload("peta.svg", SVG_WITH_SCRIPT, "image/svg+xml"))
    page = response.content.decode()
    assert response.status_code == 200 and not Tip.objects.exists()
    assert "peta.svg" in page and "Ada calo yang menawarkan kerja ke Malaysia." in page
    assert "bukan foto" in page  # the reason, in Indonesian


@pytest.mark.django_db
def test_an_oversized_file_is_dropped_while_parsing_and_explained(client, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    big = upload("video.mp4", MP4 + b"\x00" * (evidence.MAX_BYTES + 10), "video/mp4")
    response = post_tip(client, big)
    assert response.status_code == 200 and not Tip.objects.exists()
    assert "video.mp4" in response.content.decode() and "10,0" in response.content.decode()


@pytest.mark.django_db
def test_a_sixth_file_is_not_even_read(client):
    files = [upload(f"bukti{n}.pdf", PDF) for n in range(6)]
    response = post_tip(client, *files)
    assert response.status_code == 200 and not Tip.objects.exists()
    assert "paling banyak 5" in response.content.decode()


@pytest.mark.django_db
def test_a_photo_through_the_form_arrives_without_gps(client):
    response = post_tip(client, upload("IMG_2041.jpg", image_bytes("JPEG", exif=gps_exif()), "image/jpeg"))
    assert response.status_code == 200 and b"<code>" in response.content  # the receipt
    item = Evidence.objects.get()
    with item.file.open("rb") as handle:
        assert not Image.open(handle).getexif()
    assert item.content_type == "image/jpeg" and item.original_name == "IMG_2041.jpg"
