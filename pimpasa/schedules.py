"""django-q schedules are rows: each app's bootstrap creates its own through here, idempotently.

Every schedule is a cron expression read in the office's time zone (django-q evaluates it with
croniter in settings.TIME_ZONE, Asia/Jakarta): "0 6 1 * *" is the 1st of every month at 06:00 WIB,
whatever the length of the month before. (django-q's MONTHLY adds a month to the last run and drifts
after a short month: 1 Jan, 1 Feb, 1 Mar, then 29 Mar, 29 Apr.)
"""

from datetime import datetime

from croniter import croniter
from django.utils import timezone
from django_q.models import Schedule

OFFICE_TIME_ZONE = "Asia/Jakarta"
DAILY_AT_2 = "0 2 * * *"


def next_cron_run(cron, after=None):
    """When `cron` fires next after `after` (now by default), in the office's time zone."""
    after = timezone.localtime(after or timezone.now(), timezone.get_default_timezone())
    return croniter(cron, after).get_next(datetime)


def ensure_schedule(name, func, cron):
    """Create the schedule once. Run again, correct what it calls and when; a schedule whose cron is
    unchanged keeps its next run (an operator may have moved it)."""
    schedule, created = Schedule.objects.get_or_create(
        name=name,
        defaults={
            "func": func,
            "schedule_type": Schedule.CRON,
            "cron": cron,
            "next_run": next_cron_run(cron),
            "repeats": -1,
        },
    )
    if created:
        return schedule, created
    wanted = (func, Schedule.CRON, cron, -1)
    if (schedule.func, schedule.schedule_type, schedule.cron, schedule.repeats) != wanted:
        timing_changed = (schedule.schedule_type, schedule.cron) != (Schedule.CRON, cron)
        schedule.func, schedule.schedule_type, schedule.cron, schedule.repeats = wanted
        if timing_changed:
            schedule.next_run = next_cron_run(cron)
        schedule.save()
    return schedule, created
