"""The resident's side on a cheap phone (360 px): two neighbours check in from one phone, a whole village
checks in from one address, and the tip form is one tap from the home page."""

import re
from pathlib import Path

import pytest

from events.models import Attendance

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def fill_checkin(page, name, phone):
    page.fill("#id_name", name)
    page.fill("#id_phone", phone)
    page.locator("input[name=gender][value=f]").check()
    page.select_option("#id_age_group", "26-35")
    page.fill("#id_rw", "17")
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Presensi").click()


@pytest.fixture
def open_session(transactional_db, settings, live_server):
    from tests.factories import SessionFactory

    settings.PIMPASA_PUBLIC_URL = live_server.url
    return SessionFactory(title="Ngopi Pimpasa RW 17 Kalibaru")


def test_two_neighbours_check_in_from_one_phone(live_server, phone, open_session):
    from events.services import tokens

    phone.goto(f"{live_server.url}/sesi/{open_session.pk}/hadir/?t={tokens.poster_token(open_session)}")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    fill_checkin(phone, "Siti Aminah", "0812 3456 7890")
    phone.get_by_text("Terima kasih, kehadiran Anda sudah tercatat").wait_for()

    # Back to the same opened form; the neighbour types her own details into it.
    phone.go_back()
    phone.locator("#id_name").wait_for()
    fill_checkin(phone, "Rina Wati", "+60 12-345 6789")
    phone.get_by_text("Terima kasih, kehadiran Anda sudah tercatat").wait_for()
    shot(phone, "checkin-second-neighbour-360")

    rows = Attendance.objects.filter(session=open_session).order_by("checked_in_at")
    assert [(row.name, row.phone) for row in rows] == [
        ("Siti Aminah", "+6281234567890"),
        ("Rina Wati", "+60123456789"),
    ]


def test_300_phones_behind_one_address_check_in(live_server, browser, open_session):
    """300 residents on one village hotspot: every request comes from 127.0.0.1, each phone opens
    the form and sends it; none is refused."""
    import re

    from events.services import tokens

    context = browser.new_context(viewport={"width": 360, "height": 740})
    form_url = f"{live_server.url}/sesi/{open_session.pk}/hadir/?t={tokens.poster_token(open_session)}"
    statuses = []
    for number in range(300):
        opened = context.request.get(form_url)
        html = opened.text()
        form_pass = re.search(r'name="pass" value="([^"]+)"', html).group(1)
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        sent = context.request.post(
            f"{live_server.url}/sesi/{open_session.pk}/hadir/",
            form={
                "csrfmiddlewaretoken": csrf,
                "pass": form_pass,
                "name": f"Warga {number}",
                "phone": f"0812 7000 {number:04d}",
                "gender": "f",
                "age_group": "26-35",
                "rw": "17",
                "consent": "on",
            },
        )
        statuses.append(sent.status)
    context.close()
    assert statuses.count(200) == 300, {status: statuses.count(status) for status in set(statuses)}
    assert Attendance.objects.filter(session=open_session).count() == 300


@pytest.mark.parametrize("viewport", [{"width": 360, "height": 740}, {"width": 1366, "height": 900}])
def test_from_home_to_the_tip_form_in_one_tap_and_the_code_survives_a_reload(
    live_server, browser, transactional_db, viewport
):
    from cms.services.page_tree import ensure_home_page
    from reporting.tips.models import Tip

    ensure_home_page()
    context = browser.new_context(viewport=viewport, locale="id-ID", is_mobile=viewport["width"] < 400)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    shot(page, f"home-{viewport['width']}")

    # One tap: the menu's "Kirim laporan".
    page.locator("nav.main-nav").get_by_role("link", name="Kirim laporan").click()
    page.wait_for_url(live_server.url + "/lapor/")
    page.locator("input[name=category][value=tppo]").check()
    page.fill("#id_description", "Ada calo menawarkan kerja ke Malaysia dengan visa kunjungan.")
    page.get_by_role("button", name="Kirim laporan").click()
    code = page.locator(".tip-code code").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    assert page.url == live_server.url + "/lapor/"  # the answer to the form itself: no code in a URL
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    # With JavaScript, copy and save appear; copy puts the code on the clipboard.
    page.get_by_role("button", name="Salin kode").click()
    page.get_by_text("Tersalin.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == code
    assert page.get_by_role("button", name="Simpan sebagai gambar").is_visible()
    shot(page, f"receipt-{viewport['width']}")
    assert Tip.objects.count() == 1
    context.close()
