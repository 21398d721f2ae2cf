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

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_limit_windows")]

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
    assert response.status_code == 200 and tip.session == session and tip.area == session.area


@pytest.mark.parametrize("raw", ["999999", "abc", "<script>"])
def test_a_bogus_session_id_is_ignored_on_the_form(client, site_setup, raw, assert_page):
    page = assert_page(client.get("/lapor/", {"session": raw}), 'name="description"')
    assert "dikaitkan dengan sesi" not in page


def test_the_english_form_speaks_english(client, site_setup):
    response = client.get("/en/lapor/")
    assert response.status_code == 200 and "Report a tip" in response.content.decode()


def opened_form(client, path="/lapor/"):
    """What a phone's browser holds after opening the form: its CSRF cookie and the form's nonce."""
    page = client.get(path).content.decode()
    return re.search(r'name="nonce" value="([^"]+)"', page).group(1)


def displayed(client, receipt):
    """What the browser does as it displays the receipt: it fetches the stylesheet the page names."""
    href = re.search(
        r'<link rel="stylesheet" href="(/lapor/tanda-terima/[0-9a-f]{40}\.css)">', receipt.content.decode()
    )
    response = client.get(href.group(1))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/css")
    assert "no-store" in response["Cache-Control"]


def test_the_receipt_is_the_answer_to_the_form_itself_and_is_not_cached(client, site_setup):
    receipt = send(client, nonce=opened_form(client))
    code = code_from(receipt)
    assert receipt.status_code == 200 and "Location" not in receipt  # never the code in a URL
    assert "no-store" in receipt["Cache-Control"]
    assert tip_service.find_by_code(code) == Tip.objects.get()
    # nor in a cookie: the one it sets is a random value that only stops Back restoring the form
    assert set(receipt.cookies) == {"pimpasa_turn"} and code not in str(receipt.cookies)
    assert receipt.cookies["pimpasa_turn"]["httponly"]


def test_sending_the_same_form_again_after_the_receipt_shows_neither_code_nor_text(client, site_setup):
    """Reload, or Back then Forward, on a shared phone: the browser sends the same form again."""
    nonce = opened_form(client)
    fields = {"nonce": nonce, "wants_contact": "on", "reporter_name": "Siti Aminah"}
    fields.update(reporter_contact="0812 3456 7890", consent="on")
    receipt = send(client, **fields)
    code = code_from(receipt)
    displayed(client, receipt)
    for again in (send(client, **fields), send(Client(), **fields)):
        page = again.content.decode()
        assert again.status_code == 200 and "Laporan Anda sudah terkirim" in page
        for secret in (code, "Siti Aminah", "0812", DESCRIPTION):
            assert secret not in page
        assert "no-store" in again["Cache-Control"]
    assert Tip.objects.count() == 1


def test_a_form_sent_with_a_mistake_then_corrected_is_not_shown_again_after_the_receipt(
    client, site_setup, assert_page
):
    """Back from the receipt to the page with the mistake, then reload: that POST is sent again."""
    nonce = opened_form(client)
    mistaken = send(client, nonce=nonce, wants_contact="on", reporter_name="Siti Aminah")
    assert "Siti Aminah" in mistaken.content.decode()  # the form keeps what was typed
    assert f'value="{nonce}"' in mistaken.content.decode()  # and its nonce
    fields = {"nonce": nonce, "wants_contact": "on", "reporter_name": "Siti Aminah"}
    fields.update(reporter_contact="0812 3456 7890", consent="on")
    displayed(client, send(client, **fields))
    again = send(client, nonce=nonce, wants_contact="on", reporter_name="Siti Aminah")
    assert "Siti Aminah" not in assert_page(again, "Laporan Anda sudah terkirim")


def test_a_double_tap_records_one_tip_and_both_answers_show_its_code(client, site_setup, assert_page):
    """The browser shows the answer to the second tap; the first answer is never displayed."""
    nonce = opened_form(client)
    first, second = send(client, nonce=nonce), send(client, nonce=nonce)
    assert code_from(first) == code_from(second)
    assert Tip.objects.count() == 1
    displayed(client, second)
    assert "<code>" not in assert_page(send(client, nonce=nonce), "Laporan Anda sudah terkirim")


def test_until_displayed_the_code_is_kept_only_sealed_with_the_forms_nonce(client, site_setup):
    from django.core.cache import caches

    from reporting.tips.services import receipts

    nonce = opened_form(client)
    code = code_from(send(client, nonce=nonce))
    entry = caches["default"].get(f"tips:form:{receipts.entry_id(nonce)}")
    assert entry["state"] == "recorded"
    assert code not in str(entry) and code.replace("-", "") not in str(entry) and nonce not in str(entry)
    receipts.displayed(receipts.entry_id(nonce))
    assert caches["default"].get(f"tips:form:{receipts.entry_id(nonce)}") == {"state": "seen"}


