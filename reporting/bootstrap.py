"""What every installation of reporting needs: the daily retention run (see services/retention.py)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django_q.models import Schedule

RETENTION_SCHEDULE = "reporting: purge expired tip identities and evidence"
RETENTION_TASK = "reporting.services.retention.purge_expired"


def _next_night():
    """02:00 in Jakarta tomorrow: a quiet hour for the office."""
    jakarta = ZoneInfo("Asia/Jakarta")
    tomorrow = timezone.now().astimezone(jakarta).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(2, 0), tzinfo=jakarta)


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
