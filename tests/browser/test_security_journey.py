"""In Chromium, under the real headers: the site's pages and Wagtail 8's admin run without a single
Content-Security-Policy violation (and the admin would break without its /admin/ relaxation); an
officer locked out by wrong passwords reads why, a supervisor unlocks; a walk-in needs consent."""

from dataclasses import dataclass
from pathlib import Path

import pytest

from events.models import Attendance
from events.services import tokens
from tests.browser.conftest import PHONE, pass_second_factor
from tests.factories import (
    DEFAULT_PASSWORD,
    AreaFactory,
    AttendanceFactory,
    SessionFactory,
    TipFactory,
    UserFactory,
)

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
SHOTS.mkdir(parents=True, exist_ok=True)

# Every CSP violation the page meets is kept on window (init scripts run outside the page's policy).
WATCH = (
    "window.__csp = [];"
    "document.addEventListener('securitypolicyviolation', function (e) {"
    "  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber);"
    "});"
)


@pytest.fixture
def phone(browser):
    """A phone that enforces the site's policy (the shared fixtures bypass it for Playwright's sake)."""
    context = browser.new_context(**PHONE, locale="id-ID", bypass_csp=False)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID", bypass_csp=False)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def violations(page):
    return page.evaluate("window.__csp")


def sign_in(page, base, username, password=DEFAULT_PASSWORD):
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("button[type=submit]").click()
    if password == DEFAULT_PASSWORD:
        pass_second_factor(page, username)


@dataclass(frozen=True)
class OfficeWithSessionAndTip:
    """On the live server at `base`: an officer ("petugas") with a session in their area that has one
    attendance, a tip in that area, and a supervisor."""

    base: str
    home: object
    officer: object
    supervisor: object
    session: object
    tip: object


@pytest.fixture
def office_with_session_and_tip(transactional_db, settings, live_server):
    from cms.services.page_tree import ensure_home_page
    from pimpasa.roles import OFFICER, SUPERVISOR, ensure_roles

    ensure_roles()
    home = ensure_home_page()
    settings.PIMPASA_PUBLIC_URL = live_server.url
    officer = UserFactory(username="petugas", role=OFFICER)
    supervisor = UserFactory(username="supervisor", role=SUPERVISOR)
    area = AreaFactory(officers=[officer])
    session = SessionFactory(area=area, title="Ngopi Pimpasa RW 17")
    AttendanceFactory(session=session)
    return OfficeWithSessionAndTip(
        base=live_server.url,
        home=home,
        officer=officer,
        supervisor=supervisor,
        session=session,
        tip=TipFactory(area=area),
    )


def test_public_pages_run_under_the_strict_policy(office_with_session_and_tip, phone):
    phone.add_init_script(WATCH)
    base, session = office_with_session_and_tip.base, office_with_session_and_tip.session
    for path in ["/", "/sesi/", "/lapor/", "/lapor/status/", "/en/", "/tidak-ada/"]:
        phone.goto(base + path)
        phone.wait_for_load_state("networkidle")
        assert violations(phone) == [], path
    phone.goto(f"{base}/sesi/{session.pk}/hadir/?t={tokens.poster_token(session)}")
    assert phone.locator("#id_consent").count() == 1
    assert violations(phone) == []


def admin_pages(office_with_session_and_tip):
    session, tip = office_with_session_and_tip.session, office_with_session_and_tip.tip
    return [
        "/admin/",
        "/admin/events/sessions/",
        "/admin/events/sessions/new/",  # Wagtail's date-time pickers: inline scripts of its own
        f"/admin/events/sessions/edit/{session.pk}/",
        f"/admin/events/sessions/{session.pk}/run/",
        f"/admin/events/sessions/{session.pk}/projector/",
        f"/admin/laporan/{tip.pk}/",
        f"/admin/pages/{office_with_session_and_tip.home.pk}/edit/",  # the page editor: StreamField, Draftail
        "/admin/sign-in-lockouts/",
        "/admin/reports/site-history/",
    ]


