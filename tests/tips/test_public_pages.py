"""The public tip pages: form, one-time receipt, status by code; abuse limits; language; query counts."""

import re

import pytest
from django.test import Client

from reporting.tips.models import Tip, TipHistory
from reporting.tips.services import tips as tip_service
from reporting.tips.views import LOOKUP_LIMIT, SUBMIT_LIMIT
from tests.tips.factories import AreaFactory, SessionFactory

pytestmark = pytest.mark.django_db

DESCRIPTION = "Ada calo yang menawarkan kerja ke Malaysia tanpa visa kerja."


def send(client, **fields):
    data = {"category": "tppo", "description": DESCRIPTION, **fields}
    return client.post("/lapor/", data)


def code_from(receipt):
    return re.search(r"<code>([0-9A-Z-]{19})</code>", receipt.content.decode()).group(1)


def test_the_form_from_the_site_has_no_session_and_is_anonymous_by_default(client, site_setup):
    response = client.get("/lapor/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="id">' in page and "Kirim laporan" in page
    assert 'name="wants_contact"' in page and 'name="wants_contact" checked' not in page
    assert 'href="/privasi/"' in page and "csrfmiddlewaretoken" in page
    assert "dikaitkan dengan sesi" not in page


def test_from_the_thank_you_page_the_session_is_prefilled_and_named(client, site_setup):
    session = SessionFactory(title="Ngopi Pimpasa RW 17 Kalibaru")
    page = client.get(f"/lapor/?session={session.pk}").content.decode()
    assert "Ngopi Pimpasa RW 17 Kalibaru" in page and f'value="{session.pk}"' in page
    response = send(client, session=session.pk)
    tip = Tip.objects.get()
    assert response.status_code == 302 and tip.session == session and tip.area == session.area


@pytest.mark.parametrize("raw", ["999999", "abc", "<script>"])
def test_a_bogus_session_id_is_ignored_on_the_form(client, site_setup, raw):
    response = client.get("/lapor/", {"session": raw})
    assert response.status_code == 200 and "dikaitkan dengan sesi" not in response.content.decode()


def test_the_english_form_speaks_english(client, site_setup):
    response = client.get("/en/lapor/")
    assert response.status_code == 200 and "Report a tip" in response.content.decode()


def test_the_receipt_shows_the_code_once_and_is_not_cached(client, site_setup):
    response = send(client)
    receipt = client.get(response["Location"])
    code = code_from(receipt)
    assert "no-store" in receipt["Cache-Control"]
    assert tip_service.find_by_code(code) == Tip.objects.get()
    again = client.get(response["Location"])
    assert again.status_code == 410 and code not in again.content.decode()


def test_the_code_is_never_stored_on_the_server_not_even_in_the_session(client, site_setup):
    from django.contrib.sessions.models import Session as WebSession
    from django.db import connection

    sent = send(client)
    carried = sent.cookies["pimpasa_tip_receipt"]
    assert carried["httponly"] and carried["samesite"] == "Strict" and carried["max-age"] == 600
    code = code_from(client.get(sent["Location"]))
    assert client.cookies["pimpasa_tip_receipt"]["max-age"] == 0  # deleted once shown
    assert not WebSession.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM reporting_tip")
        row = " ".join(str(value) for value in cursor.fetchone())
    assert code not in row and code.replace("-", "") not in row


def test_a_forged_receipt_cookie_shows_nothing(client, site_setup):
    client.cookies["pimpasa_tip_receipt"] = "AAAA-BBBB-CCCC-DDDD"
    response = client.get("/lapor/tanda-terima/")
    assert response.status_code == 410 and "AAAA-BBBB" not in response.content.decode()


def test_html_in_a_public_note_is_escaped_on_the_status_page(client, site_setup, supervisor):
    code = code_from(client.get(send(client)["Location"]))
    tip_service.add_note(Tip.objects.get(), supervisor, "<script>alert(1)</script>", public=True)
    page = client.post("/lapor/status/", {"code": code}).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_errors_keep_everything_typed_and_say_what_is_wrong_in_indonesian(client, site_setup):
    area = AreaFactory()
    response = client.post(
        "/lapor/",
        {
            "category": "",
            "description": "Perekrut <b>berbahaya</b> di RW 05",
            "area": area.pk,
            "address": "Gang Mawar",
            "rw": "05",
            "occurred_when": "sejak bulan lalu",
            "people_involved": "Bang Jek",
            "wants_contact": "on",
            "reporter_name": "Siti",
            "reporter_contact": "",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Tip.objects.exists()
    for kept in [
        "Perekrut &lt;b&gt;berbahaya&lt;/b&gt; di RW 05",
        "Gang Mawar",
        "sejak bulan lalu",
        "Bang Jek",
        'value="Siti"',
    ]:
        assert kept in page
    assert f'<option value="{area.pk}" selected>' in page
    assert "harus diisi" in page  # category missing, in Indonesian
    assert "Centang kotak ini" in page and "Isi nama dan nomor telepon" in page


def test_errors_in_english_for_english_readers(client, site_setup):
    response = client.post("/en/lapor/", {"category": "tppo", "description": ""})
    assert "This field is required." in response.content.decode()


def test_an_identified_report_needs_consent_and_then_stores_the_identity(client, site_setup):
    response = send(
        client, wants_contact="on", reporter_name="Siti Contoh", reporter_contact="0812", consent="on"
    )
    tip = Tip.objects.get()
    assert response.status_code == 302 and not tip.is_anonymous and tip.reporter_identity


def test_the_honeypot_stops_bots_and_lets_a_person_send_again(client, site_setup):
    response = send(client, homepage="http://spam.example")
    page = response.content.decode()
    assert response.status_code == 200 and not Tip.objects.exists()
    assert "Laporan Anda belum terkirim" in page and DESCRIPTION in page
    assert 'name="homepage" value="http' not in page


def test_csrf_is_enforced_on_the_form_and_the_status_page(site_setup):
    client = Client(enforce_csrf_checks=True)
    assert send(client).status_code == 403
    assert client.post("/lapor/status/", {"code": "AAAA-AAAA-AAAA-AAAA"}).status_code == 403
    assert not Tip.objects.exists()


def test_submissions_are_throttled_per_client_with_a_429_that_keeps_the_text(client, site_setup):
    for _ in range(SUBMIT_LIMIT.count):
        assert send(client).status_code == 302
    response = send(client)
    assert response.status_code == 429 and response["Retry-After"] == str(SUBMIT_LIMIT.seconds)
    assert DESCRIPTION in response.content.decode()
    assert Tip.objects.count() == SUBMIT_LIMIT.count
    other_client = Client(REMOTE_ADDR="10.9.9.9")
    assert send(other_client).status_code == 302


def test_the_status_page_shows_status_and_public_notes_only(client, site_setup, supervisor):
    send(client)
    code = code_from(client.get("/lapor/tanda-terima/"))
    tip = Tip.objects.get()
    tip_service.change_status(
        tip,
        supervisor,
        Tip.Status.VERIFYING,
        note="rahasia: cek rumah Pak RT",
        public_note="Sedang kami cek.",
    )
    tip_service.add_note(tip, supervisor, "nomor calo 0812-9999", public=False)
    response = client.post("/lapor/status/", {"code": code.lower().replace("-", " ")})
    page = response.content.decode()
    assert "Sedang diverifikasi" in page and "Sedang kami cek." in page
    assert "rahasia" not in page and "0812-9999" not in page
    assert code not in page  # not echoed back
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("typed", ["AAAA-BBBB-CCCC-DDDD", "salah", "", "' OR 1=1 --"])
def test_every_wrong_code_gets_one_generic_answer(client, site_setup, typed):
    send(client)
    response = client.post("/lapor/status/", {"code": typed})
    page = response.content.decode()
    assert response.status_code == 200
    generic = "Tidak ada laporan dengan kode ini" in page
    required = "harus diisi" in page
    assert generic or (typed == "" and required)
    assert "Diterima pada" not in page


def test_code_lookups_are_throttled(client, site_setup):
    for _ in range(LOOKUP_LIMIT.count):
        assert client.post("/lapor/status/", {"code": "AAAA-BBBB-CCCC-DDDD"}).status_code == 200
    response = client.post("/lapor/status/", {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert response.status_code == 429 and "Terlalu banyak permintaan" in response.content.decode()


def test_public_pages_keep_to_a_few_queries(client, site_setup, django_assert_max_num_queries, supervisor):
    areas = [AreaFactory() for _ in range(15)]
    session = SessionFactory(area=areas[0])
    send(client, session=session.pk)
    code = code_from(client.get("/lapor/tanda-terima/"))
    tip = Tip.objects.get()
    for index in range(10):
        tip_service.add_note(tip, supervisor, f"Catatan {index}", public=True)
    with django_assert_max_num_queries(6):
        client.get(f"/lapor/?session={session.pk}")
    with django_assert_max_num_queries(8):
        response = client.post("/lapor/status/", {"code": code})
    assert response.content.decode().count("Catatan ") == 10
    assert TipHistory.objects.filter(tip=tip, is_public=True).count() == 11


def test_a_draft_or_unknown_session_in_the_post_is_dropped_not_a_hidden_error(client, site_setup):
    from events.models import Session

    draft = SessionFactory(status=Session.Status.DRAFT)
    for raw in [draft.pk, 999999, "x"]:
        assert send(client, session=raw).status_code == 302
    assert Tip.objects.count() == 3 and not Tip.objects.filter(session__isnull=False).exists()
