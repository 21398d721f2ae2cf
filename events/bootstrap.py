"""What every installation of events needs (run by `manage.py setup`; safe to run again): the daily
run that erases attendees' personal details once their retention is over (services/retention.py)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django_q.models import Schedule

RETENTION_SCHEDULE = "events: erase expired attendee details"
RETENTION_TASK = "events.services.retention.anonymise_expired"


def _next_night():
    """02:30 in Jakarta tomorrow: a quiet hour, apart from reporting's own run at 02:00."""
    jakarta = ZoneInfo("Asia/Jakarta")
    tomorrow = timezone.now().astimezone(jakarta).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(2, 30), tzinfo=jakarta)


def ensure(stdout):
    schedule, created = Schedule.objects.update_or_create(
        name=RETENTION_SCHEDULE,
        defaults={"func": RETENTION_TASK, "schedule_type": Schedule.DAILY, "repeats": -1},
        create_defaults={
            "func": RETENTION_TASK,
            "schedule_type": Schedule.DAILY,
            "repeats": -1,
            "next_run": _next_night(),
        },
    )
    stdout.write(f"Schedule {'created' if created else 'kept'}: {schedule.name} (daily).")
    return schedule