def test_wagtails_admin_works_under_the_policy_with_its_admin_relaxation(
    office_with_session_and_tip, desktop
):
    desktop.add_init_script(WATCH)
    sign_in(desktop, office_with_session_and_tip.base, "supervisor")
    desktop.wait_for_url(office_with_session_and_tip.base + "/admin/")
    for path in admin_pages(office_with_session_and_tip):
        desktop.goto(office_with_session_and_tip.base + path)
        desktop.wait_for_load_state("networkidle")
        assert violations(desktop) == [], path
    # Wagtail's date picker (an inline script) came up on the session form.
    desktop.goto(office_with_session_and_tip.base + "/admin/events/sessions/new/")
    desktop.locator("#id_starts_at").focus()
    desktop.locator(".xdsoft_datetimepicker:visible").first.wait_for(timeout=5_000)


def test_field_mode_runs_under_the_strict_policy(office_with_session_and_tip, phone):
    phone.add_init_script(WATCH)
    sign_in(phone, office_with_session_and_tip.base, "petugas")
    phone.wait_for_url(office_with_session_and_tip.base + "/admin/")
    phone.goto(f"{office_with_session_and_tip.base}/admin/field/{office_with_session_and_tip.session.pk}/")
    phone.wait_for_load_state("networkidle")
    assert violations(phone) == []


def test_without_the_relaxation_wagtails_admin_would_break(office_with_session_and_tip, desktop, settings):
    # Why /admin/ is relaxed: the strict policy alone blocks Wagtail's own inline scripts.
    settings.PIMPASA_ADMIN_CSP_RELAXATION = {}
    desktop.add_init_script(WATCH)
    sign_in(desktop, office_with_session_and_tip.base, "supervisor")
    desktop.wait_for_url(office_with_session_and_tip.base + "/admin/")
    desktop.goto(office_with_session_and_tip.base + "/admin/events/sessions/new/")
    desktop.wait_for_load_state("networkidle")
    assert any(v.startswith("script-src") for v in violations(desktop))


@pytest.mark.parametrize("size", [(360, 740), (1366, 900)])
def test_a_locked_out_officer_reads_why_and_a_supervisor_unlocks(office_with_session_and_tip, browser, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="id-ID")
    page = context.new_page()
    base = office_with_session_and_tip.base
    for _ in range(5):
        sign_in(page, base, "petugas", "salah-sandi")
    page.get_by_text("Masuk dijeda").first.wait_for()
    assert "15 menit" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
    page.screenshot(path=f"{SHOTS}/login-locked-{size[0]}.png", full_page=True)

    admin = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="id-ID").new_page()
    sign_in(admin, base, "supervisor")
    admin.wait_for_url(base + "/admin/")
    admin.goto(base + "/admin/sign-in-lockouts/")
    locked, failures = admin.locator("table.listing").all()
    assert locked.get_by_role("cell", name="petugas", exact=True).count() == 1
    assert failures.get_by_role("cell", name="petugas", exact=True).count() == 5
    assert admin.evaluate("document.documentElement.scrollWidth") <= size[0]
    admin.screenshot(path=f"{SHOTS}/sign-in-lockouts-{size[0]}.png", full_page=True)
    admin.get_by_role("button", name="Buka kunci").click()
    admin.get_by_text("petugas dapat masuk lagi.").wait_for()

    sign_in(page, base, "petugas")
    page.wait_for_url(base + "/admin/")
    context.close()
    admin.context.close()


def test_a_walk_in_is_recorded_only_with_consent_given_to_the_officer(office_with_session_and_tip, phone):
    sign_in(phone, office_with_session_and_tip.base, "petugas")
    phone.wait_for_url(office_with_session_and_tip.base + "/admin/")
    session = office_with_session_and_tip.session
    phone.goto(f"{office_with_session_and_tip.base}/admin/events/sessions/{session.pk}/run/")
    phone.fill("#id_walkin-name", "Nenek Ijah")
    phone.select_option("#id_walkin-gender", "f")
    phone.select_option("#id_walkin-age_group", "gt60")
    phone.fill("#id_walkin-rw", "19")
    phone.locator("#walk-in ~ form button[type=submit]").click()
    phone.get_by_text("Catat orang ini hanya setelah ia setuju.").wait_for()
    assert not Attendance.objects.filter(name="Nenek Ijah").exists()
    phone.check("#id_walkin-consent")
    phone.locator("#walk-in ~ form button[type=submit]").click()
    phone.get_by_text("Nenek Ijah telah ditambahkan.").first.wait_for()
    attendance = Attendance.objects.get(name="Nenek Ijah")
    assert attendance.consent_given_to == office_with_session_and_tip.officer
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=f"{SHOTS}/walk-in-consent-360.png", full_page=True)
