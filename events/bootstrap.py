"""What every installation of events needs (run by `manage.py setup`; safe to run again): the daily
run that erases attendees' personal details once their retention is over (services/retention.py)."""

from pimpasa.schedules import ensure_schedule

RETENTION_SCHEDULE = "events: erase expired attendee details"
RETENTION_TASK = "events.services.retention.anonymise_expired"


def ensure(stdout):
    # Daily at 02:30 WIB: a quiet hour, apart from reporting's own run at 02:00.
    schedule, created = ensure_schedule(RETENTION_SCHEDULE, RETENTION_TASK, "30 2 * * *")
    stdout.write(f"Schedule {'created' if created else 'kept'}: {schedule.name} (daily).")
    return schedule
