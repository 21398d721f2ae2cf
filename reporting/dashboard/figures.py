"""The dashboard's figures: one function per panel, scoped to the user.

Those who see everything (superusers, the national monitors, and the supervisors of a deployment's
only office) read the figures worked out for everyone per area by the task worker
(reporting.dashboard.summary): one query for the whole page, whatever the number of tips, with the
moment they were worked out (`as_of`). Other scopes (an office of several, a region, an officer's
areas, sessions and assigned tips) are asked live, one query per panel, each result kept in the
shared cache for CACHE_SECONDS under the user's scope (an office's supervisors share one copy, as do
a region's monitors; each officer has their own). Times are counted in the office's zone (WIB): a
month is a WIB month.
"""

import datetime

from django.core.cache import cache
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from events import scoping as event_scoping
from events.models import Area, Attendance, Session
from offices import scoping as office_scoping
from reporting.exports import scoping as export_scoping
from reporting.exports.models import ExportJob
from reporting.referrals.services import clocks
from reporting.tips import scoping as tip_scoping
from reporting.tips.models import Tip
from reporting.tips.services.tips import FINAL_STATUSES

from . import summary
from .counting import (
    HELD,
    TIP_AGES,
    TREND_MONTHS,
    add_months,
    attendee_aggregates,
    month_start,
    office_date,
    office_zone,
    open_tip_aggregates,
)

CACHE_SECONDS = 60


def scope_of(user):
    """Whose cached figures these are (offices.scoping.cache_scope): supervisors of one office share."""
    everything = event_scoping.manages_all_areas(user) and tip_scoping.sees_every_tip(user)
    return office_scoping.cache_scope(user, everything=everything)


def cached(name, user, compute, today):
    key = f"dashboard:v1:{name}:{scope_of(user)}:{today.isoformat()}"
    return cache.get_or_set(key, compute, CACHE_SECONDS)


def _today(today):
    return today or timezone.localdate(timezone=office_zone())


def sees_everything(user, every):
    """Does `user` see every object of the deployment that a panel counts (`every`:
    event_scoping.EVERY_SESSION or tip_scoping.EVERY_TIP)? Superusers and the national monitors do;
    so does a supervisor (who holds `every`) when their office is the deployment's only one. The
    summary is per area, so a scope of one office among several is asked live instead."""
    if office_scoping.monitors_all_offices(user):
        return True
    office_id = office_scoping.office_id_of(user)
    return (
        office_scoping.sees_every(user, every)
        and office_id is not None
        and office_id == office_scoping.only_office_id()
    )


def summarised(user, every, today=None):
    """The figures worked out for everyone (summary.Snapshot) when `user` sees everything the panel
    counts (sees_everything) and the day asked is today; else None (the panel asks live)."""
    if not sees_everything(user, every):
        return None
    now = timezone.now()
    if today is not None and today != office_date(now):
        return None
    return summary.current(now)


def as_of(user, every):
    """When the figures `user` sees were worked out, and whether the worker is late: None when live."""
    snapshot = summarised(user, every)
    if snapshot is None:
        return None
    return {"moment": timezone.localtime(snapshot.computed_at, office_zone()), "late": snapshot.is_late()}


# --- sessions and attendance ---------------------------------------------------------------------


def trend(user, today=None):
    """Sessions held and attendees per month over the last TREND_MONTHS months, this month last."""
    snapshot = summarised(user, event_scoping.EVERY_SESSION, today)
    today = _today(today)
    if snapshot is not None:
        by_month = snapshot.over()["trend"]
        first = add_months(month_start(today), -(TREND_MONTHS - 1))
        months = [add_months(first, index).date() for index in range(TREND_MONTHS)]
        return [
            {"month": month, "sessions": held[0], "attendees": held[1]}
            for month, held in ((month, by_month.get(month.isoformat(), (0, 0))) for month in months)
        ]

    def compute():
        first = add_months(month_start(today), -(TREND_MONTHS - 1))
        # Each session's attendees counted on its own (an index-only count on attendance.session),
        # then summed per month: joining a year of attendances (half a million rows at a national
        # office) and sorting them by month took about 1.2 s; this takes about 0.15 s.
        attendees = (
            Attendance.objects.filter(session=OuterRef("pk"))
            .order_by()
            .values("session")
            .annotate(n=Count("*"))  # not Count("pk"): reading the id would visit every row
            .values("n")
        )
        rows = (
            event_scoping.counted_sessions_for(user)
            .filter(status__in=HELD, starts_at__gte=first, starts_at__lte=timezone.now())
            .annotate(
                month=TruncMonth("starts_at", tzinfo=office_zone()),
                attendee_count=Coalesce(Subquery(attendees, output_field=IntegerField()), 0),
            )
            .values("month")
            .annotate(sessions=Count("pk"), attendees=Sum("attendee_count"))
            .order_by("month")
        )
        by_month = {row["month"].date().replace(day=1): row for row in rows}
        months = []
        for index in range(TREND_MONTHS):
            month = add_months(first, index).date()
            row = by_month.get(month, {})
            months.append(
                {"month": month, "sessions": row.get("sessions", 0), "attendees": row.get("attendees", 0)}
            )
        return months

    return cached("trend", user, compute, today)


