"""What every installation of reporting needs (run by `manage.py setup`; safe to run again):
the daily retention run (see services/retention.py) and the export schedules."""

from django_q.models import Schedule

from pimpasa.schedules import ensure_schedule, tomorrow_at
from reporting.exports.schedules import ensure_schedules
from reporting.referrals import bootstrap as referral_bootstrap

RETENTION_SCHEDULE = "reporting: purge expired tip identities and evidence"
RETENTION_TASK = "reporting.services.retention.purge_expired"


def ensure(stdout):
    ensure_schedules(stdout)
    referral_bootstrap.ensure(stdout)
    return ensure_retention_schedule(stdout)


def ensure_retention_schedule(stdout):
    # 02:00 in Jakarta: a quiet hour for the office.
    schedule, created = ensure_schedule(
        RETENTION_SCHEDULE, RETENTION_TASK, Schedule.DAILY, first_run=tomorrow_at(2)
    )
    stdout.write(f"Schedule {'created' if created else 'kept'}: {schedule.name} (daily).")
    return schedule
