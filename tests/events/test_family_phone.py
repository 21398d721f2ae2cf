"""One phone, one family: several people check in with one number; the same person only once."""

import pytest
from django.db import IntegrityError, transaction

from events.models import Attendance
from events.services import checkin as checkin_service
from events.services import consent, errors
from events.services.people import person_key, same_person
from tests.events.test_checkin_views import open_form, submit
from tests.events.test_field_mode import post_sync, statuses, walk_in
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


PHONE = "+6281234567890"


@pytest.mark.parametrize(
    "name, other",
    [
        ("Siti Aminah", "siti aminah"),
        ("Siti Aminah", "  SITI   AMINAH. "),
        ("Siti Aminah", "Siti-Aminah"),
        ("Siti Aminah", "SitiAminah"),
        ("Siti Aminah", "Siti Aminha"),  # two letters swapped
        ("Siti Aminah", "Siti Amina"),  # one letter missing
        ("Siti Aminah", "Sitti Aminah"),  # one letter added
        ("Siti Aminah", "Siti Aninah"),  # one letter changed
        ("Nur'aini", "Nuraini"),
        ("Dédé Sunarya", "Dede Sunarya"),
    ],
)
def test_typo_level_variations_are_the_same_person(name, other):
    assert same_person(person_key(name), person_key(other))


@pytest.mark.parametrize(
    "name, other",
    [
        ("Budi", "Rudi"),  # short names: one letter is another name
        ("Siti Aminah", "Dewi Aminah"),
        ("Siti Aminah", "Siti"),
        ("Siti Aminah", "Siti Aminah Putri"),
        ("Ahmad Fauzi", "Ahmad Fauzan"),  # two letters apart
    ],
)
def test_other_family_members_are_other_people(name, other):
    assert not same_person(person_key(name), person_key(other))


def checkin(session, name, **extra):
    details = checkin_service.AttendeeDetails(name=name, phone=PHONE, gender="f", age_group="26-35")
    return checkin_service.perform_checkin(session, details, consent=consent.consent_on_form(), **extra)


def test_a_family_on_one_phone_are_all_recorded_and_each_only_once():
    session = SessionFactory()
    mother = checkin(session, "Siti Aminah").attendance
    checkin(session, "Dewi Lestari")
    checkin(session, "Budi")
    checkin(session, "Rudi")
    for again in ("siti aminah", "Siti Aminha", "DEWI LESTARI", "Budi."):
        with pytest.raises(errors.CheckinError) as refused:
            checkin(session, again)
        assert refused.value.code == "already_checked_in"
    with pytest.raises(errors.CheckinError) as refused:
        checkin(session, "Siti  Aminah")
    assert refused.value.attendance == mother
    assert sorted(Attendance.objects.values_list("name", flat=True)) == [
        "Budi",
        "Dewi Lestari",
        "Rudi",
        "Siti Aminah",
    ]


def test_the_database_keeps_one_row_per_phone_and_name_key():
    session = SessionFactory()
    first = checkin(session, "Siti Aminah").attendance
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(
            session=session,
            name="SITI AMINAH",
            name_key="sitiaminah",
            phone=PHONE,
            gender="f",
            age_group="26-35",
            source="self",
            checked_in_at=first.checked_in_at,
        )


def test_self_check_in_of_two_people_on_one_phone_from_one_opened_form(client):
    session = SessionFactory()
    form_pass = open_form(client, session)
    mother = submit(client, session, form_pass, name="Siti Aminah")
    son = submit(client, session, form_pass, name="Ahmad Fauzi", gender="m", age_group="18-25")
    again = submit(client, session, open_form(client, session), name="siti aminah")
    assert (mother.status_code, son.status_code, again.status_code) == (200, 200, 409)
    assert "Terima kasih" in son.content.decode()
    body = again.content.decode()
    assert "Orang ini sudah tercatat hadir" in body and "dengan namanya sendiri" in body
    assert Attendance.objects.filter(session=session, phone=PHONE).count() == 2


def test_a_family_of_eight_on_one_phone_is_not_held_back_by_the_phone_limit(client):
    session = SessionFactory()
    names = [
        "Siti Aminah",
        "Dewi Lestari",
        "Ahmad Fauzi",
        "Rina Marlina",
        "Budi",
        "Rudi",
        "Nenek Ijah",
        "Agus",
    ]
    codes = [submit(client, session, open_form(client, session), name=name).status_code for name in names]
    assert codes == [200] * 8
    # Each of them pressing send once more is still answered, not refused as a flood.
    codes = [submit(client, session, open_form(client, session), name=name).status_code for name in names]
    assert codes == [409] * 8


def test_the_officers_walk_in_with_the_familys_number(officer):
    session = SessionFactory()
    checkin(session, "Siti Aminah")
    nenek = checkin_service.AttendeeDetails(
        name="Nenek Ijah", phone="0812 3456 7890", gender="f", age_group="gt60"
    )
    walk = checkin_service.add_walk_in(session, officer, nenek, consent=True)
    assert walk.created and walk.attendance.phone == PHONE
    with pytest.raises(errors.CheckinError) as refused:
        siti = checkin_service.AttendeeDetails(
            name="SITI AMINAH", phone="0812-3456-7890", gender="f", age_group="26-35"
        )
        checkin_service.add_walk_in(session, officer, siti, consent=True)
    assert refused.value.code == "already_checked_in"


def test_the_walk_in_form_on_the_run_page_records_a_second_person_of_the_number(client, officer):
    session = SessionFactory(officers=[officer])
    checkin(session, "Siti Aminah")
    client.force_login(officer)
    data = {
        "walkin-name": "Ahmad Fauzi",
        "walkin-phone": "0812 3456 7890",
        "walkin-gender": "m",
        "walkin-age_group": "18-25",
        "walkin-consent": "on",
    }
    response = client.post(f"/admin/events/sessions/{session.pk}/walk-in/", data)
    assert response.status_code == 302
    assert Attendance.objects.filter(session=session, phone=PHONE).count() == 2


def test_field_mode_records_a_family_on_one_phone_and_answers_the_same_person_already(
    client, session_in_own_area
):
    session = session_in_own_area.session
    checkin(session, "Siti Aminah")
    client.force_login(session_in_own_area.own_officer)
    daughter = walk_in("Dewi Lestari", phone="0812 3456 7890")
    mother_again = walk_in("siti aminah", phone="0812 3456 7890")
    response = post_sync(client, session, [daughter, mother_again])
    assert statuses(response) == [(daughter["client_id"], "recorded"), (mother_again["client_id"], "already")]
    assert response.json()["results"][1]["name"] == "Siti Aminah"


def test_correcting_a_name_keeps_its_key(officer):
    session = SessionFactory()
    attendance = checkin(session, "Sitti").attendance
    checkin_service.correct_attendance(attendance, officer, name="Siti Aminah")
    assert Attendance.objects.get(pk=attendance.pk).name_key == "sitiaminah"
    with pytest.raises(errors.CheckinError):
        checkin(session, "SITI AMINAH")
