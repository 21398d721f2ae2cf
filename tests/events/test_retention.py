import io
from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import Schedule

from events import bootstrap
from events.services.retention import anonymise_expired
from tests.factories import AttendanceFactory, GuestFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_personal_details_are_erased_after_retention_statistics_stay(settings):
    settings.PIMPASA_ATTENDANCE_RETENTION_DAYS = 30
    now = timezone.now()
    old = SessionFactory(starts_at=now - timedelta(days=40))
    recent = SessionFactory(starts_at=now - timedelta(days=10))
    expired = AttendanceFactory(session=old, name="Siti", address="Jl. Kamal 1", gender="f", rw="17")
    kept = AttendanceFactory(session=recent, name="Budi")
    guest = GuestFactory(session=old, phone="+6281234567890")

    assert anonymise_expired(now) == 1
    expired.refresh_from_db()
    kept.refresh_from_db()
    guest.refresh_from_db()
    assert (expired.name, expired.phone, expired.address) == ("", "", "")
    assert (expired.gender, expired.rw, expired.source) == ("f", "17", "self")
    assert kept.name == "Budi" and kept.phone
    assert (guest.name, guest.phone) == ("", "")
    assert anonymise_expired(now) == 0  # nothing left to erase


def test_setup_schedules_the_daily_run_once():
    bootstrap.ensure(io.StringIO())
    bootstrap.ensure(io.StringIO())
    schedule = Schedule.objects.get(name=bootstrap.RETENTION_SCHEDULE)
    assert schedule.func == "events.services.retention.anonymise_expired"
    assert (schedule.schedule_type, schedule.cron) == (Schedule.CRON, "30 2 * * *")
