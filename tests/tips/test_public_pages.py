"""The public tip pages: form, one-time receipt, status by code; abuse limits; language; query counts."""

import re

import pytest
from django.test import Client

from reporting.tips.models import Tip, TipHistory
from reporting.tips.services import tips as tip_service
from reporting.tips.services.identity import decrypt_identity
from reporting.tips.views import LOOKUP_LIMIT_PER_ADDRESS, LOOKUP_LIMIT_PER_DEVICE
from tests.factories import AreaFactory, SessionFactory
from tests.tips.challenge import solved_payload

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


def test_the_receipt_survives_a_reload_for_15_minutes_and_is_not_cached(client, site_setup, time_machine):
    time_machine.move_to("2026-12-03 10:00:00+07:00", tick=False)
    response = send(client)
    assert response["Location"] == "/lapor/tanda-terima/"  # never the code in a URL
    receipt = client.get(response["Location"])
    code = code_from(receipt)
    assert "no-store" in receipt["Cache-Control"]
    assert tip_service.find_by_code(code) == Tip.objects.get()
    time_machine.move_to("2026-12-03 10:14:00+07:00", tick=False)
    reloaded = client.get(response["Location"])
    assert reloaded.status_code == 200 and code_from(reloaded) == code
    time_machine.move_to("2026-12-03 10:16:00+07:00", tick=False)
    later = client.get(response["Location"])
    assert later.status_code == 410 and code not in later.content.decode()


def test_the_receipt_is_bound_to_the_browser_that_sent_the_report(client, site_setup):
    client.get("/lapor/")  # the phone's CSRF cookie
    send(client)
    other_phone = Client()
    other_phone.get("/lapor/")
    other_phone.cookies["pimpasa_tip_receipt"] = client.cookies["pimpasa_tip_receipt"].value
    stolen = other_phone.get("/lapor/tanda-terima/")
    assert stolen.status_code == 410 and "<code>" not in stolen.content.decode()
    assert client.get("/lapor/tanda-terima/").status_code == 200


def test_a_shared_phone_can_forget_the_code_at_once(client, site_setup):
    send(client)
    code = code_from(client.get("/lapor/tanda-terima/"))
    forgotten = client.post("/lapor/tanda-terima/")
    assert forgotten.status_code == 410 and code not in forgotten.content.decode()
    assert "Ponsel ini sudah melupakan kode" in forgotten.content.decode()
    assert client.cookies["pimpasa_tip_receipt"]["max-age"] == 0
    assert client.get("/lapor/tanda-terima/").status_code == 410


def test_the_receipt_works_without_javascript_and_offers_copy_save_share_with_it(client, site_setup):
    send(client)
    page = client.get("/lapor/tanda-terima/").content.decode()
    code = re.search(r"<code>([0-9A-Z-]{19})</code>", page).group(1)
    assert f'data-code="{code}"' in page
    for button in ("tip-code-copy", "tip-code-save", "tip-code-share"):
        assert re.search(rf'id="{button}"[^>]* hidden', page)  # shown by the script where supported
    assert '<script src="/static/js/tip-receipt.js" defer></script>' in page
    assert "<script>" not in page  # no inline script (CSP)


def test_the_code_is_never_stored_on_the_server_not_even_in_the_session(client, site_setup):
    from django.contrib.sessions.models import Session as WebSession
    from django.db import connection

    sent = send(client)
    carried = sent.cookies["pimpasa_tip_receipt"]
    assert carried["httponly"] and carried["samesite"] == "Strict" and carried["max-age"] == 900
    code = code_from(client.get(sent["Location"]))
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
        client,
        wants_contact="on",
        reporter_name="Siti Contoh",
        reporter_contact="0812 3456 7890",
        consent="on",
    )
    tip = Tip.objects.get()
    assert response.status_code == 302 and not tip.is_anonymous and tip.reporter_identity
    assert decrypt_identity(tip.reporter_identity)["contact"] == "+6281234567890"


@pytest.mark.parametrize("prefix, language", [("", "id"), ("/en", "en")])
def test_consent_to_be_contacted_records_the_privacy_notice_read_beside_the_form(
    client, site_setup, prefix, language
):
    # Proof of consent (UU PDP Pasal 24), as for attendances: which notice text the reporter agreed to.
    import io

    from wagtail.models import Page

    from cms import bootstrap

    bootstrap.ensure(io.StringIO())
    notice = Page.objects.get(slug="privasi", locale__language_code=language)
    data = {"category": "tppo", "description": DESCRIPTION, "wants_contact": "on", "consent": "on"}
    data.update(reporter_name="Siti Contoh", reporter_contact="0812 3456 7890")
    assert client.post(f"{prefix}/lapor/", data).status_code == 302
    client.post(f"{prefix}/lapor/", {"category": "tppo", "description": DESCRIPTION + " Lagi."})

    identified, anonymous = Tip.objects.order_by("created_at")
    assert identified.identity_consent_notice_revision == notice.live_revision_id is not None
    assert (anonymous.is_anonymous, anonymous.identity_consent_notice_revision) == (True, None)


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("+60 12-345 6789", "+60123456789"),
        ("٠٨١٢ ٣٤٥٦ ٧٨٩٠", "+6281234567890"),
        ("(021) 2924 4800", "+622129244800"),
        ("siti@example.id", "siti@example.id"),
    ],
)
def test_a_reporters_contact_is_a_phone_in_e164_or_an_e_mail(client, site_setup, typed, stored):
    send(client, wants_contact="on", reporter_name="Siti", reporter_contact=typed, consent="on")
    assert decrypt_identity(Tip.objects.get().reporter_identity)["contact"] == stored


