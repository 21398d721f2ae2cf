"""Ticket scanning on a browser without BarcodeDetector (as iOS Safari and Firefox): the officer's
camera sees the guest's ticket QR and the vendored jsQR decoder reads it; the guest is checked in."""

import pytest

from tests.browser.conftest import launch_with_camera_showing, pass_second_factor
from tests.factories import DEFAULT_PASSWORD, UserFactory


@pytest.mark.django_db(transaction=True)
def test_a_ticket_is_scanned_without_barcode_detector(live_server, browser, tmp_path):
    from cms.services.page_tree import ensure_home_page
    from events.models import Attendance
    from events.services import tokens
    from pimpasa.roles import OFFICER, ensure_roles
    from tests.factories import AreaFactory, GuestFactory, SessionFactory

    ensure_roles()
    ensure_home_page()
    officer = UserFactory(username="petugas-timpora", role=OFFICER)
    session = SessionFactory(area=AreaFactory(officers=[officer]))
    guest = GuestFactory(session=session, name="Kapolsek Uji")

    # A second Chromium from the suite's Playwright, with a fake camera playing the ticket.
    camera_browser = launch_with_camera_showing(browser, tokens.ticket_token(guest), tmp_path)
    try:
        context = camera_browser.new_context(viewport={"width": 360, "height": 740})
        context.grant_permissions(["camera"], origin=live_server.url)
        # As on iOS Safari and Firefox: no built-in decoder.
        context.add_init_script("delete window.BarcodeDetector; delete Window.prototype.BarcodeDetector;")
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", "petugas-timpora")
        page.fill("#id_password", DEFAULT_PASSWORD)
        page.locator("button[type=submit]").click()
        pass_second_factor(page, "petugas-timpora")
        page.wait_for_url(live_server.url + "/admin/")
        decoder_loaded = []
        page.on(
            "request",
            lambda request: decoder_loaded.append(request.url) if "jsQR.js" in request.url else None,
        )
        assert page.evaluate("'BarcodeDetector' in window") is False
        # The camera's frames are decoded and the form sends itself with the ticket it read.
        with page.expect_request(lambda request: request.method == "POST" and "/scan/" in request.url):
            page.goto(f"{live_server.url}/admin/events/sessions/{session.pk}/scan/")
        page.wait_for_load_state()
        assert decoder_loaded, "the fallback decoder was not loaded"
    finally:
        camera_browser.close()
    assert Attendance.objects.filter(session=session, guest=guest).count() == 1
