"""One phone, two people (issue 21, point 1): resident A reports a tip, follows it, or checks in; then
resident B takes the same phone and presses Back, Forward, reloads, opens a new tab on the addresses A
saw. Nothing of A reaches B: not A's text, name, phone, address or tracking code, on any page B sees.

Each journey runs in ONE Chromium context at 360 px, as a real phone's browser: persistent (a profile
on disk, where Chromium keeps what it would offer by autofill) and with the back-forward cache that
Playwright turns off by default turned back on. Screenshots go to var/screenshots/shared-phone-*.png.
"""

import re
import sqlite3
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

A_NAME, A_PHONE, A_PHONE_DIGITS = "Siti Aminah Rahayu", "0857 2468 1357", "2468"
A_TEXT = "Calo bernama Pak Darmo menawarkan kerja ke Taiwan lewat Batam dengan visa kunjungan."
A_PEOPLE = "Pak Darmo, mobil Avanza perak"
A_ADDRESS = "Gang Kenanga 12"


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"shared-phone-{name}.png"), full_page=True)


@pytest.fixture
def one_phone(browser, tmp_path):
    """One browser context as on a real phone: a profile on disk, the back-forward cache on."""
    profile = tmp_path / "profile"
    context = browser.browser_type.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        ignore_default_args=["--disable-back-forward-cache"],
        headless=True,
        locale="id-ID",
        **PHONE,
    )
    context.set_default_timeout(15_000)
    context.profile = profile
    yield context
    context.close()


def kept_by_autofill(context):
    """Everything Chromium stored to offer on later forms (single fields, addresses, contacts), read
    from the profile's database once the browser has closed it."""
    context.close()
    database = context.profile / "Default" / "Web Data"
    # Without the database this would prove nothing: Chromium creates it with the profile.
    assert database.exists(), "Chromium kept no autofill database: nothing to read"
    connection = sqlite3.connect(database)
    kept = []
    tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    assert "autofill" in tables, tables
    for table in tables:
        if table == "meta" or table.startswith("keywords"):
            continue
        kept.extend(str(row) for row in connection.execute(f'SELECT * FROM "{table}"'))
    connection.close()
    return "\n".join(kept)


class Witness:
    """What B sees: every page B lands on is checked for A's details and for being the expected page."""

    def __init__(self, secrets):
        self.secrets = [secret for secret in secrets if secret]
        self.seen = []

    def check(self, page, response, *, status, heading):
        assert response is not None, f"no page for {page.url}"
        assert response.status == status, (page.url, response.status)
        assert page.get_by_role("heading", level=1).inner_text().strip() == heading
        self.assert_nothing_of_a(page)

    def assert_nothing_of_a(self, page):
        html = page.content()
        values = page.evaluate(
            "() => Array.from(document.querySelectorAll('input, textarea, select'))"
            ".map(f => f.type === 'checkbox' || f.type === 'radio' ? (f.checked ? f.name + ':checked' : '') : f.value)"
        )
        for secret in self.secrets:
            assert secret not in html, (page.url, secret)
            assert not any(secret in value for value in values), (page.url, secret)
        self.seen.append(page.url)


def leaving(page):
    """Mark the live page as A leaves it: a page B gets back from the back-forward cache still has it."""
    page.evaluate("window.aWasHere = true")


def fetched_again(page):
    """The page B got by Back was loaded anew, not restored live from Chromium's back-forward cache."""
    return page.evaluate("window.aWasHere === undefined")


def forward_then_reload(page):
    """B presses Forward onto the answer of A's POST, then reloads it: the browser sends A's form
    again (Chromium keeps no copy of a no-store answer, so Forward alone shows its own error page)."""
    try:
        page.go_forward(wait_until="commit")
    except Exception as error:  # net::ERR_CACHE_MISS: Chromium's "Confirm Form Resubmission" page
        assert "ERR_CACHE_MISS" in str(error)
    page.wait_for_timeout(500)
    return page.reload()