def attendees_this_month(user, today=None):
    """This month's attendees in the user's sessions: in all, by gender and by age group."""
    snapshot = summarised(user, event_scoping.EVERY_SESSION, today)
    today = _today(today)

    def compute():
        aggregates = attendee_aggregates()
        start = month_start(today)
        return Attendance.objects.filter(
            session__in=event_scoping.counted_sessions_for(user).filter(status__in=HELD),
            session__starts_at__gte=start,
            session__starts_at__lt=add_months(start, 1),
        ).aggregate(**aggregates)

    if snapshot is not None:
        counted = snapshot.over()["attendees"]
        figures = {name: counted.get(name, 0) for name in attendee_aggregates()}
    else:
        figures = cached("attendees", user, compute, today)
    return {
        "total": figures["total"],
        "gender": [(label, figures[f"gender_{code}"]) for code, label in Attendance.Gender.choices],
        "age_group": [(label, figures[f"age_{code}"]) for code, label in Attendance.AgeGroup.choices],
    }


def per_area(user, today=None):
    """Per area the user covers, this month: sessions held, attendees, tips received."""
    snapshot = summarised(user, event_scoping.EVERY_SESSION, today)
    today = _today(today)
    if snapshot is not None:
        return [
            {
                "pk": pk,
                "name": name,
                "sessions": figures["sessions"],
                "attendees": figures["attendees"].get("total", 0),
                "tips": sum(n for _category, _status, n in figures["tips"]),
            }
            for pk, name, figures in snapshot.per_area()
        ]

    def compute():
        start = month_start(today)
        end = add_months(start, 1)
        in_month = Q(starts_at__gte=start, starts_at__lt=end, status__in=HELD)

        def count(queryset):
            counted = queryset.order_by().values("area").annotate(n=Count("pk")).values("n")
            return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

        sessions = Session.objects.filter(in_month, area=OuterRef("pk"))
        attendees = Attendance.objects.filter(
            session__area=OuterRef("pk"),
            session__starts_at__gte=start,
            session__starts_at__lt=end,
            session__status__in=HELD,
        )
        tips = Tip.objects.filter(area=OuterRef("pk"), created_at__gte=start, created_at__lt=end)
        attendee_count = attendees.order_by().values("session__area").annotate(n=Count("pk")).values("n")
        rows = (
            event_scoping.areas_for(user)
            .annotate(
                sessions_held=count(sessions),
                attendee_count=Coalesce(Subquery(attendee_count, output_field=IntegerField()), 0),
                tip_count=count(tips),
            )
            .order_by("name")
            .values_list("pk", "name", "sessions_held", "attendee_count", "tip_count")
        )
        keys = ("pk", "name", "sessions", "attendees", "tips")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    return cached("per-area", user, compute, today)


def per_office(user, today=None):
    """Per office the user follows (the national and regional monitors), this month: areas and Desa
    Binaan Imigrasi, sessions held, attendees, tips received and tips still open. One query."""
    today = _today(today)

    def compute():
        start = month_start(today)
        end = add_months(start, 1)

        def count(queryset, field):
            counted = queryset.order_by().values(field).annotate(n=Count("*")).values("n")
            return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

        areas = Area.objects.filter(office=OuterRef("pk"))
        sessions = Session.objects.filter(
            area__office=OuterRef("pk"), starts_at__gte=start, starts_at__lt=end, status__in=HELD
        )
        attendees = Attendance.objects.filter(
            session__area__office=OuterRef("pk"),
            session__starts_at__gte=start,
            session__starts_at__lt=end,
            session__status__in=HELD,
        )
        tips = Tip.objects.filter(office=OuterRef("pk"))
        rows = (
            office_scoping.offices_for(user)
            .annotate(
                area_count=count(areas, "office"),
                dbi_count=count(areas.filter(is_desa_binaan=True), "office"),
                sessions_held=count(sessions, "area__office"),
                attendee_count=count(attendees, "session__area__office"),
                tip_count=count(tips.filter(created_at__gte=start, created_at__lt=end), "office"),
                open_tip_count=count(tips.exclude(status__in=FINAL_STATUSES), "office"),
            )
            .order_by("region__name", "name")
            .values_list(
                "pk",
                "name",
                "region__name",
                "area_count",
                "dbi_count",
                "sessions_held",
                "attendee_count",
                "tip_count",
                "open_tip_count",
            )
        )
        keys = ("pk", "name", "region", "areas", "dbi", "sessions", "attendees", "tips", "open_tips")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    return cached("per-office", user, compute, today)


