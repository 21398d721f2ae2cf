"""The second factor of staff sign-in (pimpasa.two_factor): enrolment on first sign-in, verification
on later ones, recovery codes that work once, every back-office page behind a verified session, and
a supervisor's audited reset. These tests log in with the real flow: the test client's automatic
verification (tests/conftest.py) is off here."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from pimpasa import two_factor
from tests.factories import DEFAULT_PASSWORD, UserFactory, authenticator_of, totp_code

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.real_second_factor,
    pytest.mark.usefixtures("fresh_limit_windows"),
]

LOGIN = "/admin/login/"
VERIFY = "/admin/two-factor/"
SETUP = "/admin/two-factor/setup/"


def sign_in(client, user):
    response = client.post(
        LOGIN, {"username": user.username, "password": DEFAULT_PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    return response


def test_the_enforcement_is_on_in_every_settings_module():
    # Dev, test and production all start from base's middleware and keep it.
    assert "pimpasa.two_factor.SecondFactorMiddleware" in settings.MIDDLEWARE
    assert settings.MIDDLEWARE.index(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    ) < settings.MIDDLEWARE.index("pimpasa.two_factor.SecondFactorMiddleware")
    from pimpasa.settings import dev

    assert "pimpasa.two_factor.SecondFactorMiddleware" in dev.MIDDLEWARE
    # Production (which needs its environment to import) and test never redefine the middleware.
    for module in ("production", "test"):
        source = (settings.BASE_DIR / "pimpasa" / "settings" / f"{module}.py").read_text()
        assert "MIDDLEWARE" not in source and "SecondFactorMiddleware" not in source


@pytest.mark.parametrize("role", ["Petugas PIMPASA", "Supervisor", "Editor"])
def test_a_password_alone_opens_no_back_office_page(role, site_setup):
    user = UserFactory(role=role)
    client = Client()
    sign_in(client, user)
    for path in ["/admin/", "/admin/laporan/", "/admin/events/sessions/", "/admin/sign-in-lockouts/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(VERIFY + "?next="), path
    # A POST (a field-mode sync, a triage save) is refused the same way, and nothing is done.
    response = client.post("/admin/laporan/", {})
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)


def test_force_login_alone_is_not_verified_either(officer):
    client = Client()
    client.force_login(officer)  # this module has the automatic verification turned off
    assert client.get("/admin/").status_code == 302


def test_accounts_without_back_office_access_need_no_second_factor(site_setup):
    guest = UserFactory(username="tamu", second_factor=False)
    assert not two_factor.required_for(guest)
    assert two_factor.required_for(UserFactory(role="Editor"))
    assert two_factor.required_for(UserFactory(is_superuser=True))


def test_first_sign_in_enrols_with_a_qr_code_and_shows_ten_recovery_codes_once(site_setup):
    user = UserFactory(username="petugas-baru", role="Petugas PIMPASA", second_factor=False)
    client = Client()
    sign_in(client, user)
    response = client.get("/admin/")
    assert response["Location"] == SETUP + "?next=%2Fadmin%2F"

    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert "Siapkan faktor kedua" in body  # Indonesian by default
    assert "<svg" in body and "otpauth" not in body  # the QR is drawn inline; no URL to a QR service
    secret = re.search(r"data-secret>([A-Z2-7 ]+)<", body).group(1)
    pending = TOTPDevice.objects.get(user=user, confirmed=False)
    assert secret.replace(" ", "") in two_factor.config_url(pending)

    wrong = client.post(SETUP, {"code": "000000", "next": "/admin/"})
    assert wrong.status_code == 200 and "Kode itu tidak benar" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302

    pending.throttle_reset()  # (django-otp makes the next try after a wrong code wait a second)
    done = client.post(SETUP, {"code": totp_code(pending), "next": "/admin/"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", done.content.decode())
    assert len(set(codes)) == 10
    assert "no-store" in done["Cache-Control"]
    assert two_factor.KNOWN_BROWSER_COOKIE in done.cookies
    # Verified now; the codes are never stored as such, and never shown again.
    assert client.get("/admin/").status_code == 200
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(stored) == 10 and not stored & set(codes) and not stored & {c.replace("-", "") for c in codes}
    assert client.get(SETUP).status_code == 302
    assert ModelLogEntry.objects.filter(action=two_factor.ENROLLED_ACTION, object_id=str(user.pk)).exists()


def test_a_later_sign_in_asks_for_the_apps_code(officer):
    client = Client()
    sign_in(client, officer)
    response = client.get("/admin/laporan/")
    assert response["Location"] == VERIFY + "?next=%2Fadmin%2Flaporan%2F"
    page = client.get(response["Location"])
    assert "Pastikan ini Anda" in page.content.decode()

    refused = client.post(VERIFY, {"code": "123456", "next": "/admin/laporan/"})
    assert refused.status_code == 200 and "Kode itu tidak benar" in refused.content.decode()
    assert (
        ModelLogEntry.objects.filter(action=two_factor.FAILED_ACTION, object_id=str(officer.pk)).count() == 1
    )

    device = authenticator_of(officer)
    device.throttle_reset()
    response = client.post(VERIFY, {"code": totp_code(device), "next": "/admin/laporan/"})
    assert response.status_code == 302 and response["Location"] == "/admin/laporan/"
    assert client.get("/admin/laporan/").status_code == 200


def test_an_apps_code_is_good_once(officer):
    device = authenticator_of(officer)
    code = totp_code(device)
    first, second = Client(), Client()
    sign_in(first, officer)
    sign_in(second, officer)
    assert first.post(VERIFY, {"code": code})["Location"] == "/admin/"
    # The same code, replayed at once by someone who watched it typed, is refused.
    assert second.post(VERIFY, {"code": code}).status_code == 200
    assert second.get("/admin/").status_code == 302


def test_wrong_codes_in_a_row_make_the_next_attempt_wait(officer):
    client = Client()
    sign_in(client, officer)
    client.post(VERIFY, {"code": "111111"})
    response = client.post(VERIFY, {"code": totp_code(authenticator_of(officer))})
    # django-otp doubles the wait after each wrong code: even the right code waits its turn.
    assert response.status_code == 429
    assert "Terlalu banyak kode yang salah" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_recovery_code_signs_in_once(site_setup):
    user = UserFactory(role="Supervisor")
    codes = two_factor.new_recovery_codes(user)
    client = Client()
    sign_in(client, user)
    response = client.post(VERIFY, {"code": codes[3].upper().replace("-", " "), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    home = client.get("/admin/")
    assert home.status_code == 200 and "9 kode pemulihan tersisa" in home.content.decode()
    assert ModelLogEntry.objects.filter(
        action=two_factor.RECOVERY_USED_ACTION, object_id=str(user.pk)
    ).exists()

    again = Client()
    sign_in(again, user)
    refused = again.post(VERIFY, {"code": codes[3], "next": "/admin/"})
    assert refused.status_code == 200 and "Kode itu tidak benar" in refused.content.decode()
    assert again.get("/admin/").status_code == 302
    assert two_factor.recovery_codes_left(user) == 9


def test_an_unverified_session_cannot_enrol_a_second_authenticator(officer):
    client = Client()
    sign_in(client, officer)
    # Whoever holds only the password cannot replace the officer's authenticator with their own.
    response = client.get(SETUP)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert client.post(SETUP, {"code": "000000"}).status_code == 302
    assert TOTPDevice.objects.filter(user=officer).count() == 1


def test_a_supervisor_resets_another_accounts_second_factor_audited(site_setup):
    supervisor = UserFactory(role="Supervisor")
    officer = UserFactory(username="petugas-hilang", role="Petugas PIMPASA")
    two_factor.new_recovery_codes(officer)
    officers_session = Client()
    sign_in(officers_session, officer)
    officers_session.post(VERIFY, {"code": totp_code(authenticator_of(officer))})
    assert officers_session.get("/admin/").status_code == 200

    admin = Client()
    sign_in(admin, supervisor)
    admin.post(VERIFY, {"code": totp_code(authenticator_of(supervisor))})
    listing = admin.get("/admin/two-factor/accounts/")
    assert listing.status_code == 200 and "petugas-hilang" in listing.content.decode()
    confirm = admin.get(f"/admin/two-factor/accounts/{officer.pk}/reset/")
    assert confirm.status_code == 200 and "petugas-hilang" in confirm.content.decode()
    response = admin.post(f"/admin/two-factor/accounts/{officer.pk}/reset/")
    assert response.status_code == 302
    assert (
        not TOTPDevice.objects.filter(user=officer).exists() and two_factor.recovery_codes_left(officer) == 0
    )
    entry = ModelLogEntry.objects.get(action=two_factor.RESET_ACTION)
    assert entry.object_id == str(officer.pk) and entry.user_id == supervisor.pk

    # The session verified with the removed authenticator is signed out, not let into enrolment.
    response = officers_session.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in officers_session.session
    # The next sign-in enrols again.
    sign_in(officers_session, officer)
    assert officers_session.get("/admin/")["Location"].startswith(SETUP)


@pytest.mark.parametrize("role", ["Petugas PIMPASA", "Editor"])
def test_officers_and_editors_cannot_reset_anyones(role, site_setup):
    user = UserFactory(role=role)
    target = UserFactory(role="Petugas PIMPASA")
    client = Client()
    sign_in(client, user)
    client.post(VERIFY, {"code": totp_code(authenticator_of(user))})
    for response in (
        client.get("/admin/two-factor/accounts/"),
        client.post(f"/admin/two-factor/accounts/{target.pk}/reset/"),
    ):
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert TOTPDevice.objects.filter(user=target).exists()


def test_a_supervisor_cannot_reset_their_own_or_a_superusers(site_setup):
    supervisor = UserFactory(role="Supervisor")
    superuser = UserFactory(is_superuser=True)
    client = Client()
    sign_in(client, supervisor)
    client.post(VERIFY, {"code": totp_code(authenticator_of(supervisor))})
    for account in (supervisor, superuser):
        response = client.post(f"/admin/two-factor/accounts/{account.pk}/reset/")
        assert response.status_code == 302 and response["Location"] == "/admin/"
        assert TOTPDevice.objects.filter(user=account).exists()
