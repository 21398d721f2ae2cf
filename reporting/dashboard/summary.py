"""The dashboard's figures worked out once for everyone, per area, instead of on each visit.

At a national office's volume (200,000 tips, 20,000 open, a million attendances) the dashboard's
dozen aggregates cost 2-4 s per visit and no single one dominated. `refresh()` computes them all,
grouped by area, in about ten queries, and stores one `AreaFigures` row per area (plus one for the
tips without an area); the task worker runs it every minute (SCHEDULE). A dashboard whose scope is a
set of areas then reads those rows in one query and sums them (`Snapshot.over`): supervisors sum every
row; an office or region is just another set of areas. Officers' scopes are not only areas (the
sessions they are listed on, the tips assigned to them): their figures stay live queries
(reporting.dashboard.figures).

The figures say when they were worked out ("as of 14:02"). Figures of another day are never used (a
new month or a new day moves every deadline), nor figures older than STALE_AFTER: with no summary
(a fresh install) or no worker, the first visit after that computes them itself, so a figure shown is
never a false zero and never older than STALE_AFTER.
"""

import dataclasses
import datetime

from django.core.cache import caches
from django.db import transaction
from django.db.models import Count, IntegerField, Min, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from events.models import Area, Attendance, Session
from pimpasa.schedules import ensure_schedule
from reporting.referrals.services import clocks, overdue
from reporting.tips.models import Tip
from reporting.tips.services.tips import FINAL_STATUSES

from . import counting
from .models import AreaFigures

SCHEDULE = "reporting: dashboard figures"
TASK = "reporting.dashboard.summary.refresh"
CRON = "* * * * *"  # every minute
# Older figures are worked out again by the visit that finds them (the worker is not running).
STALE_AFTER = datetime.timedelta(minutes=10)
# Figures older than this say the task worker has not refreshed them.
LATE_AFTER = datetime.timedelta(minutes=3)
# The deadlines panel's list: the most overdue few (as reporting.referrals.admin_views.DeadlinesPanel).
LISTED = 10
# A refresh read by several panels of one page is read once: kept in this process for a few seconds.
MEMO_SECONDS = 5
MEMO_KEY = "dashboard:summary"


def ensure_schedule_row(stdout=None):
    schedule, created = ensure_schedule(SCHEDULE, TASK, CRON)
    if stdout is not None:
        stdout.write(f"Schedule {'created' if created else 'kept'}: {schedule.name} (every minute).")
    return schedule


@dataclasses.dataclass(frozen=True)
class Snapshot:
    """Every area's figures as of `computed_at`: [(area id or None, area name, figures)]."""

    computed_at: datetime.datetime
    day: datetime.date
    areas: list

    def over(self, area_ids=None):
        """The figures of the areas `area_ids` (None: every row, the tips without an area too)."""
        rows = [row for row in self.areas if area_ids is None or row[0] in area_ids]
        return combine([figures for _pk, _name, figures in rows])

    def per_area(self, area_ids=None):
        """[(area id, name, figures)] of the areas in `area_ids` (None: every area), by name."""
        rows = [row for row in self.areas if row[0] is not None and (area_ids is None or row[0] in area_ids)]
        return sorted(rows, key=lambda row: (row[1], row[0]))

    def age(self, now=None):
        return (now or timezone.now()) - self.computed_at

    def is_late(self, now=None):
        return self.age(now) > LATE_AFTER


# --- reading -------------------------------------------------------------------------------------


def current(now=None):
    """Today's snapshot: the stored one when it is of today and younger than STALE_AFTER, else
    worked out now (and stored). One query when stored."""
    now = now or timezone.now()
    today = counting.office_date(now)
    memo = caches["local"].get(MEMO_KEY)
    if memo is not None and usable(memo, now, today):
        return memo
    snapshot = stored(today)
    if snapshot is None or not usable(snapshot, now, today):
        return refresh(now)
    caches["local"].set(MEMO_KEY, snapshot, MEMO_SECONDS)
    return snapshot


def usable(snapshot, now, today):
    return snapshot.day == today and now - snapshot.computed_at <= STALE_AFTER


def stored(today):
    rows = list(
        AreaFigures.objects.filter(day=today)
        .order_by()
        .values_list("area_id", "area__name", "computed_at", "figures")
    )
    if not rows:
        return None
    # A refresh writes every row with one moment. Two refreshes at once may both commit their rows
    # (each deletes only the rows it can see): the newest set is read, the next refresh deletes both.
    latest = max(row[2] for row in rows)
    return Snapshot(
        computed_at=latest,
        day=today,
        areas=[(pk, name or "", figures) for pk, name, at, figures in rows if at == latest],
    )


# --- working them out ----------------------------------------------------------------------------


def refresh(now=None):
    """Work out every area's figures as of `now` and replace the stored rows with them (one
    transaction: a reader sees the old rows or the new, never a mix; stored() reads only the newest
    set if two refreshes ran at once). Safe to run again or twice at once. Returns the Snapshot."""
    now = now or timezone.now()
    today = counting.office_date(now)
    by_area = compute(now)
    names = dict(Area.objects.values_list("pk", "name"))
    with transaction.atomic():
        AreaFigures.objects.all().delete()
        AreaFigures.objects.bulk_create(
            AreaFigures(area_id=pk, day=today, computed_at=now, figures=figures)
            for pk, figures in by_area.items()
        )
    snapshot = Snapshot(
        computed_at=now,
        day=today,
        areas=[(pk, names.get(pk, ""), figures) for pk, figures in by_area.items()],
    )
    caches["local"].set(MEMO_KEY, snapshot, MEMO_SECONDS)
    return snapshot


