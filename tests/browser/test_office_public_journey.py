"""Issue 25 point 4 in a browser, at 360 px and 1366 px: a resident at a session of office B sees office
B's hotline, files a tip choosing a village of office B, and the receipt names office B; a visitor of
a page without an office picks theirs in the footer's chooser (no JavaScript needed)."""

from pathlib import Path

import pytest

from tests.browser.conftest import PHONE

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
SIZES = {
    "360": PHONE,
    "1366": {"viewport": {"width": 1366, "height": 900}},
}


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture(params=list(SIZES))
def screen(request, browser):
    context = browser.new_context(**SIZES[request.param], locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.size = request.param
    yield page
    context.close()


def fits(page):
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.django_db(transaction=True)
def test_a_resident_at_office_bs_session_reports_to_office_b(live_server, screen, two_offices, settings):
    from events.services import tokens
    from reporting.tips.models import Tip

    settings.PIMPASA_PUBLIC_URL = live_server.url
    b, session = two_offices.b, two_offices.session_b

    # The poster's QR: the check-in page's footer gives office B's hotline and WhatsApp.
    screen.goto(f"{live_server.url}/sesi/{session.pk}/hadir/?t={tokens.poster_token(session)}")
    footer = screen.locator("footer")
    assert footer.locator("#footer-office").inner_text() == b.name
    assert footer.locator("a.office-contact__hotline").get_attribute("href") == "tel:+622745552222"
    assert footer.locator("a[href='https://wa.me/6281322220000']").is_visible()
    fits(screen)
    shot(screen, f"office-b-checkin-{screen.size}")

    screen.fill("#id_name", "Siti Aminah")
    screen.fill("#id_phone", "0812 3456 7890")
    screen.locator("input[name=gender][value=f]").check()
    screen.select_option("#id_age_group", "26-35")
    screen.fill("#id_rw", "17")
    screen.locator("#id_consent").check()
    screen.locator("form button[type=submit]").click()
    screen.get_by_role("heading", name="Terima kasih, kehadiran Anda sudah tercatat").wait_for()
    assert screen.locator("footer a.office-contact__hotline").inner_text() == b.hotline

    # The tip form from the thank-you page: the session's office in its footer; she picks the
    # village in office B's group of the list.
    screen.locator(f'a[href="/lapor/?session={session.pk}"]').click()
    screen.wait_for_url(f"**/lapor/?session={session.pk}")
    assert screen.locator("footer #footer-office").inner_text() == b.name
    assert screen.locator(f"#id_area optgroup[label='{b.name}'] option").all_inner_texts() == [
        "Desa Sukamaju, Sewon"
    ]
    screen.select_option("#id_area", label="Desa Sukamaju, Sewon")
    screen.locator("input[name=category][value=tppo]").check()
    screen.fill("#id_description", "Ada calo menawarkan kerja ke Malaysia lewat Batam dengan visa kunjungan.")
    fits(screen)
    shot(screen, f"office-b-tip-form-{screen.size}")
    screen.get_by_role("button", name="Kirim laporan").click()

    # The receipt: the code, and office B handling it, with its hotline; no officer named.
    screen.get_by_role("heading", name="Terima kasih, laporan Anda sudah kami terima").wait_for()
    handling = screen.locator("main .tip-office")
    assert handling.locator(".tip-office__name").inner_text() == b.name
    assert handling.locator("a.tip-office__hotline").get_attribute("href") == "tel:+622745552222"
    assert "Ditangani oleh" in handling.inner_text()
    fits(screen)
    shot(screen, f"office-b-receipt-{screen.size}")
    tip = Tip.objects.get()
    assert tip.office == b and tip.area == two_offices.area_b and tip.session == session


@pytest.mark.django_db(transaction=True)
def test_a_visitor_chooses_their_office_in_the_footer(live_server, screen, two_offices, settings):
    settings.PIMPASA_PUBLIC_URL = live_server.url
    b = two_offices.b
    screen.goto(f"{live_server.url}/")
    chooser = screen.locator("footer form.office-chooser")
    assert screen.locator("footer #footer-office").inner_text().startswith("Direktorat")
    fits(screen)
    shot(screen, f"office-chooser-{screen.size}")
    chooser.locator("select").select_option(label=b.name)
    chooser.get_by_role("button", name="Tampilkan kontaknya").click()
    screen.wait_for_url(f"**/?kantor={b.pk}")
    assert screen.locator("footer #footer-office").inner_text() == b.name
    assert screen.locator("footer a.office-contact__hotline").get_attribute("href") == "tel:+622745552222"
    fits(screen)
    shot(screen, f"office-chooser-chosen-{screen.size}")


@pytest.mark.django_db(transaction=True)
def test_the_chooser_works_without_javascript(live_server, browser, two_offices, settings):
    settings.PIMPASA_PUBLIC_URL = live_server.url
    context = browser.new_context(**PHONE, locale="id-ID", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/lapor/status/")
    chooser = page.locator("footer form.office-chooser")
    chooser.locator("select").select_option(label=two_offices.a.name)
    chooser.get_by_role("button", name="Tampilkan kontaknya").click()
    page.wait_for_url(f"**/lapor/status/?kantor={two_offices.a.pk}")
    assert page.locator("footer #footer-office").inner_text() == two_offices.a.name
    shot(page, "office-chooser-no-js-360")
    context.close()
