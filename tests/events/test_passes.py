"""Printed and shared QR codes survive a reschedule; only cancelling or invalidating them stops them."""

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone
from wagtail.models import ModelLogEntry

from events.models import Attendance, CheckinRefusal, Session
from events.services import checkin, errors, sessions, tokens
from tests.events.test_admin import edit, login
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


ANSWERS = {"name": "Siti Aminah", "phone": "0812 3456 7890", "gender": "f", "age_group": "26-35", "rw": "17"}


def poster_path(session):
    return f"/sesi/{session.pk}/hadir/?t={tokens.poster_token(session)}"


def check_in_through(client, path, session, **answers):
    """Open the form at `path` (a poster's URL) and send it; the responses of both steps."""
    opened = client.get(path)
    if opened.status_code != 200:
        return opened, None
    form_pass = re.search(r'name="pass" value="([^"]+)"', opened.content.decode()).group(1)
    sent = client.post(
        f"/sesi/{session.pk}/hadir/", {**ANSWERS, **answers, "consent": "on", "pass": form_pass}
    )
    return opened, sent


def move(session, delta):
    session.starts_at += delta
    session.ends_at += delta
    session.save()
    return Session.objects.get(pk=session.pk)


@pytest.mark.parametrize("delta", [timedelta(minutes=10), timedelta(minutes=-10)])
def test_a_poster_printed_before_a_ten_minute_move_still_checks_in(client, delta):
    session = SessionFactory()
    printed = poster_path(session)
    session = move(session, delta)
    opened, sent = check_in_through(client, printed, session)
    assert opened.status_code == 200 and sent.status_code == 200
    assert "Terima kasih" in sent.content.decode()
    assert Attendance.objects.filter(session=session).count() == 1


def test_a_poster_printed_before_a_move_to_tomorrow_checks_in_tomorrow_not_today(client):
    session = SessionFactory()
    printed = poster_path(session)
    session = move(session, timedelta(days=1))
    # Today, by the old times, check-in would be open; by the new times it opens tomorrow.
    response = client.get(printed)
    assert response.status_code == 403
    assert response.context["error"].code == "not_open_yet"
    assert "belum dibuka" in response.content.decode()
    # Tomorrow, inside the new window, the same printed URL checks in.
    tomorrow = session.starts_at + timedelta(minutes=5)
    assert tokens.verify_checkin_token(session, tokens.poster_token(session), now=tomorrow)
    checkin.check_session_accepts(session, now=tomorrow)
    assert tokens.poster_token(session) == printed.split("t=")[1]


def test_the_poster_is_refused_with_the_right_reason_after_the_new_window(client):
    session = SessionFactory()
    printed = poster_path(session)
    session = move(session, timedelta(days=-1))
    response = client.get(printed)
    assert response.status_code == 410
    assert response.context["error"].code == "window_closed"


def test_a_change_of_venue_keeps_the_poster(client):
    session = SessionFactory()
    printed = poster_path(session)
    session.venue = "Masjid Al-Ikhlas RW 19"
    session.save()
    _opened, sent = check_in_through(client, printed, session)
    assert sent.status_code == 200


def test_the_whatsapp_image_and_the_qr_files_carry_the_same_lasting_pass(client, session_in_own_area):
    session = session_in_own_area.session
    before = tokens.poster_checkin_url(session)
    login(client, session_in_own_area, "own_officer")
    url, data = edit(session)
    data.update(
        starts_at=(timezone.localtime(session.starts_at) + timedelta(minutes=10)).strftime("%Y-%m-%d %H:%M")
    )
    assert client.post(url, data).status_code == 302
    session = Session.objects.get(pk=session.pk)
    assert session.starts_at != session_in_own_area.session.starts_at
    # The poster, the PNG/SVG and the WhatsApp image all encode this URL: unchanged by the move.
    assert tokens.poster_checkin_url(session) == before


