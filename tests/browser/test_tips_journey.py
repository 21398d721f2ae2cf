"""A resident checks in at a session, reports a tip with a photo from the thank-you page and gets a
code; the session's officer finds the tip in the admin and changes its status; the resident reads the
new status with the code."""

import io

import pytest
from PIL import Image

from tests.browser.conftest import pass_second_factor
from tests.factories import DEFAULT_PASSWORD, UserFactory


def phone_photo_with_gps(path):
    exif = Image.Exif()
    exif[0x0110] = "PhoneModel X"
    exif[0x8825] = {1: "S", 2: (6.0, 7.0, 30.0), 3: "E", 4: (106.0, 52.0, 10.0)}
    Image.new("RGB", (640, 480), (90, 140, 60)).save(path, format="JPEG", exif=exif)
    return path


@pytest.mark.django_db(transaction=True)
def test_check_in_report_a_tip_triage_it_and_follow_it_by_code(
    live_server, phone, desktop, tmp_path, settings
):
    from cms.services.page_tree import ensure_home_page
    from events.services import tokens
    from pimpasa.roles import OFFICER, ensure_roles
    from reporting.tips.models import Evidence, Tip
    from tests.factories import AreaFactory, SessionFactory

    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    ensure_roles()
    ensure_home_page()
    officer = UserFactory(username="petugas-kalibaru", role=OFFICER)
    session = SessionFactory(title="Ngopi Pimpasa RW 17 Kalibaru", area=AreaFactory(name="Kalibaru"))
    session.officers.add(officer)

    # The attendee scans the poster QR with their own phone and checks in.
    phone.goto(f"{live_server.url}/sesi/{session.pk}/hadir/?t={tokens.poster_token(session)}")
    phone.fill("#id_name", "Siti Aminah")
    phone.fill("#id_phone", "0812 3456 7890")
    phone.locator("input[name=gender][value=f]").check()
    phone.select_option("#id_age_group", "26-35")
    phone.fill("#id_rw", "17")
    phone.locator("#id_consent").check()
    phone.locator("form button[type=submit]").click()
    phone.get_by_role("heading", name="Terima kasih, kehadiran Anda sudah tercatat").wait_for()

    # From the thank-you page to the tip form, with the session already named.
    phone.locator(f'a[href="/lapor/?session={session.pk}"]').click()
    phone.wait_for_url(f"**/lapor/?session={session.pk}")
    assert "Ngopi Pimpasa RW 17 Kalibaru" in phone.locator("main").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.locator("input[name=category][value=tppo]").check()
    phone.fill("#id_description", "Ada calo menawarkan kerja ke Malaysia lewat Batam dengan visa kunjungan.")
    phone.fill("#id_people_involved", "Dipanggil “Bang Jek”, motor matic hitam.")
    phone.set_input_files("#id_evidence", str(phone_photo_with_gps(tmp_path / "IMG_2041.jpg")))
    phone.get_by_role("button", name="Kirim laporan").click()

    # The receipt shows the code once.
    phone.get_by_role("heading", name="Terima kasih, laporan Anda sudah kami terima").wait_for()
    code = phone.locator(".tip-code code").inner_text().strip()
    assert len(code) == 19
    tip = Tip.objects.get()
    assert tip.session == session
    with Evidence.objects.get(tip=tip).file.open("rb") as handle:
        assert not Image.open(io.BytesIO(handle.read())).getexif()  # the GPS position is gone

    # The session's officer finds it in the admin, linked to the session, and starts verifying.
    desktop.goto(live_server.url + "/admin/login/")
    desktop.fill("#id_username", "petugas-kalibaru")
    desktop.fill("#id_password", DEFAULT_PASSWORD)
    desktop.locator("button[type=submit]").click()
    pass_second_factor(desktop, "petugas-kalibaru")
    desktop.wait_for_url(live_server.url + "/admin/")
    desktop.goto(live_server.url + "/admin/laporan/")
    row = desktop.locator("tr", has_text=tip.short_id)
    assert "Ngopi Pimpasa RW 17 Kalibaru" in row.inner_text()
    row.get_by_role("link", name=tip.short_id).click()
    desktop.wait_for_url(f"**/admin/laporan/{tip.pk}/")
    assert "Ngopi Pimpasa RW 17 Kalibaru" in desktop.locator("main").inner_text()
    assert desktop.locator('img[src^="/admin/laporan/evidence/"]').count() == 1
    desktop.select_option("#id_triage-status", "verifying")
    desktop.fill("#id_triage-public_note", "Laporan Anda sedang kami periksa. Terima kasih.")
    desktop.get_by_role("button", name="Simpan", exact=True).click()
    desktop.wait_for_url(f"**/admin/laporan/{tip.pk}/")
    assert "Sedang diverifikasi" in desktop.locator("main").inner_text()

    # The resident follows the tip with the code alone.
    phone.goto(live_server.url + "/lapor/status/")
    phone.fill("#id_code", code.lower())
    phone.get_by_role("button", name="Tampilkan status").click()
    status = phone.locator("main").inner_text()
    assert "Sedang diverifikasi" in status
    assert "Laporan Anda sedang kami periksa. Terima kasih." in status