def test_an_undisplayed_receipt_is_repeated_for_ten_minutes_only(
    client, site_setup, time_machine, assert_page
):
    time_machine.move_to("2026-12-03 10:00:00+07:00", tick=False)
    nonce = opened_form(client)
    code = code_from(send(client, nonce=nonce))
    time_machine.move_to("2026-12-03 10:09:00+07:00", tick=False)
    assert code_from(send(client, nonce=nonce)) == code
    time_machine.move_to("2026-12-03 10:11:00+07:00", tick=False)
    assert code not in assert_page(send(client, nonce=nonce), "Laporan Anda sudah terkirim")
    assert Tip.objects.count() == 1


def test_a_form_opened_over_a_day_ago_is_shown_again_empty(client, site_setup, time_machine):
    time_machine.move_to("2026-12-03 10:00:00+07:00", tick=False)
    nonce = opened_form(client)
    time_machine.move_to("2026-12-04 10:01:00+07:00", tick=False)
    response = send(client, nonce=nonce, reporter_name="Siti Aminah")
    page = response.content.decode()
    assert response.status_code == 200 and "lebih dari sehari" in page
    assert "Siti Aminah" not in page and DESCRIPTION not in page and nonce not in page
    assert not Tip.objects.exists()


def test_a_forged_nonce_records_the_tip_like_a_form_without_one(client, site_setup):
    assert code_from(send(client, nonce="forged"))
    assert code_from(send(client))
    assert Tip.objects.count() == 2


def test_the_receipts_address_in_a_new_tab_shows_no_code(client, site_setup):
    code = code_from(send(client, nonce=opened_form(client)))
    for phone in (client, Client()):
        page = phone.get("/lapor/tanda-terima/")
        assert page.status_code == 200 and "Kode tidak lagi ditampilkan" in page.content.decode()
        assert code not in page.content.decode() and "no-store" in page["Cache-Control"]


def test_a_receipt_cookie_of_the_earlier_release_is_deleted_and_shows_nothing(
    client, site_setup, assert_page
):
    client.cookies["pimpasa_tip_receipt"] = "AAAA-BBBB-CCCC-DDDD"
    response = client.get("/lapor/tanda-terima/")
    assert "AAAA-BBBB" not in assert_page(response, "Kode tidak lagi ditampilkan")
    assert response.cookies["pimpasa_tip_receipt"]["max-age"] == 0


def test_the_receipt_works_without_javascript_and_offers_copy_save_share_with_it(
    client, site_setup, assert_page
):
    page = assert_page(send(client))
    code = re.search(r"<code>([0-9A-Z-]{19})</code>", page).group(1)
    assert f'data-code="{code}"' in page
    for button in ("tip-code-copy", "tip-code-save", "tip-code-share"):
        assert re.search(rf'id="{button}"[^>]* hidden', page)  # shown by the script where supported
    assert '<script src="/static/js/tip-receipt.js" defer></script>' in page
    assert "<script>" not in page  # no inline script (CSP)


def test_the_code_is_never_stored_on_the_server_not_even_in_the_session(client, site_setup):
    from django.contrib.sessions.models import Session as WebSession
    from django.db import connection

    code = code_from(send(client, nonce=opened_form(client)))
    assert not WebSession.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM reporting_tip")
        row = " ".join(str(value) for value in cursor.fetchone())
    assert code not in row and code.replace("-", "") not in row


def test_the_forms_ask_the_browser_neither_to_restore_nor_to_offer_what_was_typed(
    client, site_setup, assert_page
):
    from bs4 import BeautifulSoup

    for path in ("/lapor/", "/lapor/status/"):
        soup = BeautifulSoup(assert_page(client.get(path)), "html.parser")
        form = soup.find("main").find("form", method="post")
        assert form["autocomplete"] == "off", path
        for field in form.find_all(["input", "textarea", "select"]):
            if field.get("type") not in ("hidden", "submit", "file"):
                assert field.get("autocomplete") == "off", (path, field.get("name"))


