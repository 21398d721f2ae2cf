"""Races on both databases (SQLite in WAL mode, as `make run` uses it, and PostgreSQL): many phones
submitting at once, each thread on its own connection."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from events.models import Attendance, CheckinRefusal
from events.services import checkin, consent, errors, field
from tests.factories import SessionFactory

pytestmark = [pytest.mark.django_db(transaction=True)]


def in_own_connection(function):
    def run(*args):
        try:
            return function(*args)
        finally:
            connection.close()  # each worker thread opened its own; give it back

    return run


def attempt(session, phone, nonce="", name="Peserta"):
    try:
        details = checkin.AttendeeDetails(name=name, phone=phone, gender="f", age_group="26-35", rw="17")
        return checkin.perform_checkin(
            session, details, consent=consent.consent_on_form(), nonce=nonce
        ).created
    except errors.CheckinError as error:
        return error.code


def test_fifty_concurrent_submits_of_one_phone_make_exactly_one_row():
    session = SessionFactory()
    with ThreadPoolExecutor(max_workers=25) as pool:
        results = list(pool.map(in_own_connection(lambda _: attempt(session, "+6281234567890")), range(50)))
    assert Attendance.objects.filter(session=session).count() == 1
    assert results.count(True) == 1
    assert results.count("already_checked_in") == 49
    assert CheckinRefusal.objects.get(session=session, reason="already_checked_in").count == 49


def test_fifty_concurrent_double_taps_of_one_form_all_get_the_first_answer():
    session = SessionFactory()
    with ThreadPoolExecutor(max_workers=25) as pool:
        results = list(
            pool.map(in_own_connection(lambda _: attempt(session, "+6281234567890", "one-form")), range(50))
        )
    assert Attendance.objects.filter(session=session).count() == 1
    assert results.count(True) == 1 and results.count(False) == 49


# The typo-level spellings of one person that a hurried family might send at once from two phones'
# browsers sharing one number: the name check runs under the per-phone lock, so only one row is made.
# Every pair is within one letter of each other: whichever spelling wins the race, the others match
# it ("Siti Aminha" and "Sitti Aminah" are two letters apart, so which one came first would decide).
ONE_PERSON_SPELLED = [
    "Siti Aminah",
    "siti aminah",
    "SITI AMINAH.",
    "Siti Aminha",
    "Siti  Aminah",
]


def test_concurrent_typo_variants_of_one_person_on_one_phone_make_exactly_one_row():
    session = SessionFactory()
    names = ONE_PERSON_SPELLED * 5
    with ThreadPoolExecutor(max_workers=15) as pool:
        results = list(
            pool.map(in_own_connection(lambda name: attempt(session, "+6281234567890", name=name)), names)
        )
    assert Attendance.objects.filter(session=session).count() == 1
    assert results.count(True) == 1
    assert results.count("already_checked_in") == len(names) - 1


def test_a_family_checking_in_at_once_on_one_phone_are_all_recorded_once():
    session = SessionFactory()
    family = ["Siti Aminah", "Dewi Lestari", "Ahmad Fauzi", "Rina Marlina", "Budi", "Rudi"]
    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(
            pool.map(
                in_own_connection(lambda name: attempt(session, "+6281234567890", name=name)), family * 3
            )
        )
    assert results.count(True) == len(family)
    assert sorted(Attendance.objects.filter(session=session).values_list("name", flat=True)) == sorted(family)


def test_five_hundred_concurrent_distinct_attendees_make_exactly_five_hundred_rows():
    session = SessionFactory()
    phones = [f"+62812{n:08d}" for n in range(500)]
    with ThreadPoolExecutor(max_workers=40) as pool:
        results = list(pool.map(in_own_connection(lambda phone: attempt(session, phone)), phones))
    assert results.count(True) == 500
    assert Attendance.objects.filter(session=session).count() == 500
    assert Attendance.objects.filter(session=session).values("phone").distinct().count() == 500


def test_capacity_holds_under_concurrency():
    session = SessionFactory(capacity=20)
    phones = [f"+62813{n:08d}" for n in range(60)]
    with ThreadPoolExecutor(max_workers=30) as pool:
        results = list(pool.map(in_own_connection(lambda phone: attempt(session, phone)), phones))
    assert Attendance.objects.filter(session=session).count() == 20
    assert results.count("capacity_full") == 40


def test_twenty_concurrent_syncs_of_one_field_entry_make_exactly_one_row():
    # A doubled Background Sync and the page's own send, many times over: one row, all "recorded".
    import uuid

    from pimpasa.roles import OFFICER, ensure_roles
    from tests.factories import UserFactory

    ensure_roles()
    officer = UserFactory(role=OFFICER)
    session = SessionFactory()  # no cap, so no row lock: the threads race to the constraint itself
    client_id = uuid.uuid4()
    details = checkin.AttendeeDetails(name="Mbah Sarinah", gender="f", age_group="gt60", rw="3")

    def sync(_):
        return field.send_entry(session, officer, client_id=client_id, details=details, consent=True).status

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(in_own_connection(sync), range(20)))
    assert results == ["recorded"] * 20
    assert Attendance.objects.filter(session=session, client_id=client_id).count() == 1