def empty_figures():
    return {
        "trend": {},  # "YYYY-MM-01": [sessions held, attendees], months with any only
        "attendees": {},  # this month: "total", "gender_<code>", "age_<code>"
        "sessions": 0,  # held this month
        "tips": [],  # this month: [category, status, n]
        "open": {},  # "total", "unassigned", "in_cases", "cases", "overdue", "age_<index>"
        "deadlines": {"overdue_count": 0, "due_soon_count": 0, "overdue": []},
    }


def compute(now):
    """{area id (None: no area): figures} as of `now`, every area present: ten queries."""
    today = counting.office_date(now)
    start = counting.month_start(today)
    end = counting.add_months(start, 1)
    areas = {pk: empty_figures() for pk in Area.objects.values_list("pk", flat=True)}
    areas[None] = empty_figures()

    def of(pk):
        return areas.setdefault(pk, empty_figures())

    # Sessions held and their attendees per month: each session's attendees counted on its own (an
    # index-only count), then summed per area and month.
    first = counting.add_months(start, -(counting.TREND_MONTHS - 1))
    attendees = (
        Attendance.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(n=Count("*"))
        .values("n")
    )
    trend = (
        Session.objects.filter(status__in=counting.HELD, starts_at__gte=first, starts_at__lte=now)
        .annotate(
            month=TruncMonth("starts_at", tzinfo=counting.office_zone()),
            attendee_count=Coalesce(Subquery(attendees, output_field=IntegerField()), 0),
        )
        .order_by()
        .values("area", "month")
        .annotate(sessions=Count("pk"), attendees=Sum("attendee_count"))
    )
    for row in trend:
        month = row["month"].date().replace(day=1).isoformat()
        of(row["area"])["trend"][month] = [row["sessions"], row["attendees"] or 0]

    # This month's attendees by gender and age group, and the sessions held this month.
    aggregates = counting.attendee_aggregates()
    month_attendees = (
        Attendance.objects.filter(
            session__status__in=counting.HELD, session__starts_at__gte=start, session__starts_at__lt=end
        )
        .order_by()
        .values("session__area")
        .annotate(**aggregates)
    )
    for row in month_attendees:
        of(row.pop("session__area"))["attendees"] = row
    sessions = (
        Session.objects.filter(status__in=counting.HELD, starts_at__gte=start, starts_at__lt=end)
        .order_by()
        .values("area")
        .annotate(n=Count("pk"))
    )
    for row in sessions:
        of(row["area"])["sessions"] = row["n"]

    # This month's tips by category and status.
    tips = (
        Tip.objects.filter(created_at__gte=start, created_at__lt=end)
        .order_by()
        .values("area", "category", "status")
        .annotate(n=Count("pk"))
    )
    for row in tips.order_by("area", "category", "status"):
        of(row["area"])["tips"].append([row["category"], row["status"], row["n"]])

    # Open tips: in all, unassigned, overdue, by how long they have waited.
    levels = clocks.service_levels()
    open_tips = Tip.objects.exclude(status__in=FINAL_STATUSES)
    counted = open_tips.order_by().values("area").annotate(**counting.open_tip_aggregates(levels, today, now))
    for row in counted:
        of(row.pop("area"))["open"] = row
    # Each case with open tips counts once, in the first of its tips' areas: summed over every area,
    # no case spanning two areas is counted twice.
    case_areas = open_tips.filter(case__isnull=False).order_by().values("case").annotate(area=Min("area"))
    for row in case_areas:
        counts = of(row["area"])["open"]
        counts["cases"] = counts.get("cases", 0) + 1

    # Deadlines: overdue and due-soon clocks, and each area's most overdue few.
    for pk, found in overdue.summary_by_area(
        overdue.open_tips_of(Tip.objects.all()), levels, today, LISTED
    ).items():
        of(pk)["deadlines"] = {
            "overdue_count": found["overdue_count"],
            "due_soon_count": found["due_soon_count"],
            "overdue": sorted(
                (overdue_row(tip, clock) for tip, clock in found["overdue"]),
                key=lambda row: (row["due_on"], row["started_on"], row["tip_pk"], row["kind"]),
            ),
        }
    return areas


def overdue_row(tip, clock):
    """What the deadlines panel shows of one overdue clock (no tip text, no reporter)."""
    return {
        "tip_pk": str(tip.pk),
        "short_id": tip.short_id,
        "area": tip.area.name if tip.area else "",
        "kind": clock.kind,
        "started_on": clock.started_on.isoformat(),
        "due_on": clock.due_on.isoformat(),
        "state": clock.state,
        "agency": clock.referral.agency.name if clock.referral else "",
    }


# --- summing a scope ------------------------------------------------------------------------------


def combine(parts):
    """The figures of several areas as one: counts summed, the deadlines' lists merged."""
    total = empty_figures()
    cells = {}
    overdue_rows = []
    for figures in parts:
        for month, (sessions, attendees) in figures["trend"].items():
            held = total["trend"].setdefault(month, [0, 0])
            held[0] += sessions
            held[1] += attendees
        for name in ("attendees", "open"):
            for key, value in figures[name].items():
                total[name][key] = total[name].get(key, 0) + value
        total["sessions"] += figures["sessions"]
        for category, status, n in figures["tips"]:
            cells[(category, status)] = cells.get((category, status), 0) + n
        deadlines = figures["deadlines"]
        total["deadlines"]["overdue_count"] += deadlines["overdue_count"]
        total["deadlines"]["due_soon_count"] += deadlines["due_soon_count"]
        overdue_rows += deadlines["overdue"]
    total["tips"] = sorted([category, status, n] for (category, status), n in cells.items())
    overdue_rows.sort(key=lambda row: (row["due_on"], row["started_on"], row["tip_pk"], row["kind"]))
    total["deadlines"]["overdue"] = overdue_rows[:LISTED]
    return total
