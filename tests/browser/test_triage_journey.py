"""Triage never undoes what happened meanwhile, on an officer's phone (360 px): a note typed before
"Rujuk ke instansi" comes back after the referral and is saved without moving "Diteruskan" back; two
officers on one tip: the second save is refused with what changed, keeping the typed note."""

import pytest

from tests.browser import test_back_office_journey as back_office
from tests.browser.test_back_office_journey import WIDTHS, log_in, look

office = back_office.office  # the back office's people, area and session (a fixture)

NOTE = "Sudah saya telepon Pak RT 03, tunggu kabar besok."


def phone(browser):
    context = browser.new_context(
        viewport={"width": WIDTHS["phone"], "height": 800},
        locale="id-ID",
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.pimpasa_screen = "phone"
    return context, page


@pytest.fixture
def tip(office):
    from tests.factories import TipFactory

    return TipFactory(
        area=office["area"],
        session=office["session"],
        description="Ada calo yang menjanjikan gaji tinggi di Malaysia tanpa dokumen resmi.",
    )


def test_refer_then_save_keeps_forwarded(live_server, browser, office, tip):
    from reporting.tips.models import Tip
    from tests.factories import AgencyFactory

    agency = AgencyFactory(name="BP3MI DKI Jakarta", contacts=["pengaduan@bp3mi.test"])
    context, page = phone(browser)
    log_in(page, live_server, "petugas")
    page.goto(f"{live_server.url}/admin/laporan/{tip.pk}/")
    page.fill("#id_triage-note", NOTE)
    page.get_by_role("button", name="Rujuk ke instansi").click()
    page.wait_for_url(f"**/admin/rujukan/laporan/{tip.pk}/")
    page.select_option("#id_agency", str(agency.pk))
    page.fill("#id_summary", "Calo menawarkan kerja ke Malaysia tanpa dokumen. Mohon ditindaklanjuti.")
    page.get_by_role("button", name="Rujuk dan kirim tautan").click()
    page.get_by_text("Tautan hanya ditampilkan kali ini").wait_for()
    page.get_by_role("link", name="Kembali ke laporan").click()
    page.wait_for_url(f"**/admin/laporan/{tip.pk}/")
    assert page.get_by_text("Belum tersimpan.").is_visible()
    assert page.input_value("#id_triage-note") == NOTE
    assert page.input_value("#id_triage-status") == "forwarded"  # the status as it is now
    look(page, "triage-1-back-from-referral")
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url(f"**/admin/laporan/{tip.pk}/")
    page.get_by_text("Tersimpan.").wait_for()
    tip.refresh_from_db()
    assert tip.status == Tip.Status.FORWARDED
    assert NOTE in list(tip.history.filter(kind="internal_note").values_list("note", flat=True))
    assert not tip.history.filter(kind="status").exists()
    look(page, "triage-2-saved-still-forwarded")
    context.close()


def test_two_officers_the_second_save_is_refused_with_what_changed(live_server, browser, office, tip):
    context, page = phone(browser)
    other_context, other = phone(browser)
    log_in(page, live_server, "petugas")
    log_in(other, live_server, "supervisor")
    for each in (page, other):
        each.goto(f"{live_server.url}/admin/laporan/{tip.pk}/")

    # The supervisor saves first: the tip is being verified.
    other.select_option("#id_triage-status", "verifying")
    other.fill("#id_triage-note", "Saya cek ke lapangan hari ini.")
    other.get_by_role("button", name="Simpan", exact=True).click()
    other.get_by_text("Tersimpan.").wait_for()

    # The officer's page still shows "Diterima": their save is refused, with what changed.
    page.fill("#id_triage-note", NOTE)
    page.get_by_role("button", name="Simpan", exact=True).click()
    box = page.locator("#changed-meanwhile")
    box.wait_for()
    assert "tidak ada yang disimpan" in box.inner_text()
    assert "Sedang diverifikasi" in box.inner_text() and "Saya cek ke lapangan hari ini." in box.inner_text()
    assert page.input_value("#id_triage-note") == NOTE
    assert page.input_value("#id_triage-status") == "verifying"
    tip.refresh_from_db()
    assert NOTE not in list(tip.history.values_list("note", flat=True))
    look(page, "triage-3-refused-what-changed")

    # Having read it, the officer saves again: the note, and the status stays "verifying".
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.get_by_text("Tersimpan.").wait_for()
    tip.refresh_from_db()
    assert tip.status == "verifying"
    assert list(tip.history.filter(kind="internal_note").values_list("note", flat=True)).count(NOTE) == 1
    look(page, "triage-4-saved-after-reading")
    context.close()
    other_context.close()
