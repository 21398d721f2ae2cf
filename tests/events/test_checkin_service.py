"""perform_checkin and its refusals, the window, tokens (signature, rotation, grace), phones, audit."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from events.models import Attendance, CheckinRefusal, Session
from events.services import checkin as checkin_service
from events.services import consent, errors, sessions, tokens
from tests.factories import AttendanceFactory, GuestFactory, SessionFactory

pytestmark = pytest.mark.django_db

PERSON = {"name": "Siti Aminah", "gender": "f", "age_group": "26-35", "rw": "17"}
WALK_IN = {"gender": "f", "age_group": "gt60", "rw": "19"}


def refusals(session):
    return dict(CheckinRefusal.objects.filter(session=session).values_list("reason", "count"))


def checkin(session, phone="+6281234567890", name=PERSON["name"], **extra):
    extra.setdefault("consent", consent.consent_on_form())
    details = checkin_service.AttendeeDetails(**{**PERSON, "name": name, "phone": phone})
    return checkin_service.perform_checkin(session, details, **extra)


def walk_in(session, officer, name, **details):
    details = checkin_service.AttendeeDetails(name=name, **{**WALK_IN, **details})
    return checkin_service.add_walk_in(session, officer, details, consent=True)


def test_self_checkin_records_one_row_with_consent_time_and_its_own_trail():
    session = SessionFactory()
    result = checkin(session, nonce="form-1")
    assert result.created
    attendance = Attendance.objects.get()
    assert attendance.source == Attendance.Source.SELF_SCAN
    assert attendance.consent_at == attendance.checked_in_at
    assert attendance.nonce == "form-1" and attendance.added_by is None
    # The row is the record of a resident's own check-in; officers' actions go to the audit log.
    assert not ModelLogEntry.objects.exists()


def test_officer_checkins_are_audited_without_personal_data(officer):
    session = SessionFactory()
    attendance = walk_in(session, officer, "Siti Aminah", phone="0812 3456 7890").attendance
    entry = ModelLogEntry.objects.get(action="events.checkin")
    assert entry.object_id == str(session.pk) and entry.user_id == officer.pk
    assert entry.data == {"attendance": attendance.pk, "source": "officer"}
    assert "Siti" not in str(entry.data) and "+62" not in str(entry.data)


@pytest.mark.parametrize(
    "opens_in, closes_in, expected",
    [
        (timedelta(minutes=31), None, "not_open_yet"),
        (None, timedelta(minutes=-31), "window_closed"),
    ],
)
def test_outside_the_window_is_refused_and_counted(opens_in, closes_in, expected):
    now = timezone.now()
    if opens_in:  # starts 61 minutes from now; the window opens 30 minutes before the start
        session = SessionFactory(starts_at=now + opens_in + timedelta(minutes=30))
    else:  # ended 61 minutes ago; the window closes 30 minutes after the end
        session = SessionFactory(
            starts_at=now - timedelta(hours=3), ends_at=now + closes_in - timedelta(minutes=30)
        )
    with pytest.raises(errors.CheckinError) as refused:
        checkin(session)
    assert refused.value.code == expected
    assert refusals(session) == {expected: 1}
    assert not Attendance.objects.exists()


def test_window_edges_follow_the_per_session_settings():
    start = timezone.now().replace(microsecond=0) + timedelta(hours=5)
    session = SessionFactory(
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        checkin_opens_minutes_before=15,
        checkin_closes_minutes_after=5,
    )
    assert checkin_service.window_state(session, start - timedelta(minutes=16)) == "not_open_yet"
    assert checkin_service.window_state(session, start - timedelta(minutes=15)) == "open"
    assert checkin_service.window_state(session, start + timedelta(minutes=65)) == "open"
    assert checkin_service.window_state(session, start + timedelta(minutes=65, seconds=1)) == "window_closed"


@pytest.mark.parametrize(
    "status, code",
    [(Session.Status.CANCELLED, "cancelled"), (Session.Status.DRAFT, "not_published")],
)
def test_cancelled_and_draft_sessions_refuse(status, code):
    session = SessionFactory(status=status)
    with pytest.raises(errors.CheckinError) as refused:
        checkin(session)
    assert refused.value.code == code
    assert refusals(session) == {code: 1}


def test_capacity_full_refuses_attendees_but_an_officer_can_still_add(officer):
    session = SessionFactory(capacity=1)
    checkin(session, phone="+6281111111111")
    with pytest.raises(errors.CheckinError) as refused:
        checkin(session, phone="+6282222222222")
    assert refused.value.code == "capacity_full"
    walk_in(session, officer, "Nenek Ijah")
    assert session.attendances.count() == 2


def test_same_person_twice_is_already_checked_in_never_a_second_row():
    session = SessionFactory()
    first = checkin(session).attendance
    with pytest.raises(errors.CheckinError) as refused:
        checkin(session, name="siti aminah")
    assert refused.value.code == "already_checked_in"
    assert refused.value.attendance == first
    assert refused.value.status == 409
    assert Attendance.objects.count() == 1
    assert refusals(session) == {"already_checked_in": 1}


def test_same_phone_may_check_in_at_another_session():
    checkin(SessionFactory())
    checkin(SessionFactory())
    assert Attendance.objects.count() == 2


def test_a_resubmitted_form_gets_its_first_answer_again():
    session = SessionFactory()
    first = checkin(session, nonce="abc123")
    again = checkin(session, nonce="abc123")
    assert first.created and not again.created
    assert again.attendance == first.attendance
    assert Attendance.objects.count() == 1
    assert refusals(session) == {}


def test_a_resubmitted_form_gets_its_answer_even_after_the_window_closed():
    session = SessionFactory()
    first = checkin(session, nonce="n1")
    session.ends_at = session.starts_at + timedelta(minutes=1)
    session.checkin_closes_minutes_after = 0
    session.save()
    assert checkin(session, nonce="n1").attendance == first.attendance


def test_refusal_counts_add_up_per_reason():
    session = SessionFactory(status=Session.Status.CANCELLED)
    for _ in range(3):
        with pytest.raises(errors.CheckinError):
            checkin(session)
    assert refusals(session) == {"cancelled": 3}


# Tokens -----------------------------------------------------------------------------------------


def test_poster_token_verifies_for_its_session_only():
    session, other = SessionFactory(), SessionFactory()
    token = tokens.poster_token(session)
    assert not tokens.verify_checkin_token(session, token).rotating
    with pytest.raises(errors.CheckinError) as refused:
        tokens.verify_checkin_token(other, token)
    assert refused.value.code == "bad_token"


@pytest.mark.parametrize(
    "tamper", [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), lambda t: "1" + t, lambda t: ""]
)
def test_forged_or_tampered_token_is_a_bad_token(tamper):
    session = SessionFactory()
    with pytest.raises(errors.CheckinError) as refused:
        tokens.verify_checkin_token(session, tamper(tokens.poster_token(session)))
    assert refused.value.code == "bad_token"
    assert refused.value.status == 403


def test_rescheduling_keeps_the_old_poster():
    session = SessionFactory()
    token = tokens.poster_token(session)
    session.starts_at += timedelta(days=1)
    session.ends_at += timedelta(days=1)
    session.save()
    assert not tokens.verify_checkin_token(session, token).rotating


def test_rotating_token_is_valid_in_its_slot_and_the_next_then_expires(settings):
    settings.PIMPASA_QR_ROTATION_SECONDS = 30
    session = SessionFactory()
    shown_at = timezone.now()
    token = tokens.rotating_token(session, now=shown_at)
    assert tokens.verify_checkin_token(session, token, now=shown_at).rotating
    # Grace: the slot after the one the QR was shown in still accepts it.
    assert tokens.verify_checkin_token(session, token, now=shown_at + timedelta(seconds=30))
    with pytest.raises(errors.CheckinError) as refused:
        tokens.verify_checkin_token(session, token, now=shown_at + timedelta(seconds=60))
    assert refused.value.code == "expired_token"
    assert refused.value.status == 410


def test_rotating_tokens_change_every_slot():
    session = SessionFactory()
    now = timezone.now()
    assert tokens.rotating_token(session, now) != tokens.rotating_token(session, now + timedelta(seconds=30))


def test_form_pass_carries_the_nonce_and_expires(settings):
    session = SessionFactory()
    value = tokens.form_pass(session, "nonce-1")
    assert tokens.verify_form_pass(session, value) == "nonce-1"
    with pytest.raises(errors.CheckinError) as refused:
        tokens.verify_form_pass(SessionFactory(), value)
    assert refused.value.code == "bad_token"
    settings.PIMPASA_CHECKIN_FORM_MINUTES = -1
    with pytest.raises(errors.CheckinError) as refused:
        tokens.verify_form_pass(session, value)
    assert refused.value.code == "expired_token"


def test_checkin_urls_use_the_configured_public_address(settings):
    settings.PIMPASA_PUBLIC_URL = "https://pimpasa.example.id"
    session = SessionFactory()
    assert tokens.poster_checkin_url(session).startswith(
        f"https://pimpasa.example.id/sesi/{session.pk}/hadir/?t="
    )


# Officer tools ------------------------------------------------------------------------------------


def test_walk_in_without_phone_is_added_and_audited(officer):
    session = SessionFactory(starts_at=timezone.now() + timedelta(days=3))  # window not open: officers may
    result = walk_in(session, officer, "Nenek Ijah")
    assert result.attendance.source == Attendance.Source.OFFICER
    assert result.attendance.added_by == officer
    assert ModelLogEntry.objects.get(action="events.checkin").user_id == officer.pk
    # Two walk-ins without phones are two people, not a duplicate.
    walk_in(session, officer, "Kakek Udin", gender="m")
    assert session.attendances.count() == 2


def test_correct_attendance_logs_the_field_names_not_the_values(officer):
    attendance = AttendanceFactory(name="Sitti", rw="71")
    checkin_service.correct_attendance(attendance, officer, name="Siti", rw="17", phone="0812 0000 1111")
    attendance.refresh_from_db()
    assert (attendance.name, attendance.rw, attendance.phone) == ("Siti", "17", "+6281200001111")
    entry = ModelLogEntry.objects.get(action="events.attendance_corrected")
    assert sorted(entry.data["fields"]) == ["name", "phone", "rw"]
    assert "Siti" not in str(entry.data)


def test_correcting_into_a_person_already_there_is_refused(officer):
    session = SessionFactory()
    first = AttendanceFactory(session=session, phone="+6281111111111", name="Siti Aminah")
    other = AttendanceFactory(session=session, phone="+6282222222222", name="Budi")
    with pytest.raises(errors.CheckinError) as refused:
        checkin_service.correct_attendance(other, officer, phone="081111111111", name="SITI AMINAH")
    assert refused.value.code == "already_checked_in" and refused.value.attendance == first


def test_remove_attendance_is_audited(officer):
    attendance = AttendanceFactory()
    removed_pk, session_pk = attendance.pk, attendance.session_id
    checkin_service.remove_attendance(attendance, officer)
    assert not Attendance.objects.exists()
    entry = ModelLogEntry.objects.get(action="events.attendance_removed")
    assert (entry.user_id, entry.object_id) == (officer.pk, str(session_pk))
    assert entry.data["attendance"] == removed_pk


def test_session_moves_through_its_states_and_refuses_wrong_moves(officer):
    session = SessionFactory()
    sessions.start_session(session, officer)
    assert session.status == "ongoing"
    with pytest.raises(ValidationError):
        sessions.cancel_session(session, officer)
    sessions.finish_session(session, officer)
    assert Session.objects.get().status == "finished"
    sessions.save_minutes(session, officer, "  Dibahas: modus perekrutan ilegal.  ")
    assert Session.objects.get().minutes == "Dibahas: modus perekrutan ilegal."
    actions = set(ModelLogEntry.objects.values_list("action", flat=True))
    assert {"events.session_start", "events.session_finish", "events.minutes_saved"} <= actions


def test_attendance_totals_by_gender_age_group_and_rw(django_assert_num_queries):
    session = SessionFactory()
    AttendanceFactory(session=session, gender="f", age_group="18-25", rw="17")
    AttendanceFactory(session=session, gender="f", age_group="gt60", rw="19")
    AttendanceFactory(session=session, gender="m", age_group="18-25", rw="17")
    with django_assert_num_queries(1):
        totals = sessions.attendance_totals(session)
    assert totals["total"] == 3
    assert {str(label): n for label, n in totals["gender"]} == {"Perempuan": 2, "Laki-laki": 1}
    assert dict(totals["rw"]) == {"17": 2, "19": 1}
    assert sum(n for _, n in totals["age_group"]) == 3


# Tickets ----------------------------------------------------------------------------------------


def test_ticket_checks_the_guest_in_once(officer):
    guest = GuestFactory()
    session = guest.session
    token = tokens.ticket_token(guest)
    first = checkin_service.checkin_ticket(session, officer, token)
    assert first.created and first.attendance.guest == guest
    assert first.attendance.source == Attendance.Source.TICKET
    again = checkin_service.checkin_ticket(session, officer, f"  {token} ")
    assert not again.created and again.attendance == first.attendance


def test_a_forged_or_foreign_ticket_is_refused(officer):
    guest = GuestFactory()
    other_session = SessionFactory()
    for value in ("not-a-ticket", tokens.ticket_token(guest)):
        with pytest.raises(errors.CheckinError) as refused:
            checkin_service.checkin_ticket(other_session, officer, value)
        assert refused.value.code == "bad_ticket"
    assert refusals(other_session) == {"bad_ticket": 2}


def test_a_resubmitted_form_gets_its_answer_even_when_the_session_has_filled_up():
    session = SessionFactory(capacity=1)
    first = checkin(session, nonce="n1")
    assert checkin(session, nonce="n1").attendance == first.attendance
    assert refusals(session) == {}