def test_html_in_a_public_note_is_escaped_on_the_status_page(client, site_setup, supervisor, assert_page):
    code = code_from(send(client))
    tip_service.add_note(Tip.objects.get(), supervisor, "<script>alert(1)</script>", public=True)
    page = assert_page(client.post("/lapor/status/", {"code": code}), "&lt;script&gt;alert(1)&lt;/script&gt;")
    assert "<script>alert(1)</script>" not in page


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
    assert response.status_code == 200 and not tip.is_anonymous and tip.reporter_identity
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
    assert client.post(f"{prefix}/lapor/", data).status_code == 200
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
        assert send(browser, altcha=solved_payload(browser)).status_code == 200
    response = send(browser, altcha=solved_payload(browser))
    assert response.status_code == 429 and response["Retry-After"] == str(seconds)
    assert DESCRIPTION in response.content.decode()
    assert Tip.objects.count() == count
    # The neighbour on the same Wi-Fi is not held back.
    neighbour = a_phone()
    assert send(neighbour, altcha=solved_payload(neighbour)).status_code == 200


def send_solved(browser):
    return send(browser, altcha=solved_payload(browser))


def test_a_training_of_30_on_one_wifi_reports_together(site_setup):
    statuses = [send_solved(a_phone("10.20.0.1")).status_code for _ in range(30)]
    assert statuses == [200] * 30
    assert Tip.objects.count() == 30


def test_the_address_ceiling_stops_a_flood_of_fresh_browsers(site_setup, settings):
    settings.PIMPASA_TIP_LIMIT_PER_ADDRESS = (3, 3600)
    statuses = [send_solved(a_phone()).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert Tip.objects.count() == 3
    assert send_solved(a_phone("10.99.0.1")).status_code == 200


def test_the_status_page_shows_status_and_public_notes_only(client, site_setup, supervisor, assert_page):
    code = code_from(send(client))
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
    page = assert_page(response, "Sedang diverifikasi", "Sedang kami cek.")
    assert "rahasia" not in page and "0812-9999" not in page
    assert code not in page  # not echoed back
    assert "no-store" in response["Cache-Control"]


def lookup_nonce(client):
    return re.search(r'name="nonce" value="([^"]+)"', client.get("/lapor/status/").content.decode()).group(1)


def test_a_look_up_sent_again_after_its_answer_was_displayed_asks_for_the_code_again(client, site_setup):
    """Back then Forward (or reload) on a shared phone sends the look-up again: nothing of it shows."""
    code = code_from(send(client))
    nonce = lookup_nonce(client)
    answer = client.post("/lapor/status/", {"code": code, "nonce": nonce})
    assert "Diterima pada" in answer.content.decode()
    # Before it is displayed (a double tap), the same look-up is answered again.
    assert "Diterima pada" in client.post("/lapor/status/", {"code": code, "nonce": nonce}).content.decode()
    href = re.search(
        r'<link rel="stylesheet" href="(/lapor/status/[0-9a-f]{40}\.css)">', answer.content.decode()
    )
    assert client.get(href.group(1)).status_code == 200  # the browser displays the answer
    for phone in (client, Client()):
        again = phone.post("/lapor/status/", {"code": code, "nonce": nonce})
        page = again.content.decode()
        assert again.status_code == 200 and "Ketik kode Anda lagi" in page
        assert "Diterima pada" not in page and code not in page and nonce not in page
    # A new look-up (the page's new nonce) is answered as usual.
    assert (
        "Diterima pada"
        in client.post("/lapor/status/", {"code": code, "nonce": lookup_nonce(client)}).content.decode()
    )


def test_an_undisplayed_look_up_is_not_repeated_after_two_minutes(
    client, site_setup, time_machine, assert_page
):
    time_machine.move_to("2026-12-03 10:00:00+07:00", tick=False)
    code = code_from(send(client))
    nonce = lookup_nonce(client)
    assert "Diterima pada" in client.post("/lapor/status/", {"code": code, "nonce": nonce}).content.decode()
    time_machine.move_to("2026-12-03 10:03:00+07:00", tick=False)
    later = assert_page(client.post("/lapor/status/", {"code": code, "nonce": nonce}), 'name="code"')
    assert "Diterima pada" not in later


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
    code = code_from(send(client, session=session.pk))
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
        assert send(client, session=raw).status_code == 200
    assert Tip.objects.count() == 3 and not Tip.objects.filter(session__isnull=False).exists()


def test_every_answer_to_a_public_forms_post_changes_the_turn_cookie(client, site_setup, assert_page):
    """Chromium restores no-store pages from its back-forward cache unless a cookie changed since."""
    answers = [send(client), send(client, description=""), client.post("/lapor/status/", {"code": "AAAA"})]
    values = [answer.cookies["pimpasa_turn"].value for answer in answers]
    assert len(set(values)) == 3
    form = client.get("/lapor/")
    assert_page(form, 'name="description"')
    assert "pimpasa_turn" not in form.cookies  # a GET changes nothing
