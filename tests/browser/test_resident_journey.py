"""The resident's side on a cheap phone (360 px): two neighbours check in from one phone, a whole village
checks in from one address, and the tip form is one tap from the home page."""

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
    from tests.events.factories import SessionFactory

    settings.PIMPASA_PUBLIC_URL = live_server.url
    return SessionFactory(title="Ngopi Pimpasa RW 17 Kalibaru")


def test_two_neighbours_check_in_from_one_phone(live_server, phone, open_session):
    from events import services

    phone.goto(f"{live_server.url}/sesi/{open_session.pk}/hadir/?t={services.poster_token(open_session)}")
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

    from events import services

    context = browser.new_context(viewport={"width": 360, "height": 740})
    form_url = f"{live_server.url}/sesi/{open_session.pk}/hadir/?t={services.poster_token(open_session)}"
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
