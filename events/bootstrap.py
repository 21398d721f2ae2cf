"""What every installation of events needs (run by `manage.py setup`; safe to run again): the daily
run that erases attendees' personal details once their retention is over (services/retention.py)."""

from django_q.models import Schedule

from pimpasa.schedules import ensure_schedule, tomorrow_at

RETENTION_SCHEDULE = "events: erase expired attendee details"
RETENTION_TASK = "events.services.retention.anonymise_expired"


def ensure(stdout):
    # 02:30 in Jakarta: a quiet hour, apart from reporting's own run at 02:00.
    schedule, created = ensure_schedule(
        RETENTION_SCHEDULE, RETENTION_TASK, Schedule.DAILY, first_run=tomorrow_at(2, 30)
    )
    stdout.write(f"Schedule {'created' if created else 'kept'}: {schedule.name} (daily).")
    return schedule
