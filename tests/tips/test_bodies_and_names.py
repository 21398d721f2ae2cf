"""What Django's multipart parser would forgive is refused: a file name that is not UTF-8 (Django drops
the file silently) and a body cut short (the fields that arrived look whole). Nothing is stored; the
reporter reads why, in their language. Retention erases evidence files' original names too."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pimpasa.multipart import _Watcher
from reporting.tips.models import Evidence, Tip
from reporting.tips.services import evidence as evidence_service
from reporting.tips.services import retention
from reporting.tips.services.tips import Submission, submit_tip
from tests.factories import image_bytes

pytestmark = pytest.mark.django_db

BOUNDARY = b"----pimpasa-test-boundary"
DESCRIPTION = "Ada calo yang menawarkan kerja ke Malaysia tanpa visa kerja."


def body(file_name=b"foto.jpg", closed=True, description=DESCRIPTION):
    parts = [
        b"--" + BOUNDARY + b'\r\nContent-Disposition: form-data; name="category"\r\n\r\ntppo\r\n',
        b"--"
        + BOUNDARY
        + b'\r\nContent-Disposition: form-data; name="description"\r\n\r\n'
        + description.encode()
        + b"\r\n",
        b"--"
        + BOUNDARY
        + b'\r\nContent-Disposition: form-data; name="evidence"; filename="'
        + file_name
        + b'"\r\nContent-Type: image/jpeg\r\n\r\n'
        + image_bytes("JPEG")
        + b"\r\n",
    ]
    raw = b"".join(parts)
    return raw + b"--" + BOUNDARY + b"--\r\n" if closed else raw


def post(client, raw):
    return client.generic(
        "POST", "/lapor/", raw, content_type=f"multipart/form-data; boundary={BOUNDARY.decode()}"
    )


def test_a_whole_body_with_a_plain_name_is_stored(client, site_setup):
    response = post(client, body())
    assert response.status_code == 200 and b"<code>" in response.content  # the receipt
    assert Evidence.objects.get().original_name == "foto.jpg"


def test_a_utf8_name_beyond_ascii_is_fine(client, site_setup):
    assert b"<code>" in post(client, body(file_name="bukti-ñ-ü.jpg".encode())).content
    assert Evidence.objects.get().original_name.startswith("bukti-")


def test_a_file_name_that_is_not_utf8_is_refused_and_nothing_is_stored(client, site_setup):
    response = post(client, body(file_name=b"KTP_\xff\xfe_Budi.jpg"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nama berkas yang dilampirkan tidak dapat dibaca" in page
    assert DESCRIPTION in page  # what was typed is kept
    assert not Tip.objects.exists() and not Evidence.objects.exists()


def test_the_refusal_speaks_english_on_the_english_form(client, site_setup):
    response = client.generic(
        "POST",
        "/en/lapor/",
        body(file_name=b"\xc3\x28.jpg"),
        content_type=f"multipart/form-data; boundary={BOUNDARY.decode()}",
    )
    assert response.status_code == 400
    assert "The name of an attached file could not be read" in response.content.decode()


def test_a_body_cut_short_is_refused_and_nothing_is_stored(client, site_setup):
    raw = body(closed=False)
    response = post(client, raw[: len(raw) - 200])  # the photo and the closing boundary never came
    assert response.status_code == 400
    assert "tidak sampai utuh" in response.content.decode()
    assert not Tip.objects.exists() and not Evidence.objects.exists()


def test_a_body_cut_inside_the_description_is_refused(client, site_setup):
    raw = body()
    cut = raw.index(b"tanpa visa")
    response = post(client, raw[:cut])
    assert response.status_code == 400 and "tidak sampai utuh" in response.content.decode()
    assert not Tip.objects.exists()


@pytest.mark.parametrize("chunk", [1, 2, 7, 64, 4096])
def test_the_watcher_finds_the_end_and_bad_names_across_any_chunking(chunk):
    import io

    for raw, closed, undecodable in [
        (body(), True, 0),
        (body(closed=False), False, 0),
        (body(file_name=b"\xff.jpg"), True, 1),
    ]:
        watcher = _Watcher(io.BytesIO(raw), BOUNDARY)
        while watcher.read(chunk):
            pass
        assert (watcher.closed, watcher.undecodable) == (closed, undecodable)


def test_retention_erases_evidence_original_names_with_the_files(settings, site_setup):
    settings.PIMPASA_TIP_RETENTION_DAYS = 30
    tip, _code = submit_tip(
        Submission(category=Tip.Category.TPPO, description="Calo di terminal."),
        [evidence_service.prepare(SimpleUploadedFile("KTP_Budi_Santoso.jpg", image_bytes("JPEG")))],
    )
    item = tip.evidence.get()
    stored, digest = Path(item.file.path), item.sha256
    Tip.objects.filter(pk=tip.pk).update(
        status=Tip.Status.CLOSED, closed_at=timezone.now() - timedelta(days=31)
    )
    assert retention.purge_expired() == 1
    item.refresh_from_db()
    assert item.original_name == "" and not item.file and item.purged_at is not None
    assert item.sha256 == digest and item.size > 0  # what stays: proof of what was received
    assert not stored.exists()
