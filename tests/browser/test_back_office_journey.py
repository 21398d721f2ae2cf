"""The back office on an officer's phone (360 px) and a desk screen (1366 px): an officer runs a session
from start to finish; every page is checked for sideways scrolling and photographed."""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from events.models import Attendance, Session
from tests.browser.conftest import pass_second_factor
from tests.factories import DEFAULT_PASSWORD, AreaFactory, AttendanceFactory, SessionFactory, UserFactory

WIDTHS = {"phone": 360, "desk": 1366}
# Screenshots of every step, to look at (var/screenshots by default, kept out of git).
SCREENSHOTS = Path(
    os.environ.get("PIMPASA_SCREENSHOTS", Path(__file__).resolve().parents[2] / "var" / "screenshots")
)


@pytest.fixture(params=list(WIDTHS))
def screen(request, browser):
    width = WIDTHS[request.param]
    options = {"viewport": {"width": width, "height": 800 if width < 800 else 900}, "locale": "id-ID"}
    if width < 800:
        options.update(device_scale_factor=2, is_mobile=True, has_touch=True)
    context = browser.new_context(**options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.pimpasa_screen = request.param
    yield page
    context.close()


def look(page, name):
    """No sideways scrolling on this page (nor in the admin's own scrolling main column); a screenshot of
    the whole page to look at."""
    width = page.evaluate("window.innerWidth")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{name}: the page is {scroll_width} px wide on a {width} px screen"
    main_width = page.evaluate(
        "document.querySelector('main') ? document.querySelector('main').scrollWidth : 0"
    )
    wide = page.evaluate(
        "Array.from(document.querySelectorAll('main *')).filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !e.closest('header'))"
        ".slice(0, 12).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
    )
    assert main_width <= width, (
        f"{name}: {wide}: the main column is {main_width} px wide on a {width} px screen"
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # The admin scrolls inside its layout, not the document: show it all by making the window as tall.
    viewport = page.viewport_size
    height = page.evaluate(
        "Math.max(...Array.from(document.querySelectorAll('body, body *')).map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": viewport["width"], "height": min(max(height, viewport["height"]), 8000)})
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{page.pimpasa_screen}.png"), full_page=True)
    page.set_viewport_size(viewport)


def log_in(page, live_server, username):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.locator("button[type=submit]").click()
    pass_second_factor(page, username)
    page.wait_for_url(live_server.url + "/admin/")


@pytest.fixture
def office(transactional_db, settings, live_server):
    from cms.services.page_tree import ensure_home_page
    from pimpasa.roles import OFFICER, SUPERVISOR, ensure_roles

    ensure_roles()
    ensure_home_page()
    settings.PIMPASA_PUBLIC_URL = live_server.url
    officer = UserFactory(username="petugas", first_name="Rina", last_name="Wulandari", role=OFFICER)
    supervisor = UserFactory(username="supervisor", first_name="Agus", last_name="Salim", role=SUPERVISOR)
    area = AreaFactory(name="Cengkareng Timur", officers=[officer])
    starts = timezone.now() + timedelta(minutes=10)
    session = SessionFactory(
        area=area,
        title="Ngopi Pimpasa RW 17: Kenali Modus Perekrutan PMI Non-Prosedural",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        status=Session.Status.SCHEDULED,
    )
    AttendanceFactory.create_batch(3, session=session)
    return {"officer": officer, "supervisor": supervisor, "area": area, "session": session}


def test_officer_runs_a_session_from_start_to_finish(live_server, screen, office):
    page, session = screen, office["session"]
    log_in(page, live_server, "petugas")
    look(page, "01-officer-home")

    # Two taps from the admin home: the dashboard's session, then its run page is open.
    page.get_by_role("link", name=session.title).first.click()
    page.wait_for_url(f"**/admin/events/sessions/{session.pk}/run/")
    look(page, "02-run-page")

    page.get_by_role("button", name="Mulai sesi").click()
    page.get_by_text("Sesi sekarang “Berlangsung”.").wait_for()

    # A walk-in is added; the page comes back to the form, ready for the next person.
    page.fill("#id_walkin-name", "Nenek Sumi")
    page.select_option("#id_walkin-gender", "f")
    page.select_option("#id_walkin-age_group", "gt60")
    page.fill("#id_walkin-rw", "17")
    page.check("#id_walkin-consent")
    page.get_by_role("button", name="Tambah", exact=True).click()
    page.wait_for_url("**/run/#walk-in")
    page.get_by_text("Nenek Sumi telah ditambahkan.").wait_for()
    assert page.locator("#newest-attendees .run-person__name").first.inner_text() == "Nenek Sumi"
    assert page.locator(".run-summary__number").inner_text() == "4"

    # Someone checks in from their own phone: the count and the list follow without a reload.
    AttendanceFactory(session=session, name="Dewi Lestari")
    page.wait_for_function("document.querySelector('.run-summary__number').textContent === '5'")
    assert page.locator("#newest-attendees .run-person__name").first.inner_text() == "Dewi Lestari"
    look(page, "03-run-page-live")

    # Finishing asks first, then closes check-in at once and offers the session's export.
    page.get_by_role("link", name="Selesaikan sesi").click()
    page.get_by_text("Selesaikan sesi ini?").wait_for()
    look(page, "04-finish-question")
    page.get_by_role("button", name="Ya, selesaikan sesi").click()
    page.get_by_text("Sesi sudah selesai: presensi ditutup.").wait_for()
    window = page.locator(".run-summary__window")
    assert window.inner_text() == "Sesi sudah selesai: presensi ditutup."  # no longer "Presensi dibuka …"
    look(page, "05-run-page-finished")
    session.refresh_from_db()
    assert session.status == Session.Status.FINISHED
    assert Attendance.objects.filter(session=session).count() == 5

    page.get_by_role("link", name="Ekspor sesi ini").click()
    assert page.locator("#id_session").input_value() == str(session.pk)
    look(page, "06-export-this-session")

    # The sessions list reads on a phone: whole words, a whole button, no sideways scrolling.
    page.goto(live_server.url + "/admin/events/sessions/")
    look(page, "07-sessions-list")


def test_supervisor_reads_the_dashboard(live_server, screen, office):
    from tests.factories import TipFactory

    # A year of work in two areas, so the charts have something to show.
    other = AreaFactory(name="Jurumudi")
    now = timezone.now()
    for months_ago in range(12):
        for area in (office["area"], other):
            starts = now - timedelta(days=30 * months_ago + 1)
            session = SessionFactory(area=area, starts_at=starts, status=Session.Status.FINISHED)
            AttendanceFactory.create_batch(
                2 + (months_ago * 3) % 7, session=session, gender="fm"[months_ago % 2]
            )
    categories = ["tppo", "pmi", "foreigner", "other", "pmi", "tppo"]
    for index, category in enumerate(categories):
        TipFactory(area=(office["area"], other)[index % 2], category=category)

    page = screen
    log_in(page, live_server, "supervisor")
    page.get_by_text("Sesi dan peserta, 12 bulan terakhir").wait_for()
    assert page.locator("svg.chart").count() == 7
    assert page.get_by_text("Jurumudi").count() >= 1
    look(page, "08-supervisor-dashboard")
    # Wagtail's own scripts draw the sidebar: their words come from the Indonesian JS catalogue.
    page.get_by_role("button", name="Buka/tutup bilah samping").first.wait_for(state="attached")
    assert "Toggle sidebar" not in page.content() and "Main menu" not in page.content()
    # Open tips past a deadline are counted and one tap from their list.
    page.get_by_role("link", name=re.compile(r"\d+ melewati tenggat")).wait_for()
    # Each chart's figures are also a table, one tap away.
    page.get_by_text("Angkanya dalam tabel").first.click()
    assert page.locator("details[open] table").count() == 1


def test_officer_triages_a_tip(live_server, screen, office):
    from reporting.tips.models import Tip
    from tests.factories import TipFactory

    session = office["session"]
    original = TipFactory(
        area=office["area"],
        session=session,
        description="Calo di pangkalan ojek menawarkan kerja ke Malaysia.",
    )
    tip = TipFactory(
        area=office["area"],
        session=session,
        description="Ada calo yang menjanjikan gaji tinggi di luar negeri tanpa dokumen resmi, berangkat minggu depan.",
    )
    page = screen
    log_in(page, live_server, "petugas")
    page.goto(live_server.url + "/admin/laporan/")
    look(page, "09-tips-list")
    page.get_by_role("link", name=tip.short_id).click()
    page.wait_for_url(f"**/admin/laporan/{tip.pk}/")
    look(page, "10-tip-page")

    # One form: status, officer, notes, forwarding and the duplicate's original. Searching for the
    # original (Enter in its search box) keeps everything typed and saves nothing.
    page.select_option("#id_triage-status", "verifying")
    page.select_option("#id_triage-assigned_to", str(office["officer"].pk))
    page.fill("#id_triage-note", "Cek ke RT 03 besok pagi.")
    page.fill("#id_triage-public_note", "Laporan Anda sedang kami periksa. Terima kasih.")
    page.fill("#id_triage-original_q", "pangkalan ojek")
    page.press("#id_triage-original_q", "Enter")
    page.wait_for_url(f"**/admin/laporan/{tip.pk}/triage/#duplicate")
    assert page.get_by_text("Belum tersimpan.").is_visible()
    assert page.input_value("#id_triage-status") == "verifying"
    assert page.input_value("#id_triage-assigned_to") == str(office["officer"].pk)
    assert page.input_value("#id_triage-note") == "Cek ke RT 03 besok pagi."
    assert page.input_value("#id_triage-public_note") == "Laporan Anda sedang kami periksa. Terima kasih."
    tip.refresh_from_db()
    assert (tip.status, tip.assigned_to_id, tip.history.count()) == ("received", None, 0)
    look(page, "11-tip-duplicate-search")

    # Saved as typed (the original not chosen yet): a history row for each change.
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url(f"**/admin/laporan/{tip.pk}/")
    assert page.get_by_text("Tersimpan.").is_visible()
    tip.refresh_from_db()
    assert (tip.status, tip.assigned_to_id) == ("verifying", office["officer"].pk)
    assert list(tip.history.values_list("kind", flat=True)) == ["status", "assignment", "public_note"]
    assert page.input_value("#id_triage-status") == "verifying"  # the current status, selected

    # The duplicate's original is found by a search and chosen, not pasted, with a note in one save.
    page.fill("#id_triage-note", "Sama dengan laporan di pangkalan ojek.")
    page.fill("#id_triage-original_q", "pangkalan ojek")
    page.get_by_role("button", name="Cari", exact=True).click()
    page.wait_for_url(f"**/admin/laporan/{tip.pk}/triage/#duplicate")
    assert page.input_value("#id_triage-note") == "Sama dengan laporan di pangkalan ojek."
    page.get_by_label(original.short_id, exact=False).check()
    look(page, "12-tip-duplicate-chosen")
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url(f"**/admin/laporan/{tip.pk}/")
    look(page, "13-tip-closed-as-duplicate")
    tip.refresh_from_db()
    # (the note is encrypted at rest: compared once read back, not in the query)
    assert [entry.note for entry in tip.history.filter(kind="duplicate")] == [
        "Sama dengan laporan di pangkalan ojek."
    ]
    assert tip.duplicate_of == original and tip.status == Tip.Status.CLOSED

    # Typed triage, then a link away from the page (the tip's history): the browser asks first; staying
    # keeps what was typed.
    page.wait_for_timeout(2500)  # Wagtail's guard takes the form's first state 2 s after the page loads
    page.fill("#id_triage-note", "Catatan yang belum disimpan.")
    page.wait_for_selector("#triage-form[data-w-unsaved-has-edits-value=true]", state="attached")
    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.once("dialog", stay)
    page.locator("a[href^='/admin/laporan/history/']:visible").first.click(no_wait_after=True)
    page.wait_for_timeout(500)  # the dialog is answered from its event
    assert asked == ["beforeunload"]
    assert page.url.endswith(f"/admin/laporan/{tip.pk}/")
    assert page.input_value("#id_triage-note") == "Catatan yang belum disimpan."
