"""What every installation needs for referrals (run by `manage.py setup`, safe to run again): a service
level row per tip category (with the defaults, for supervisors to edit) and the daily escalation run."""

from django_q.models import Schedule

from pimpasa.schedules import ensure_schedule, tomorrow_at
from reporting.models import Tip
from reporting.tips.services import deadlines

from .models import ServiceLevel

ESCALATION_SCHEDULE = "reporting: e-mail overdue items to supervisors, remind agencies"
ESCALATION_TASK = "reporting.tips.services.escalation.escalate"
# 07:00 in Jakarta: the digest is waiting when the office opens.
ESCALATION_HOUR = 7


def ensure(stdout):
    for category in Tip.Category.values:
        ServiceLevel.objects.get_or_create(
            category=category,
            defaults={f"{kind}_days": days for kind, days in deadlines.DEFAULT_DAYS.items()},
        )
    schedule, created = ensure_schedule(
        ESCALATION_SCHEDULE, ESCALATION_TASK, Schedule.DAILY, first_run=tomorrow_at(ESCALATION_HOUR)
    )
    stdout.write(f"Schedule {'created' if created else 'kept'}: {schedule.name} (daily).")
    return schedule