@pytest.mark.parametrize("typed", ["0812", "call me maybe", "siti@", "0812abc4567"])
def test_a_contact_that_is_neither_phone_nor_e_mail_is_refused_and_kept(client, site_setup, typed):
    response = send(client, wants_contact="on", reporter_name="Siti", reporter_contact=typed, consent="on")
    page = response.content.decode()
    assert response.status_code == 200 and not Tip.objects.exists()
    assert "0812 3456 7890" in page and "alamat e-mail" in page
    assert f'value="{typed}"' in page


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


def a_phone(address="10.20.0.1"):
    """One browser behind `address`: it opened the form, so it holds its own CSRF cookie."""
    browser = Client(REMOTE_ADDR=address)
    assert browser.get("/lapor/").status_code == 200
    return browser


def test_one_browser_sending_on_and_on_gets_a_429_that_keeps_the_text(site_setup, settings):
    count, seconds = settings.PIMPASA_TIP_LIMIT_PER_DEVICE
    browser = a_phone()
    for _ in range(count):
        assert send(browser, altcha=solved_payload(browser)).status_code == 302
    response = send(browser, altcha=solved_payload(browser))
    assert response.status_code == 429 and response["Retry-After"] == str(seconds)
    assert DESCRIPTION in response.content.decode()
    assert Tip.objects.count() == count
    # The neighbour on the same Wi-Fi is not held back.
    neighbour = a_phone()
    assert send(neighbour, altcha=solved_payload(neighbour)).status_code == 302


def send_solved(browser):
    return send(browser, altcha=solved_payload(browser))


def test_a_training_of_30_on_one_wifi_reports_together(site_setup):
    statuses = [send_solved(a_phone("10.20.0.1")).status_code for _ in range(30)]
    assert statuses == [302] * 30
    assert Tip.objects.count() == 30


def test_the_address_ceiling_stops_a_flood_of_fresh_browsers(site_setup, settings):
    settings.PIMPASA_TIP_LIMIT_PER_ADDRESS = (3, 3600)
    statuses = [send_solved(a_phone()).status_code for _ in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert Tip.objects.count() == 3
    assert send_solved(a_phone("10.99.0.1")).status_code == 302


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


def test_code_lookups_are_throttled_per_browser_and_keep_the_typed_code(site_setup):
    browser = Client(REMOTE_ADDR="10.30.0.1")
    browser.get("/lapor/status/")
    for _ in range(LOOKUP_LIMIT_PER_DEVICE.count):
        assert browser.post("/lapor/status/", {"code": "AAAA-BBBB-CCCC-DDDD"}).status_code == 200
    response = browser.post("/lapor/status/", {"code": "AAAA-BBBB-CCCC-DDDX"})
    page = response.content.decode()
    assert response.status_code == 429 and response["Retry-After"] == str(LOOKUP_LIMIT_PER_DEVICE.seconds)
    assert "tunggu 10 menit" in page
    assert 'value="AAAA-BBBB-CCCC-DDDX"' in page
    neighbour = Client(REMOTE_ADDR="10.30.0.1")
    neighbour.get("/lapor/status/")
    assert neighbour.post("/lapor/status/", {"code": "AAAA-BBBB-CCCC-DDDD"}).status_code == 200


def test_code_lookups_have_a_ceiling_per_address(site_setup, settings):
    statuses = []
    for _ in range(LOOKUP_LIMIT_PER_ADDRESS.count + 1):
        browser = Client(REMOTE_ADDR="10.31.0.1")
        browser.get("/lapor/status/")
        statuses.append(browser.post("/lapor/status/", {"code": "AAAA-BBBB-CCCC-DDDD"}).status_code)
    assert statuses[-1] == 429 and set(statuses[:-1]) == {200}


def test_a_not_found_code_stays_in_the_field(client, site_setup):
    response = client.post("/lapor/status/", {"code": "AAAA-BBBB-CCCC-DDDZ"})
    assert 'value="AAAA-BBBB-CCCC-DDDZ"' in response.content.decode()


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
