"""What the dashboard counts and over which periods, shared by its live figures (figures.py, one
user's scope) and the figures worked out for everyone per area (summary.py). Times are counted in the
office's zone (WIB): a month is a WIB month."""

import datetime
import zoneinfo

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from events.models import Attendance, Session
from reporting.referrals.services import clocks

TREND_MONTHS = 12
HELD = [Session.Status.SCHEDULED, Session.Status.ONGOING, Session.Status.FINISHED]
# How old an open tip is, in days: [lower, upper) bounds of each bucket; None is open-ended.
TIP_AGES = [(0, 3), (3, 8), (8, 31), (31, None)]


def office_zone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def office_date(moment):
    return timezone.localtime(moment, office_zone()).date()


def month_start(day):
    return datetime.datetime.combine(day.replace(day=1), datetime.time.min, tzinfo=office_zone())


def add_months(moment, months):
    month = moment.month - 1 + months
    return moment.replace(year=moment.year + month // 12, month=month % 12 + 1)


def attendee_aggregates():
    """Attendees in all, by gender and by age group (Count()s for one aggregate query)."""
    aggregates = {"total": Count("pk")}
    for code, _label in Attendance.Gender.choices:
        aggregates[f"gender_{code}"] = Count("pk", filter=Q(gender=code))
    for code, _label in Attendance.AgeGroup.choices:
        aggregates[f"age_{code}"] = Count("pk", filter=Q(age_group=code))
    return aggregates


def open_tip_aggregates(levels, today, now):
    """Open tips in all, unassigned, in a case, overdue (a deadline passed: first triage, feedback to the
    reporter, or an agency's acknowledgement or outcome) and by how long they have waited."""
    aggregates = {
        "total": Count("pk"),
        "unassigned": Count("pk", filter=Q(assigned_to__isnull=True)),
        "overdue": Count("pk", filter=clocks.overdue_filter(levels, today)),
        # Open tips grouped into a case (reporting.tips.related; the case is in the covering index).
        "in_cases": Count("pk", filter=Q(case__isnull=False)),
    }
    for index, (low, high) in enumerate(TIP_AGES):
        older = Q(created_at__lte=now - datetime.timedelta(days=low))
        if high is not None:
            older &= Q(created_at__gt=now - datetime.timedelta(days=high))
        aggregates[f"age_{index}"] = Count("pk", filter=older)
    return aggregates
