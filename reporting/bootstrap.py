"""What every installation of reporting needs (run by `manage.py setup`; safe to run again):
the daily retention run (see services/retention.py) and the export schedules."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django_q.models import Schedule

from reporting.exports.schedules import ensure_schedules

RETENTION_SCHEDULE = "reporting: purge expired tip identities and evidence"
RETENTION_TASK = "reporting.services.retention.purge_expired"


def _next_night():
    """02:00 in Jakarta tomorrow: a quiet hour for the office."""
    jakarta = ZoneInfo("Asia/Jakarta")
    tomorrow = timezone.now().astimezone(jakarta).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(2, 0), tzinfo=jakarta)


def ensure(stdout):
    ensure_schedules(stdout)
    return ensure_retention_schedule(stdout)


def ensure_retention_schedule(stdout):
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
