"""Staff sessions (the only sessions: the public pages keep nothing in one) end after
PIMPASA_SESSION_HOURS; an hourly task deletes the expired rows, which Django itself never does."""

from importlib import import_module

from django.conf import settings

from pimpasa.schedules import ensure_schedule

CLEAR_SCHEDULE = "pimpasa: delete expired sessions"
CLEAR_TASK = "pimpasa.sessions.clear_expired"


def clear_expired():
    """What `manage.py clearsessions` does, as a task: delete the sessions past their expiry."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()


def ensure_schedule_exists(stdout):
    schedule, created = ensure_schedule(CLEAR_SCHEDULE, CLEAR_TASK, "10 * * * *")
    stdout.write(f"Schedule {'created' if created else 'kept'}: {schedule.name} (hourly).")
    return schedule
