"""The tips' schedules: the daily retention run (see services/retention.py) and the hourly clean-up of
expired triage drafts (reporting/tips/drafts.py) and of spent reply forms (conversation/access.py), created once by `manage.py setup` and, when run
again, corrected without moving their next run."""

from pimpasa.schedules import ensure_schedule

RETENTION_SCHEDULE = "reporting: purge expired tip identities and evidence"
RETENTION_TASK = "reporting.tips.services.retention.purge_expired"
DRAFTS_SCHEDULE = "reporting: delete expired triage drafts"
DRAFTS_TASK = "reporting.tips.drafts.delete_expired"
SPENT_REPLIES_SCHEDULE = "reporting: forget spent reply forms"
SPENT_REPLIES_TASK = "reporting.tips.conversation.access.forget_spent"


def ensure_schedules(stdout):
    # Daily at 02:00 WIB: a quiet hour for the office.
    schedule, created = ensure_schedule(RETENTION_SCHEDULE, RETENTION_TASK, "0 2 * * *")
    stdout.write(f"Schedule {'created' if created else 'kept'}: {schedule.name} (daily).")
    drafts, created = ensure_schedule(DRAFTS_SCHEDULE, DRAFTS_TASK, "20 * * * *")
    stdout.write(f"Schedule {'created' if created else 'kept'}: {drafts.name} (hourly).")
    spent, created = ensure_schedule(SPENT_REPLIES_SCHEDULE, SPENT_REPLIES_TASK, "40 * * * *")
    stdout.write(f"Schedule {'created' if created else 'kept'}: {spent.name} (hourly).")
    return schedule