@pytest.mark.django_db(transaction=True)
def test_a_tip_on_a_shared_phone_leaves_nothing_for_the_next_person(live_server, one_phone, settings):
    from cms.services.page_tree import ensure_home_page
    from reporting.tips.models import Tip

    ensure_home_page()
    settings.PIMPASA_PUBLIC_URL = live_server.url
    page = one_phone.pages[0] if one_phone.pages else one_phone.new_page()

    # A reports, asking to be contacted.
    page.goto(live_server.url + "/lapor/")
    page.locator("input[name=category][value=tppo]").check()
    page.fill("#id_description", A_TEXT)
    page.fill("#id_address", A_ADDRESS)
    page.fill("#id_people_involved", A_PEOPLE)
    page.locator("#id_wants_contact").check()
    page.fill("#id_reporter_name", A_NAME)
    page.fill("#id_reporter_contact", A_PHONE)
    page.locator("#id_consent").check()
    shot(page, "tip-a-typing-360")
    leaving(page)
    page.get_by_role("button", name="Kirim laporan").click()
    page.get_by_role("heading", name="Terima kasih, laporan Anda sudah kami terima").wait_for()
    page.wait_for_load_state("load")  # the page is displayed (its stylesheets fetched)
    code = page.locator(".tip-code code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code) and code not in page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "tip-a-receipt-360")
    assert Tip.objects.count() == 1

    b = Witness([A_NAME, A_PHONE, A_PHONE_DIGITS, A_TEXT, A_PEOPLE, A_ADDRESS, code, code.replace("-", "")])

    # B presses Back: the form, empty, fetched again (not restored from the back-forward cache).
    b.check(page, page.go_back(), status=200, heading="Kirim laporan")
    assert fetched_again(page)
    assert not page.locator("#id_consent").is_checked() and not page.locator("#id_wants_contact").is_checked()
    shot(page, "tip-b-back-360")

    # B presses Forward and reloads: A's form is sent again, and answered without code or text.
    b.check(page, forward_then_reload(page), status=200, heading="Laporan Anda sudah terkirim")
    shot(page, "tip-b-forward-reload-360")
    assert Tip.objects.count() == 1

    # B opens a new tab on the receipt's addresses, the form and the status page.
    tab = one_phone.new_page()
    b.check(
        tab,
        tab.goto(live_server.url + "/lapor/tanda-terima/"),
        status=200,
        heading="Kode tidak lagi ditampilkan",
    )
    shot(tab, "tip-b-new-tab-receipt-360")
    b.check(tab, tab.goto(live_server.url + "/lapor/"), status=200, heading="Kirim laporan")
    b.check(tab, tab.goto(live_server.url + "/lapor/status/"), status=200, heading="Status laporan")
    assert len(b.seen) == 5
    # Nor will the phone offer A's name or number on the next form: Chromium kept nothing to offer.
    kept = kept_by_autofill(one_phone)
    assert A_NAME not in kept and A_PHONE_DIGITS not in kept and "Darmo" not in kept


@pytest.mark.django_db(transaction=True)
def test_a_status_look_up_on_a_shared_phone_is_forgotten_when_left(live_server, one_phone, site_setup):
    from reporting.tips.models import Tip
    from reporting.tips.services import tips as tip_service
    from tests.factories import UserFactory

    supervisor = UserFactory(role="Supervisor")
    _tip, code = tip_service.submit_tip(
        tip_service.Submission(category="tppo", description=A_TEXT, people_involved=A_PEOPLE)
    )
    public_note = "Kami sudah mendatangi kantor Pak Darmo."
    tip_service.add_note(Tip.objects.get(), supervisor, public_note, public=True)
    page = one_phone.pages[0] if one_phone.pages else one_phone.new_page()

    # A follows the tip by its code.
    page.goto(live_server.url + "/lapor/status/")
    page.fill("#id_code", code)
    leaving(page)
    page.get_by_role("button", name="Tampilkan status").click()
    page.get_by_text(public_note).wait_for()
    page.wait_for_load_state("load")
    assert code not in page.url
    shot(page, "status-a-360")

    b = Witness([code, code.replace("-", ""), public_note, A_TEXT])
    b.check(page, page.go_back(), status=200, heading="Status laporan")
    assert fetched_again(page)
    shot(page, "status-b-back-360")
    b.check(page, forward_then_reload(page), status=200, heading="Status laporan")
    assert "Ketik kode Anda lagi" in page.locator("main").inner_text()
    shot(page, "status-b-forward-reload-360")
    tab = one_phone.new_page()
    b.check(tab, tab.goto(live_server.url + "/lapor/status/"), status=200, heading="Status laporan")
    assert code not in kept_by_autofill(one_phone)


@pytest.mark.django_db(transaction=True)
def test_a_check_in_on_a_shared_phone_leaves_nothing_for_the_next_person(live_server, one_phone, settings):
    from events.models import Attendance
    from events.services import tokens
    from tests.factories import SessionFactory

    settings.PIMPASA_PUBLIC_URL = live_server.url
    session = SessionFactory(title="Ngopi Pimpasa RW 17 Kalibaru")
    page = one_phone.pages[0] if one_phone.pages else one_phone.new_page()

    # A scans the poster and checks in.
    poster = f"{live_server.url}/sesi/{session.pk}/hadir/?t={tokens.poster_token(session)}"
    page.goto(poster)
    page.fill("#id_name", A_NAME)
    page.fill("#id_phone", A_PHONE)
    page.locator("input[name=gender][value=f]").check()
    page.select_option("#id_age_group", "26-35")
    page.fill("#id_rw", "17")
    page.fill("#id_address", A_ADDRESS)
    page.locator("#id_consent").check()
    leaving(page)
    page.locator("form button[type=submit]").click()
    page.get_by_role("heading", name="Terima kasih, kehadiran Anda sudah tercatat").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "checkin-a-thanks-360")

    b = Witness([A_NAME, A_PHONE, A_PHONE_DIGITS, A_ADDRESS])
    # B presses Back: the form, empty.
    b.check(page, page.go_back(), status=200, heading="Presensi")
    assert fetched_again(page)
    assert page.input_value("#id_rw") == "" and not page.locator("#id_consent").is_checked()
    shot(page, "checkin-b-back-360")
    # Forward and reload: A's check-in sent again is answered with the page that names no one.
    b.check(
        page, forward_then_reload(page), status=200, heading="Terima kasih, kehadiran Anda sudah tercatat"
    )
    assert Attendance.objects.count() == 1
    # B uses "check in another person" and checks in on the empty form it opens.
    page.get_by_role("button", name="Presensi untuk orang lain").click()
    page.get_by_role("heading", name="Presensi").wait_for()
    b.assert_nothing_of_a(page)
    shot(page, "checkin-b-another-person-360")
    page.fill("#id_name", "Rina Wati")
    page.fill("#id_phone", "0813 1111 2222")
    page.locator("input[name=gender][value=f]").check()
    page.select_option("#id_age_group", "36-45")
    page.fill("#id_rw", "04")
    page.locator("#id_consent").check()
    page.locator("form button[type=submit]").click()
    page.get_by_role("heading", name="Terima kasih, kehadiran Anda sudah tercatat").wait_for()
    b.assert_nothing_of_a(page)
    assert sorted(Attendance.objects.values_list("name", flat=True)) == sorted([A_NAME, "Rina Wati"])

    # A new tab on the thank-you page's address (the form's, without a QR token): a refusal, nothing of A.
    tab = one_phone.new_page()
    b.check(
        tab,
        tab.goto(f"{live_server.url}/sesi/{session.pk}/hadir/"),
        status=403,
        heading="Presensi tidak dapat dilakukan",
    )
    shot(tab, "checkin-b-new-tab-360")
    b.check(tab, tab.goto(poster), status=200, heading="Presensi")
    kept = kept_by_autofill(one_phone)
    assert A_NAME not in kept and A_PHONE_DIGITS not in kept and "Rina" not in kept


def test_the_witness_would_see_a_restored_form():
    """The check above can fail: a page holding A's text in a field is caught."""
    witness = Witness([A_NAME])

    class FakePage:
        url = "about:blank"

        def content(self):
            return "<html></html>"

        def evaluate(self, _script):
            return [A_NAME]

    with pytest.raises(AssertionError):
        witness.assert_nothing_of_a(FakePage())
    assert witness.seen == []
