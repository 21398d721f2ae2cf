"""Staff password reset (pimpasa.password_reset): the same answer for every e-mail address, the mail
sent from the task queue with a link to the public address, and counted per address and per e-mail."""

import pytest
from django.core import mail
from django.test import Client

from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_limit_windows")]

RESET = "/admin/password_reset/"


@pytest.fixture
def petugas(site_setup):
    return UserFactory(username="petugas", role="Petugas PIMPASA", email="petugas@example.test")


def ask(client, email, capture):
    with capture(execute=True):
        return client.post(RESET, {"email": email})


def test_a_known_and_an_unknown_address_get_the_same_answer(petugas, django_capture_on_commit_callbacks):
    known = ask(Client(), "Petugas@Example.test", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    unknown = ask(Client(), "nobody@example.test", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1  # nothing sent for an address without an account
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known.status_code == 302 and known["Location"] == "/admin/password_reset/done/"
    assert [t.name for t in known.templates] == [t.name for t in unknown.templates]
    done = Client().get(known["Location"])
    assert done.status_code == 200


def test_the_mail_goes_from_the_queue_with_a_link_to_the_public_address(
    petugas, settings, django_capture_on_commit_callbacks
):
    settings.PIMPASA_PUBLIC_URL = "https://pimpasa.example.go.id"
    settings.WAGTAILADMIN_BASE_URL = "https://pimpasa.example.go.id"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = Client().post(RESET, {"email": "petugas@example.test"})
    # Nothing is sent while the requester waits: one queued task, after the answer's transaction.
    assert response.status_code == 302 and len(mail.outbox) == 0 and len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["petugas@example.test"]
    assert "https://pimpasa.example.go.id/admin/password_reset/confirm/" in message.body
    # An unknown address queues the same task, with nobody to mail.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Client().post(RESET, {"email": "nobody@example.test"})
    assert len(callbacks) == 1 and len(mail.outbox) == 1


def test_an_address_asking_too_often_is_told_why(petugas, settings, django_capture_on_commit_callbacks):
    settings.PIMPASA_PASSWORD_RESETS_PER_ADDRESS = 3
    client = Client(REMOTE_ADDR="198.51.100.7")
    codes = [
        ask(client, f"orang{n}@example.test", django_capture_on_commit_callbacks).status_code
        for n in range(4)
    ]
    assert codes == [302, 302, 302, 429]
    response = ask(client, "petugas@example.test", django_capture_on_commit_callbacks)
    assert response.status_code == 429 and int(response["Retry-After"]) <= 3600
    assert "Terlalu banyak permintaan atur ulang kata sandi dari jaringan Anda" in response.content.decode()
    assert len(mail.outbox) == 0
    # Another address is not held back.
    assert (
        ask(
            Client(REMOTE_ADDR="10.0.0.5"), "petugas@example.test", django_capture_on_commit_callbacks
        ).status_code
        == 302
    )


@pytest.mark.parametrize("email", ["petugas@example.test", "nobody@example.test"])
def test_one_email_asked_for_too_often_is_refused_alike_known_or_not(
    email, petugas, settings, django_capture_on_commit_callbacks
):
    settings.PIMPASA_PASSWORD_RESETS_PER_EMAIL = 2
    codes = [
        ask(
            Client(REMOTE_ADDR=f"203.0.113.{n}"), email.upper(), django_capture_on_commit_callbacks
        ).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]
    assert len(mail.outbox) == (2 if email.startswith("petugas") else 0)
    response = ask(Client(REMOTE_ADDR="203.0.113.50"), email, django_capture_on_commit_callbacks)
    assert response.status_code == 429
    assert "sudah terlalu sering diminta" in response.content.decode()
