"""Sign-in throttling (django-axes): per user name and address, a 429 in the user's language, failed
sign-ins audited, supervisors unlock; forged X-Forwarded-For entries do not escape it."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client
from django.utils import timezone
from wagtail.models import ModelLogEntry

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_limit_windows")]

LOGIN = "/admin/login/"


def sign_in(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def fail(client, username, times, **extra):
    return [sign_in(client, username, "wrong-password", **extra).status_code for _ in range(times)]


@pytest.fixture
def petugas(site_setup):
    return UserFactory(username="petugas", role="Petugas PIMPASA")


def test_five_wrong_passwords_then_a_429_in_indonesian_even_for_the_right_one(client, petugas):
    assert fail(client, "petugas", 5) == [200, 200, 200, 200, 429]
    response = sign_in(client, "petugas", DEFAULT_PASSWORD)
    assert response.status_code == 429
    body = response.content.decode()
    assert "Masuk dijeda" in body and "15 menit" in body
    assert response["Retry-After"] == str(15 * 60)
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_speaks_the_sign_in_pages_language(petugas, settings):
    # The sign-in page (outside the /en/ prefix) speaks the site's language; so does its lockout.
    settings.LANGUAGE_CODE = "en"
    client = Client()
    fail(client, "petugas", 5)
    response = sign_in(client, "petugas", DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert "Sign-in paused" in response.content.decode()
    assert "15 minutes" in response.content.decode()


def test_the_lock_is_per_user_and_address(petugas):
    UserFactory(username="supervisor", role="Supervisor")
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    fail(attacker, "petugas", 5)
    # The officer at the office (another address) still signs in, and so does a colleague at the
    # attacker's address.
    assert sign_in(Client(REMOTE_ADDR="10.0.0.5"), "petugas", DEFAULT_PASSWORD).status_code == 302
    assert sign_in(Client(REMOTE_ADDR="198.51.100.7"), "supervisor", DEFAULT_PASSWORD).status_code == 302
    assert sign_in(Client(REMOTE_ADDR="198.51.100.7"), "petugas", DEFAULT_PASSWORD).status_code == 429


def test_forged_forwarded_entries_do_not_reset_the_count(petugas, settings):
    settings.PIMPASA_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR="10.0.0.1")
    codes = [
        sign_in(client, "petugas", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.7").status_code
        for n in range(6)
    ]
    assert codes == [200, 200, 200, 200, 429, 429]


def test_every_failed_sign_in_is_audited(petugas):
    fail(Client(REMOTE_ADDR="198.51.100.7"), "petugas", 3)
    fail(Client(REMOTE_ADDR="198.51.100.8"), "nobody-by-this-name", 2)
    assert AccessFailureLog.objects.count() == 5
    assert set(AccessFailureLog.objects.values_list("username", flat=True)) == {
        "petugas",
        "nobody-by-this-name",
    }
    entries = ModelLogEntry.objects.filter(action="pimpasa.login_failed")
    assert entries.count() == 3
    assert {entry.object_id for entry in entries} == {str(petugas.pk)}
    assert entries.first().data == {"ip_address": "198.51.100.7"}
    # No password, right or wrong, is kept anywhere.
    assert "wrong-password" not in str(list(AccessAttempt.objects.values()))


def test_the_lock_lifts_by_itself_after_the_cool_off(petugas):
    client = Client()
    fail(client, "petugas", 5)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert sign_in(client, "petugas", DEFAULT_PASSWORD).status_code == 302


def test_a_supervisor_sees_the_lockout_and_unlocks_it(petugas):
    supervisor = UserFactory(role="Supervisor")
    fail(Client(REMOTE_ADDR="10.0.0.5"), "petugas", 5)
    admin = Client()
    admin.force_login(supervisor)
    page = admin.get("/admin/sign-in-lockouts/")
    assert page.status_code == 200
    assert "petugas" in page.content.decode() and "10.0.0.5" in page.content.decode()
    attempt = AccessAttempt.objects.get(username="petugas")
    assert admin.get(f"/admin/sign-in-lockouts/{attempt.pk}/unlock/").status_code == 405
    response = admin.post(f"/admin/sign-in-lockouts/{attempt.pk}/unlock/")
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    entry = ModelLogEntry.objects.get(action="pimpasa.login_unlocked")
    assert entry.user_id == supervisor.pk and entry.object_id == str(petugas.pk)
    assert sign_in(Client(REMOTE_ADDR="10.0.0.5"), "petugas", DEFAULT_PASSWORD).status_code == 302
    # Unlocking again: nothing to unlock any more.
    assert admin.post(f"/admin/sign-in-lockouts/{attempt.pk}/unlock/").status_code == 404


@pytest.mark.parametrize("role", ["Petugas PIMPASA", "Editor"])
def test_officers_and_editors_cannot_see_or_unlock(petugas, role, assert_page):
    fail(Client(), "petugas", 5)
    attempt = AccessAttempt.objects.get()
    client = Client()
    client.force_login(UserFactory(role=role))
    # Wagtail's answer to a refused admin page: back to the dashboard, with a message.
    for response in (
        client.get("/admin/sign-in-lockouts/"),
        client.post(f"/admin/sign-in-lockouts/{attempt.pk}/unlock/"),
    ):
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [attempt.pk]  # still locked
    assert "sign-in-lockouts" not in assert_page(client.get("/admin/"), "- Pimpasa</title>")
