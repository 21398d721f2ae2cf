"""In Chromium at 360 px, under the site's real Content-Security-Policy: the tip form's browser check
(the vendored ALTCHA widget, its worker served by this site) solves its challenge when the resident
presses Send, and the tip arrives with the solved payload; with JavaScript off the same form still
sends the tip (under the smaller budgets of tips without the check)."""

from pathlib import Path

import pytest

from tests.browser.conftest import PHONE, pass_second_factor

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
SHOTS.mkdir(parents=True, exist_ok=True)

WATCH = (
    "window.__csp = [];"
    "document.addEventListener('securitypolicyviolation', function (e) {"
    "  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));"
    "});"
)


@pytest.fixture
def installed_site_url(transactional_db, live_server):
    """The live server's address, with what `manage.py setup` makes (roles and the home page)."""
    from cms.services.page_tree import ensure_home_page
    from pimpasa.roles import ensure_roles

    ensure_roles()
    ensure_home_page()
    return live_server.url


def fill_the_form(page):
    page.locator("input[name=category][value=pmi]").check()
    page.fill("#id_description", "Tetangga berangkat ke Taiwan lewat calo, pakai visa kunjungan.")
    page.fill("#id_address", "Gang Mawar 3")


def test_the_form_solves_its_check_and_sends_at_360px_under_the_real_policy(installed_site_url, browser):
    from reporting.tips.models import Tip

    context = browser.new_context(**PHONE, locale="id-ID", bypass_csp=False)
    context.set_default_timeout(20_000)
    context.add_init_script(WATCH)
    page = context.new_page()
    elsewhere, posted = [], []
    page.on(
        "request",
        lambda request: None if request.url.startswith(installed_site_url) else elsewhere.append(request.url),
    )
    page.on(
        "request",
        lambda request: (
            posted.append(request.post_data_buffer or b"")
            if request.method == "POST" and request.url.startswith(installed_site_url + "/lapor/")
            else None
        ),
    )
    page.goto(installed_site_url + "/lapor/")
    page.locator("altcha-widget .altcha").wait_for()  # the widget drew itself: its script ran
    fill_the_form(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(SHOTS / "tip-challenge-360.png"), full_page=True)
    page.get_by_role("button", name="Kirim laporan").click()
    page.get_by_role("heading", name="Terima kasih, laporan Anda sudah kami terima").wait_for()

    assert Tip.objects.get().address == "Gang Mawar 3"
    # The tip went with a solved payload (base64 of a JSON object), not as an unchecked form.
    assert posted and b'name="altcha"\r\n\r\neyJ' in posted[-1]
    assert page.evaluate("window.__csp") == []
    assert elsewhere == []  # nothing fetched from a third party
    context.close()


def test_with_javascript_off_the_form_still_sends(installed_site_url, browser):
    from reporting.tips.models import Tip

    context = browser.new_context(**PHONE, locale="id-ID", java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(installed_site_url + "/lapor/")
    fill_the_form(page)
    page.get_by_role("button", name="Kirim laporan").click()
    page.get_by_role("heading", name="Terima kasih, laporan Anda sudah kami terima").wait_for()
    assert Tip.objects.get().address == "Gang Mawar 3"
    context.close()


def test_an_officer_sweeps_a_flood_from_the_tips_list_on_a_phone(installed_site_url, phone):
    from pimpasa.roles import OFFICER
    from reporting.tips.models import Tip
    from tests.factories import DEFAULT_PASSWORD, AreaFactory, TipFactory, UserFactory

    officer = UserFactory(username="petugas-banjir", role=OFFICER)
    area = AreaFactory(name="Kalibaru")
    area.officers.add(officer)
    for n in range(6):
        TipFactory(area=area, description=f"PROMO kerja Malaysia gaji {n} JT hubungi 0812{n}")
    real = TipFactory(area=area, description="Tetangga saya berangkat ke Taiwan lewat calo.")

    phone.goto(installed_site_url + "/admin/login/")
    phone.fill("#id_username", "petugas-banjir")
    phone.fill("#id_password", DEFAULT_PASSWORD)
    phone.locator("button[type=submit]").click()
    pass_second_factor(phone, "petugas-banjir")
    phone.wait_for_url(installed_site_url + "/admin/")
    phone.goto(installed_site_url + "/admin/laporan/")
    phone.get_by_role("link", name="Bersihkan banjir laporan").click()
    phone.get_by_role("button", name="Cari banjir laporan").click()
    phone.get_by_role("link", name="Tinjau").first.click()
    phone.get_by_text("6 laporan akan ditandai tidak dapat ditindaklanjuti").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(SHOTS / "tip-flood-sweep-360.png"), full_page=True)
    # Without the confirmation nothing happens; with it, the six go in one action.
    phone.get_by_role("button", name="Tandai 6 laporan tidak dapat ditindaklanjuti").click()
    phone.get_by_text("Pastikan bahwa Anda sudah memeriksa contohnya.").wait_for()
    assert not Tip.objects.filter(status=Tip.Status.NOT_ACTIONABLE).exists()
    phone.locator("#id_confirm").check()
    phone.get_by_role("button", name="Tandai 6 laporan tidak dapat ditindaklanjuti").click()
    phone.wait_for_url(installed_site_url + "/admin/laporan/")
    phone.get_by_text("6 laporan ditandai tidak dapat ditindaklanjuti.").wait_for()
    assert Tip.objects.filter(status=Tip.Status.NOT_ACTIONABLE).count() == 6
    assert Tip.objects.get(pk=real.pk).status == Tip.Status.RECEIVED
