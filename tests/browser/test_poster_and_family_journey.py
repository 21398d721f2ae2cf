"""A printed poster still checks in after the officer moves the session; two people of one family check
in on one phone number; the officer invalidates the printed codes and the old poster says so."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
import zxingcpp
from django.utils import timezone
from PIL import Image

from events.models import Attendance, Session
from tests.browser.conftest import pass_second_factor
from tests.factories import DEFAULT_PASSWORD, AreaFactory, SessionFactory, UserFactory

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def log_in(page, url, username):
    page.goto(url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.locator("button[type=submit]").click()
    pass_second_factor(page, username)
    page.wait_for_url(url + "/admin/")


def check_in(phone, url, name, gender="f", age_group="26-35"):
    phone.goto(url)
    phone.fill("#id_name", name)
    phone.fill("#id_phone", "0812 3456 7890")
    phone.check("#id_gender_0" if gender == "f" else "#id_gender_1")
    phone.select_option("#id_age_group", age_group)
    phone.fill("#id_rw", "17")
    phone.check("#id_consent")
    phone.get_by_role("button", name="Presensi").click()


@pytest.mark.django_db(transaction=True)
def test_a_poster_survives_a_move_and_a_family_on_one_phone_checks_in(live_server, desktop, phone, settings):
    from cms.services.page_tree import ensure_home_page
    from pimpasa.roles import OFFICER, ensure_roles

    ensure_roles()
    ensure_home_page()
    SHOTS.mkdir(parents=True, exist_ok=True)
    settings.PIMPASA_PUBLIC_URL = live_server.url
    officer = UserFactory(username="petugas-poster", role=OFFICER)
    area = AreaFactory(name="Kapuk", officers=[officer])
    starts = timezone.now() - timedelta(minutes=10)
    session = SessionFactory(
        area=area, title="Ngopi Pimpasa RW 05", starts_at=starts, ends_at=starts + timedelta(hours=2)
    )

    # The poster is printed (its QR read from the page), days before the session.
    log_in(desktop, live_server.url, "petugas-poster")
    desktop.goto(f"{live_server.url}/admin/events/sessions/{session.pk}/poster/")
    shot = desktop.locator("#poster-qr").screenshot()
    codes = zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)), formats=zxingcpp.BarcodeFormat.QRCode)
    printed = codes[0].text

    # The officer moves the session by ten minutes in the admin's edit form.
    desktop.goto(f"{live_server.url}/admin/events/sessions/edit/{session.pk}/")
    moved = timezone.localtime(starts) + timedelta(minutes=10)
    desktop.fill("#id_starts_at", moved.strftime("%Y-%m-%d %H:%M"))
    desktop.fill("#id_ends_at", (moved + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"))
    desktop.locator("main form button[type=submit]").first.click()
    desktop.wait_for_load_state()
    session.refresh_from_db()
    assert session.starts_at.replace(second=0, microsecond=0) == moved.replace(second=0, microsecond=0)

    # The mother scans the old poster: it still checks in, by the new times.
    check_in(phone, printed, "Siti Aminah")
    phone.get_by_text("Terima kasih, kehadiran Anda sudah tercatat").wait_for()
    # Her son, on the same phone and number, scans it too and is recorded as well.
    check_in(phone, printed, "Ahmad Fauzi", gender="m", age_group="18-25")
    phone.get_by_text("Terima kasih, kehadiran Anda sudah tercatat").wait_for()
    # The mother again, typing her name a little differently, is told she is already recorded.
    check_in(phone, printed, "siti aminah")
    phone.get_by_text("Orang ini sudah tercatat hadir").wait_for()
    phone.screenshot(path=str(SHOTS / "checkin-family-already-360.png"), full_page=True)
    names = sorted(
        Attendance.objects.filter(session=session, phone="+6281234567890").values_list("name", flat=True)
    )
    assert names == ["Ahmad Fauzi", "Siti Aminah"]

    # The officer invalidates the printed codes: the confirmation says what it does.
    desktop.goto(f"{live_server.url}/admin/events/sessions/{session.pk}/run/")
    desktop.get_by_role("link", name="Nonaktifkan kode QR cetak").click()
    desktop.get_by_text("Semua poster yang sudah dicetak").wait_for()
    desktop.get_by_role("button", name="Ya, nonaktifkan kode QR cetak").click()
    desktop.get_by_text("Kode QR cetak sudah dinonaktifkan").wait_for()
    assert Session.objects.get(pk=session.pk).pass_generation == 2

    # The old poster now tells whoever scans it that the officer withdrew it.
    phone.goto(printed)
    phone.get_by_text("Kode QR cetak ini sudah ditarik oleh petugas sesi").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(SHOTS / "checkin-poster-withdrawn-360.png"), full_page=True)
