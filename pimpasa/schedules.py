"""django-q schedules are rows: each app's bootstrap creates its own through here, idempotently."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django_q.models import Schedule

OFFICE_TIME_ZONE = ZoneInfo("Asia/Jakarta")


def ensure_schedule(name, func, schedule_type, *, first_run):
    """Create the schedule once; run again, correct what it calls and how often, never its next run."""
    schedule, created = Schedule.objects.get_or_create(
        name=name,
        defaults={"func": func, "schedule_type": schedule_type, "next_run": first_run, "repeats": -1},
    )
    if not created and (schedule.func, schedule.schedule_type, schedule.repeats) != (func, schedule_type, -1):
        schedule.func, schedule.schedule_type, schedule.repeats = func, schedule_type, -1
        schedule.save(update_fields=["func", "schedule_type", "repeats"])
    return schedule, created


def tomorrow_at(hour, minute=0):
    """Tomorrow at this hour in the office's time zone (Jakarta): when a nightly run first starts."""
    tomorrow = timezone.now().astimezone(OFFICE_TIME_ZONE).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(hour, minute), tzinfo=OFFICE_TIME_ZONE)
