"""Probing check-in URLs: without a valid QR nothing of a session is told, drafts, internal and
cancelled sessions are described to nobody, and refusal counters cannot be grown by a crawler."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from events.models import Attendance, CheckinRefusal, Session
from events.services import tokens
from tests.factories import AreaFactory, SessionFactory

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Rapat TIMPORA Rahasia"
SECRET_VENUE = "Ruang Rapat Intelijen"
SECRET_AREA = "Kampung Tersembunyi"


def hidden_session(**fields):
    return SessionFactory(
        title=SECRET_TITLE, venue=SECRET_VENUE, area=AreaFactory(name=SECRET_AREA), **fields
    )


def assert_names_nothing(response):
    body = response.content.decode()
    assert 'class="error-page checkin"' in body  # the refusal page itself, not an empty answer
    for secret in (SECRET_TITLE, SECRET_VENUE, SECRET_AREA):
        assert secret not in body


SESSIONS = {
    "public": {},
    "draft": {"status": Session.Status.DRAFT},
    "internal": {"is_public": False, "kind": Session.Kind.TIMPORA},
    "cancelled": {"status": Session.Status.CANCELLED},
}


@pytest.mark.parametrize("kind", list(SESSIONS))
@pytest.mark.parametrize("query", ["", "?t=", "?t=forged:token", "?t=1.2.3"])
def test_without_a_valid_token_the_page_is_generic(client, kind, query):
    session = hidden_session(**SESSIONS[kind])
    response = client.get(f"/sesi/{session.pk}/hadir/{query}")
    assert response.status_code == 403
    assert_names_nothing(response)
    assert "Untuk mengisi daftar hadir, pindai kode QR" in response.content.decode()


def test_the_generic_page_is_in_english_for_english_visitors(client):
    session = hidden_session()
    response = client.get(f"/en/sesi/{session.pk}/hadir/")
    assert response.status_code == 403
    assert "scan the QR code shown at the session" in response.content.decode()
    assert_names_nothing(response)


def test_an_expired_qr_names_nothing_either(client):
    session = hidden_session()
    old = tokens.rotating_token(session, now=timezone.now() - timedelta(minutes=5))
    response = client.get(f"/sesi/{session.pk}/hadir/?t={old}")
    assert response.status_code == 410
    assert_names_nothing(response)


@pytest.mark.parametrize(
    "kind, status",
    [("draft", 404), ("cancelled", 410), ("internal", 403)],
)
def test_with_a_valid_token_drafts_internal_and_cancelled_sessions_are_still_not_described(
    client, kind, status
):
    fields = dict(SESSIONS[kind])
    if kind == "internal":  # not open yet: a refusal page, which must not describe an internal meeting
        fields["starts_at"] = timezone.now() + timedelta(days=2)
    session = hidden_session(**fields)
    response = client.get(f"/sesi/{session.pk}/hadir/?t={tokens.poster_token(session)}")
    assert response.status_code == status
    assert_names_nothing(response)


def test_a_public_session_not_open_yet_is_described_to_whoever_holds_its_qr(client):
    session = hidden_session(starts_at=timezone.now() + timedelta(days=2))
    response = client.get(f"/sesi/{session.pk}/hadir/?t={tokens.poster_token(session)}")
    assert response.status_code == 403
    assert SECRET_TITLE in response.content.decode()


def test_a_post_to_an_unknown_or_hidden_session_stores_nothing_and_names_nothing(client):
    session = hidden_session(status=Session.Status.DRAFT)
    for pk in (session.pk, 999999):
        response = client.post(f"/sesi/{pk}/hadir/", {"name": "Siti", "pass": "forged"})
        assert response.status_code == 403
        assert_names_nothing(response)
    assert not Attendance.objects.exists()


def test_one_client_reloading_counts_once(client):
    session = hidden_session()
    for _ in range(25):
        assert client.get(f"/sesi/{session.pk}/hadir/?t=forged").status_code == 403
    assert CheckinRefusal.objects.get(session=session, reason="bad_token").count == 1


def test_each_client_counts_once_and_a_crawler_is_capped_per_session(monkeypatch):
    monkeypatch.setattr("events.services.checkin.ANONYMOUS_REFUSALS_PER_HOUR", 5)
    session = hidden_session()
    for n in range(3):
        Client(REMOTE_ADDR=f"10.0.0.{n}").get(f"/sesi/{session.pk}/hadir/?t=forged")
    assert CheckinRefusal.objects.get(session=session).count == 3
    for n in range(3, 40):
        Client(REMOTE_ADDR=f"10.0.0.{n}").get(f"/sesi/{session.pk}/hadir/?t=forged")
    assert CheckinRefusal.objects.get(session=session).count == 5


def test_unknown_ids_write_no_counter(client):
    for pk in range(900000, 900020):
        response = client.get(f"/sesi/{pk}/hadir/?t=forged")
        assert response.status_code == 403
        assert_names_nothing(response)
    assert not CheckinRefusal.objects.exists()


def test_forged_form_passes_count_within_the_same_bounds(client):
    session = hidden_session()
    for _ in range(10):
        response = client.post(f"/sesi/{session.pk}/hadir/", {"name": "Siti", "pass": "forged"})
        assert response.status_code == 403
    assert CheckinRefusal.objects.get(session=session).count == 1