# --- tips ----------------------------------------------------------------------------------------


def tips_this_month(user, today=None):
    """This month's tips by category and status (a category × status table)."""
    snapshot = summarised(user, tip_scoping.EVERY_TIP, today)
    today = _today(today)

    def compute():
        start = month_start(today)
        rows = (
            tip_scoping.counted_tips_for(user)
            .filter(created_at__gte=start, created_at__lt=add_months(start, 1))
            .order_by()
            .values("category", "status")
            .annotate(n=Count("pk"))
        )
        return [(row["category"], row["status"], row["n"]) for row in rows]

    if snapshot is not None:
        cells = [tuple(cell) for cell in snapshot.over()["tips"]]
    else:
        cells = cached("tips", user, compute, today)
    statuses = list(Tip.Status.choices)
    table = []
    for code, label in Tip.Category.choices:
        counts = [
            sum(n for category, status, n in cells if category == code and status == s) for s, _l in statuses
        ]
        table.append({"label": label, "counts": counts, "total": sum(counts)})
    return {
        "statuses": [label for _code, label in statuses],
        "rows": table,
        "total": sum(row["total"] for row in table),
        "status_totals": [sum(row["counts"][i] for row in table) for i in range(len(statuses))],
    }


def service_levels():
    """The service levels (working days per step and category) the overdue count is measured
    against, read once per cache period for every user."""
    return cache.get_or_set("dashboard:v1:service-levels", clocks.service_levels, CACHE_SECONDS)


def open_tips(user, today=None):
    """The open tips the user may see: in all, unassigned, overdue (a deadline passed: first triage,
    feedback to the reporter, or an agency's acknowledgement or outcome), and how long they have been
    waiting."""
    snapshot = summarised(user, tip_scoping.EVERY_TIP, today)
    today = _today(today)

    def compute():
        aggregates = open_tip_aggregates(service_levels(), today, timezone.now())
        # The cases the open tips are in (reporting.tips.related): counted once each, whatever areas
        # their tips are in.
        aggregates["cases"] = Count("case", distinct=True)
        return tip_scoping.counted_tips_for(user).exclude(status__in=FINAL_STATUSES).aggregate(**aggregates)

    if snapshot is not None:
        counted = snapshot.over()["open"]
        names = ("total", "unassigned", "overdue", "cases", "in_cases")
        figures = {name: counted.get(name, 0) for name in names}
        figures.update({f"age_{index}": counted.get(f"age_{index}", 0) for index in range(len(TIP_AGES))})
    else:
        figures = cached("open-tips", user, compute, today)
    return {
        "total": figures["total"],
        "unassigned": figures["unassigned"],
        "overdue": figures["overdue"],
        "cases": figures["cases"],
        "in_cases": figures["in_cases"],
        "ages": [(low, high, figures[f"age_{index}"]) for index, (low, high) in enumerate(TIP_AGES)],
    }


# --- exports -------------------------------------------------------------------------------------


def exports_waiting(user, today=None):
    """Export jobs queued or running, and those that failed in the last week, of this user's scope."""
    today = _today(today)

    def compute():
        week_ago = timezone.now() - datetime.timedelta(days=7)
        return export_scoping.export_jobs_for(user).aggregate(
            queued=Count("pk", filter=Q(status=ExportJob.Status.QUEUED)),
            running=Count("pk", filter=Q(status=ExportJob.Status.RUNNING)),
            failed=Count("pk", filter=Q(status=ExportJob.Status.FAILED, created_at__gte=week_ago)),
        )

    return cached("exports", user, compute, today)


# --- publishing ----------------------------------------------------------------------------------


def recent_publishing(user, today=None, limit=8):
    """The pages published most recently, with who published them (for editors)."""
    from wagtail.models import PageLogEntry

    today = _today(today)

    def compute():
        entries = (
            PageLogEntry.objects.filter(action="wagtail.publish", page__isnull=False)
            .select_related("page", "user")
            .order_by("-timestamp")[:limit]
        )
        return [
            {
                "page_id": entry.page_id,
                "title": entry.page.title,
                "when": entry.timestamp,
                "by": (entry.user.get_full_name() or entry.user.get_username()) if entry.user else "",
            }
            for entry in entries
        ]

    return cache.get_or_set(f"dashboard:v1:publishing:{today.isoformat()}", compute, CACHE_SECONDS)
