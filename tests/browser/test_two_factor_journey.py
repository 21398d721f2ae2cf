"""A supervisor's second factor on a 360 px phone: the first sign-in enrols (QR code and the key as
text; the test's authenticator reads the key from the page and computes the code), shows the recovery
codes once, then the admin home; signing out and in again asks for the app's code; a recovery code
signs in once and is refused the second time."""

import re
from pathlib import Path

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import DEFAULT_PASSWORD, UserFactory, totp_code

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
SHOTS.mkdir(parents=True, exist_ok=True)


def authenticator_app_code(secret, at):
    """What an authenticator app shows for the key typed from the page, at time `at` (seconds)."""
    import base64

    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    totp = TOTP(key, step=30, t0=0, digits=6)
    totp.time = at
    return f"{totp.token():06d}"


def password_step(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.locator("button[type=submit]").click()


def sign_out(page, base):
    # The account menu sits in the sidebar, folded away on a phone.
    page.get_by_role("button", name="Buka/tutup bilah samping").first.click()
    page.locator(".sidebar-footer__account").click()
    page.locator(".sidebar-footer").get_by_text("Keluar", exact=True).click()
    page.wait_for_url(f"{base}/admin/login/**")


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.django_db(transaction=True)
def test_a_supervisor_enrols_signs_in_with_a_code_and_with_a_recovery_code_once(live_server, phone):
    import time

    from cms.services.page_tree import ensure_home_page
    from pimpasa.roles import SUPERVISOR, ensure_roles

    ensure_roles()
    ensure_home_page()
    UserFactory(username="kepala-seksi", role=SUPERVISOR, second_factor=False)
    base = live_server.url
    page = phone

    # First sign-in: after the password, enrolment.
    password_step(page, base, "kepala-seksi")
    page.wait_for_url(re.compile(r".*/admin/two-factor/setup/.*"))
    assert page.locator("#main > h1").inner_text() == "Siapkan faktor kedua"
    assert page.locator(".pimpasa-two-factor-qr svg").count() == 1
    assert page.locator("#main").count() == 1  # the icons load as icons, not as a second page
    secret = page.locator("[data-secret]").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})+", secret)
    assert fits(page)
    page.screenshot(path=str(SHOTS / "two-factor-1-enrol.png"), full_page=True)

    page.fill("#id_code", authenticator_app_code(secret, time.time()))
    page.get_by_role("button", name="Konfirmasi").click()
    page.locator("[data-recovery-codes]").wait_for()
    codes = [code.inner_text() for code in page.locator("[data-recovery-codes] code").all()]
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z0-9]{5}-[a-z0-9]{5}", code) for code in codes)
    assert "hanya ditampilkan sekali ini" in page.locator("main").inner_text()
    assert fits(page)
    page.screenshot(path=str(SHOTS / "two-factor-2-recovery-codes.png"), full_page=True)
    page.get_by_role("link", name="Sudah saya simpan: lanjutkan").click()
    page.wait_for_url(f"{base}/admin/")
    assert fits(page)

    # Sign out; the next sign-in asks for the app's code.
    sign_out(page, base)
    password_step(page, base, "kepala-seksi")
    page.wait_for_url(re.compile(r".*/admin/two-factor/\?next=.*"))
    assert page.locator("#main > h1").inner_text() == "Pastikan ini Anda"
    assert fits(page)
    page.screenshot(path=str(SHOTS / "two-factor-3-verify.png"), full_page=True)
    page.fill("#id_code", totp_code(TOTPDevice.objects.get(user__username="kepala-seksi")))
    page.get_by_role("button", name="Lanjutkan").click()
    page.wait_for_url(f"{base}/admin/")

    # Phone left at home: a recovery code, once.
    sign_out(page, base)
    password_step(page, base, "kepala-seksi")
    page.wait_for_url(re.compile(r".*/admin/two-factor/.*"))
    page.fill("#id_code", codes[0])
    page.get_by_role("button", name="Lanjutkan").click()
    page.wait_for_url(f"{base}/admin/")
    assert "9 kode pemulihan tersisa" in page.locator("body").inner_text()
    page.screenshot(path=str(SHOTS / "two-factor-4-recovery-used.png"), full_page=True)

    sign_out(page, base)
    password_step(page, base, "kepala-seksi")
    page.wait_for_url(re.compile(r".*/admin/two-factor/.*"))
    page.fill("#id_code", codes[0])
    page.get_by_role("button", name="Lanjutkan").click()
    page.locator(".pimpasa-two-factor-error", has_text="Kode itu tidak benar").wait_for()
    assert "/admin/two-factor/" in page.url
    assert fits(page)
    page.screenshot(path=str(SHOTS / "two-factor-5-recovery-refused.png"), full_page=True)
    # And the back office stays closed.
    page.goto(f"{base}/admin/laporan/")
    assert "/admin/two-factor/" in page.url
