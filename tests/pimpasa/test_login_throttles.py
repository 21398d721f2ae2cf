"""Sign-in counted per account across addresses and per address across accounts (pimpasa.logins),
beside django-axes' pair: guessing one officer's password from many addresses, or many accounts'
from one, is stopped; an attacker cannot keep the officer out of their own browser."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone
from wagtail.models import ModelLogEntry

from pimpasa import logins, two_factor
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_limit_windows")]

LOGIN = "/admin/login/"


def sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


@pytest.fixture
def limits(settings):
    settings.PIMPASA_LOGIN_ACCOUNT_FAILURES = 6
    settings.PIMPASA_LOGIN_ADDRESS_FAILURES = 8
    return settings


@pytest.fixture
def petugas(site_setup):
    return UserFactory(username="petugas", role="Petugas PIMPASA", email="petugas@example.test")


def test_one_account_guessed_from_many_addresses_is_paused(
    limits, petugas, django_capture_on_commit_callbacks
):
    UserFactory(username="kepala", role="Supervisor", email="kepala@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        codes = [
            sign_in(Client(REMOTE_ADDR=f"203.0.113.{n}"), "petugas", "tebak").status_code for n in range(6)
        ]
    # One failure per address: django-axes' pair never trips, the account's count does.
    assert codes == [200] * 6
    response = sign_in(Client(REMOTE_ADDR="198.51.100.99"), "petugas", DEFAULT_PASSWORD)
    assert response.status_code == 429
    body = response.content.decode()
    assert "Terlalu banyak kata sandi salah untuk akun ini" in body
    assert int(response["Retry-After"]) <= 3600
    # The owner and the supervisors are told once, and the account's audit log says so.
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {"petugas@example.test", "kepala@example.test"}
    assert "petugas" in mail.outbox[0].subject and "dijeda" in mail.outbox[0].subject
    assert (
        ModelLogEntry.objects.filter(action=logins.ACCOUNT_PAUSED_ACTION, object_id=str(petugas.pk)).count()
        == 1
    )
    # Other accounts are not affected.
    UserFactory(username="rekan", role="Petugas PIMPASA")
    assert sign_in(Client(REMOTE_ADDR="198.51.100.99"), "rekan", DEFAULT_PASSWORD).status_code == 302


def test_the_pause_lifts_when_the_hour_is_over(limits, petugas):
    for n in range(6):
        sign_in(Client(REMOTE_ADDR=f"203.0.113.{n}"), "petugas", "tebak")
    assert sign_in(Client(), "petugas", DEFAULT_PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        assert sign_in(Client(), "petugas", DEFAULT_PASSWORD).status_code == 302


def test_the_officers_own_browser_is_not_paused_by_an_attackers_guesses(limits, petugas):
    # The officer signed in with the second factor in this browser last week.
    own = Client()
    own.cookies[two_factor.KNOWN_BROWSER_COOKIE] = _known_browser_cookie(petugas)
    for n in range(10):
        sign_in(Client(REMOTE_ADDR=f"203.0.113.{n}"), "petugas", "tebak")
    assert sign_in(Client(), "petugas", DEFAULT_PASSWORD).status_code == 429
    assert sign_in(own, "petugas", DEFAULT_PASSWORD).status_code == 302
    # The cookie is for that account only.
    other = UserFactory(username="lain", role="Petugas PIMPASA")
    stranger = Client()
    stranger.cookies[two_factor.KNOWN_BROWSER_COOKIE] = _known_browser_cookie(other)
    assert sign_in(stranger, "petugas", DEFAULT_PASSWORD).status_code == 429
    forged = Client()
    forged.cookies[two_factor.KNOWN_BROWSER_COOKIE] = "petugas"
    assert sign_in(forged, "petugas", DEFAULT_PASSWORD).status_code == 429


def _known_browser_cookie(user):
    from django.http import HttpResponse

    response = HttpResponse()
    two_factor.remember_browser(response, user)
    return response.cookies[two_factor.KNOWN_BROWSER_COOKIE].value


def test_many_accounts_from_one_address_are_stopped(limits, petugas):
    spray = Client(REMOTE_ADDR="198.51.100.7")
    codes = [sign_in(spray, f"akun{n}", "Rahasia123").status_code for n in range(8)]
    assert codes == [200] * 8
    # From that address even a real account with its right password waits.
    response = sign_in(Client(REMOTE_ADDR="198.51.100.7"), "petugas", DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert "Terlalu banyak upaya masuk yang gagal dari jaringan Anda" in response.content.decode()
    # The officer at the office is not.
    assert sign_in(Client(REMOTE_ADDR="10.0.0.5"), "petugas", DEFAULT_PASSWORD).status_code == 302


def test_the_counts_are_kept_as_salted_hashes(limits, petugas):
    from django.core.cache import caches

    sign_in(Client(REMOTE_ADDR="198.51.100.7"), "petugas", "tebak")
    keys = " ".join(str(key) for key in caches["default"]._cache)
    assert "petugas" not in keys and "198.51.100.7" not in keys