def test_invalidating_makes_old_posters_stop_with_a_clear_message_and_is_recorded(
    client, session_in_own_area
):
    session = session_in_own_area.session
    printed = poster_path(session)
    login(client, session_in_own_area, "own_officer")
    confirm = client.get(f"/admin/events/sessions/{session.pk}/invalidate-qr/")
    assert "Semua poster yang sudah dicetak" in confirm.content.decode()
    response = client.post(f"/admin/events/sessions/{session.pk}/invalidate-qr/")
    assert response.status_code == 302
    session = Session.objects.get(pk=session.pk)
    assert session.pass_generation == 2
    entry = ModelLogEntry.objects.get(action=sessions.PASSES_INVALIDATED)
    assert entry.object_id == str(session.pk) and entry.user_id == session_in_own_area.own_officer.pk
    client.logout()
    refused = client.get(printed)
    assert refused.status_code == 410
    assert refused.context["error"].code == "revoked_token"
    assert "sudah ditarik oleh petugas" in refused.content.decode()
    assert CheckinRefusal.objects.get(session=session).reason == "revoked_token"
    # The new poster works.
    _opened, sent = check_in_through(client, poster_path(session), session)
    assert sent.status_code == 200


def test_the_history_names_the_invalidation_in_indonesian(client, session_in_own_area):
    session = session_in_own_area.session
    login(client, session_in_own_area, "own_officer")
    client.post(f"/admin/events/sessions/{session.pk}/invalidate-qr/")
    history = client.get(f"/admin/events/sessions/history/{session.pk}/").content.decode()
    assert "Kode QR cetak dinonaktifkan" in history


def test_the_projector_keeps_rotating_after_an_invalidation(officer):
    session = SessionFactory()
    shown_at = timezone.now()
    old_rotating = tokens.rotating_token(session, now=shown_at)
    sessions.invalidate_printed_passes(session, officer)
    with pytest.raises(errors.CheckinError) as refused:
        tokens.verify_checkin_token(session, old_rotating, now=shown_at)
    assert refused.value.code == "revoked_token"
    new_rotating = tokens.rotating_token(session, now=shown_at)
    assert tokens.verify_checkin_token(session, new_rotating, now=shown_at + timedelta(seconds=30)).rotating
    with pytest.raises(errors.CheckinError) as expired:
        tokens.verify_checkin_token(session, new_rotating, now=shown_at + timedelta(seconds=60))
    assert expired.value.code == "expired_token"


def test_a_moved_session_keeps_its_projector_rotation_and_grace():
    session = SessionFactory()
    shown_at = timezone.now()
    token = tokens.rotating_token(session, now=shown_at)
    session = move(session, timedelta(minutes=10))
    assert tokens.verify_checkin_token(session, token, now=shown_at + timedelta(seconds=30)).rotating
    with pytest.raises(errors.CheckinError) as expired:
        tokens.verify_checkin_token(session, token, now=shown_at + timedelta(seconds=60))
    assert expired.value.code == "expired_token"


def test_cancelling_stops_the_poster(client, officer):
    session = SessionFactory()
    printed = poster_path(session)
    sessions.cancel_session(session, officer)
    response = client.get(printed)
    assert response.status_code == 410
    assert response.context["error"].code == "cancelled"


@pytest.mark.parametrize(
    "value",
    [
        "{pk}.g2",  # a generation the session never had, signed by someone who knows the format only
        "{pk}.g1.notaslot",
        "{other}.g1",
    ],
)
def test_forged_passes_are_refused(client, value):
    session, other = SessionFactory(), SessionFactory()
    forged = signing.Signer(salt="not-the-salt").sign(value.format(pk=session.pk, other=other.pk))
    response = client.get(f"/sesi/{session.pk}/hadir/?t={forged}")
    assert response.status_code == 403
    assert response.context["error"].code == "bad_token"


def test_a_future_generation_is_refused_as_forged_even_when_well_signed():
    session = SessionFactory()
    ahead = signing.Signer(salt="events.checkin").sign(f"{session.pk}.g7")
    with pytest.raises(errors.CheckinError) as refused:
        tokens.verify_checkin_token(session, ahead)
    assert refused.value.code == "bad_token"


def test_posters_printed_before_passes_named_generations_still_work_until_invalidated(officer):
    session = SessionFactory()
    # The old form named the window's opening minute in hex.
    legacy = signing.Signer(salt="events.checkin").sign(
        f"{session.pk}.{format(int(session.checkin_opens_at.timestamp()) // 60, 'x')}"
    )
    session = move(session, timedelta(minutes=10))
    assert not tokens.verify_checkin_token(session, legacy).rotating
    sessions.invalidate_printed_passes(session, officer)
    with pytest.raises(errors.CheckinError) as refused:
        tokens.verify_checkin_token(session, legacy)
    assert refused.value.code == "revoked_token"
