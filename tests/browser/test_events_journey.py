"""An officer plans a session in the admin, prints its poster; a resident scans it and checks in on a
phone; the projector's count rises."""

import io
from datetime import timedelta

import pytest
import zxingcpp
from django.utils import timezone
from PIL import Image

from events.models import Attendance, Session
from tests.browser.conftest import pass_second_factor
from tests.factories import DEFAULT_PASSWORD, AreaFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_officer_creates_session_resident_checks_in_projector_counts(live_server, desktop, phone, settings):
    from cms.services.page_tree import ensure_home_page
    from pimpasa.roles import OFFICER, ensure_roles

    ensure_roles()
    ensure_home_page()
    settings.PIMPASA_PUBLIC_URL = live_server.url
    officer = UserFactory(username="petugas-cengkareng", role=OFFICER)
    area = AreaFactory(name="Cengkareng Timur", officers=[officer])

    # The officer logs in and creates a session that started ten minutes ago.
    desktop.goto(live_server.url + "/admin/login/")
    desktop.fill("#id_username", "petugas-cengkareng")
    desktop.fill("#id_password", DEFAULT_PASSWORD)
    desktop.locator("button[type=submit]").click()
    pass_second_factor(desktop, "petugas-cengkareng")
    desktop.wait_for_url(live_server.url + "/admin/")
    desktop.goto(live_server.url + "/admin/events/sessions/new/")
    starts = timezone.localtime() - timedelta(minutes=10)
    desktop.fill("#id_title", "Ngopi Pimpasa RW 17")
    desktop.select_option("#id_area", str(area.pk))
    desktop.fill("#id_venue", "Balai Warga RW 17")
    desktop.fill("#id_starts_at", starts.strftime("%Y-%m-%d %H:%M"))
    desktop.fill("#id_ends_at", (starts + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"))
    desktop.select_option("#id_status", "scheduled")
    desktop.locator("main form button[type=submit]").first.click()
    # The new session opens on its Run page: the day's tools at hand.
    desktop.wait_for_url(f"{live_server.url}/admin/events/sessions/*/run/")
    session = Session.objects.get(title="Ngopi Pimpasa RW 17")
    assert session.created_by == officer
    assert desktop.url == f"{live_server.url}/admin/events/sessions/{session.pk}/run/"

    # Its run page links to the poster; the poster's QR decodes (zxing-cpp) to the check-in URL.
    with desktop.expect_popup() as popup:
        desktop.get_by_role("link", name="Poster A4").click()
    poster = popup.value
    poster.wait_for_load_state()
    shot = poster.locator("#poster-qr").screenshot()
    codes = zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)), formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(codes) == 1
    checkin_url = codes[0].text
    assert checkin_url.startswith(f"{live_server.url}/sesi/{session.pk}/hadir/?t=")

    # The projector shows the count.
    desktop.goto(f"{live_server.url}/admin/events/sessions/{session.pk}/projector/")
    count = desktop.locator("#attendance-count")
    assert count.inner_text() == "0"

    # A resident opens the link on a phone and checks in.
    phone.goto(checkin_url)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.fill("#id_name", "Siti Aminah")
    phone.fill("#id_phone", "0812 3456 7890")
    phone.check("#id_gender_0")
    phone.select_option("#id_age_group", "26-35")
    phone.fill("#id_rw", "17")
    phone.check("#id_consent")
    phone.get_by_role("button", name="Presensi").click()
    phone.get_by_text("Terima kasih, kehadiran Anda sudah tercatat").wait_for()
    assert Attendance.objects.filter(session=session, phone="+6281234567890").count() == 1

    # The projector's counter rises on its own.
    desktop.wait_for_function(
        "document.getElementById('attendance-count').textContent === '1'", timeout=15_000
    )
