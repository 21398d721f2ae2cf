"""Calendar files are written by icalendar: whatever a title or venue holds survives a round trip."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from events.models import Session
from tests.factories import AreaFactory, SessionFactory

pytestmark = pytest.mark.django_db

NASTY_TITLE = "Ngopi\r\nBARIS:palsu; RW 17, \\ Kampung «Sukamaju» — sosialisasi " + "panjang " * 12


def fetch(client, session):
    response = client.get(f"/sesi/{session.pk}/kalender.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content


def test_every_character_of_the_title_and_venue_round_trips(client):
    session = SessionFactory(title=NASTY_TITLE, venue="Balai; Warga, RW\r17", area=AreaFactory(name="Benda"))
    raw = fetch(client, session)
    # No line of the file is longer than 75 octets and none ends in a bare CR or LF.
    lines = raw.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert all(b"\r" not in line and b"\n" not in line for line in lines)
    assert not any(line.startswith(b"BARIS:") for line in lines)  # the injected "property" stays text
    event = Calendar.from_ical(raw).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == NASTY_TITLE.replace("\r\n", "\n")
    assert str(event["LOCATION"]).startswith("Balai; Warga, RW")
    assert str(event["UID"]) == f"session-{session.pk}@pimpasa"


def test_times_are_utc_and_a_cancelled_public_session_says_so(client):
    starts = datetime(2030, 1, 5, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    session = SessionFactory(starts_at=starts, status=Session.Status.CANCELLED)
    event = Calendar.from_ical(fetch(client, session)).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == datetime(2030, 1, 5, 2, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2030, 1, 5, 4, 0, tzinfo=UTC)
    assert str(event["STATUS"]) == "CANCELLED"


@pytest.mark.parametrize("fields", [{"status": Session.Status.DRAFT}, {"is_public": False}])
def test_drafts_and_internal_sessions_have_no_calendar_file(client, fields):
    session = SessionFactory(**fields)
    assert client.get(f"/sesi/{session.pk}/kalender.ics").status_code == 404
