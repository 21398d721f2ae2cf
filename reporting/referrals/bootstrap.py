"""What every installation needs for referrals (run by `manage.py setup`, safe to run again): a service
level row per tip category (with the defaults, for supervisors to edit) and the daily escalation run."""

from pimpasa.schedules import ensure_schedule
from reporting.tips.models import Tip

from .models import DEFAULT_SERVICE_DAYS, ServiceLevel

ESCALATION_SCHEDULE = "reporting: e-mail overdue items to supervisors, remind agencies"
ESCALATION_TASK = "reporting.referrals.services.escalation.escalate"
# Daily at 07:00 WIB (cron, read in the office's time zone): the digest is waiting when the office opens.
ESCALATION_CRON = "0 7 * * *"


def ensure(stdout):
    for category in Tip.Category.values:
        ServiceLevel.objects.get_or_create(
            category=category,
            defaults={f"{kind}_days": days for kind, days in DEFAULT_SERVICE_DAYS.items()},
        )
    schedule, created = ensure_schedule(ESCALATION_SCHEDULE, ESCALATION_TASK, ESCALATION_CRON)
    stdout.write(f"Schedule {'created' if created else 'kept'}: {schedule.name} (daily).")
    return schedule
