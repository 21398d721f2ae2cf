"""The "Where" page's figures: tips, sessions or attendees per area (or per RW of one area) and per
month or week, in a fixed number of queries whatever the number of areas, scoped to the user
(pimpasa.scoping). Counts of tips are passed through pimpasa.suppression before anyone sees them.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import Trunc
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events import scoping as event_scoping
from events.models import AreaBoundary, Attendance
from events.services.rws import NO_RW, rw_key, rw_keys
from pimpasa import suppression
from reporting.tips import scoping as tip_scoping

from .figures import HELD, add_months, month_start, office_zone

PERIODS = 12
MEASURES = {
    "tips": gettext_lazy("Tips"),
    "sessions": gettext_lazy("Sessions held"),
    "attendees": gettext_lazy("Attendees"),
}
GRAINS = {"month": gettext_lazy("Months"), "week": gettext_lazy("Weeks")}


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # the last day, inclusive
    label: str


def periods(grain, today):
    """The last PERIODS months or weeks (Monday to Sunday), the current one last."""
    if grain == "week":
        monday = today - datetime.timedelta(days=today.weekday())
        starts = [monday - datetime.timedelta(weeks=PERIODS - 1 - index) for index in range(PERIODS)]
        return [
            Period(start, start + datetime.timedelta(days=6), formats.date_format(start, "j M"))
            for start in starts
        ]
    first = add_months(month_start(today), -(PERIODS - 1))
    result = []
    for index in range(PERIODS):
        start = add_months(first, index).date()
        end = add_months(first, index + 1).date() - datetime.timedelta(days=1)
        result.append(Period(start, end, formats.date_format(start, "M y")))
    return result


@dataclass
class Row:
    key: object  # an area's pk, or an RW
    label: str
    counts: list
    area_id: int | None = None
    rw: str | None = None


def bounds(grain, today):
    spans = periods(grain, today)
    zone = office_zone()
    start = datetime.datetime.combine(spans[0].start, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        spans[-1].end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return spans, start, min(end, timezone.now() + datetime.timedelta(days=1))


def grouped(queryset, moment, by, grain):
    """{(group, period's first day): count} of `queryset`, in one query."""
    rows = (
        queryset.order_by()
        .annotate(period=Trunc(moment, grain, tzinfo=office_zone()))
        .values(by, "period")
        .annotate(n=Count("pk"))
        .values_list(by, "period", "n")
    )
    counted = {}
    for group, period, n in rows:
        day = period.date() if isinstance(period, datetime.datetime) else period
        counted[(group, day)] = counted.get((group, day), 0) + n
    return counted


def table(user, measure="tips", grain="month", area=None, today=None):
    """Rows (areas, or the RWs of `area`) by periods of `measure`; a fixed number of queries."""
    today = today or timezone.localdate(timezone=office_zone())
    spans, start, end = bounds(grain, today)
    areas = event_scoping.areas_for(user)
    if measure == "tips":
        records = tip_scoping.tips_for(user).filter(created_at__gte=start, created_at__lt=end, area__in=areas)
        moment = "created_at"
    elif measure == "attendees":
        sessions = event_scoping.sessions_for(user).filter(status__in=HELD, starts_at__lte=timezone.now())
        records = Attendance.objects.filter(
            session__in=sessions, session__starts_at__gte=start, session__starts_at__lt=end
        )
        moment = "session__starts_at"
    else:
        records = event_scoping.sessions_for(user).filter(
            status__in=HELD, starts_at__gte=start, starts_at__lt=end, starts_at__lte=timezone.now()
        )
        moment = "starts_at"
    starts = [span.start for span in spans]
    if area is None:
        by = "session__area" if measure == "attendees" else "area"
        counted = grouped(records, moment, by, grain)
        rows = [
            Row(pk, name, [counted.get((pk, day), 0) for day in starts], area_id=pk)
            for pk, name in areas.order_by("name").values_list("pk", "name")
        ]
    else:
        rows = rw_rows(records, measure, moment, area, grain, starts)
    return spans, rows


def rw_rows(records, measure, moment, area, grain, starts):
    """The RWs of one area: tips and attendees by the RW written on them; sessions by each RW they
    target (a session for RW 17 and 19 counts in both)."""
    if measure == "sessions":
        counted = {}
        sessions = records.filter(area=area).annotate(period=Trunc(moment, grain, tzinfo=office_zone()))
        for text, period in sessions.values_list("target_rws", "period"):
            for key in rw_keys(text):
                counted[(key, period.date())] = counted.get((key, period.date()), 0) + 1
    else:
        field = "session__area" if measure == "attendees" else "area"
        raw = grouped(records.filter(**{field: area}), moment, "rw", grain)
        counted = {}
        for (rw, day), n in raw.items():
            counted[(rw_key(rw), day)] = counted.get((rw_key(rw), day), 0) + n
    keys = sorted({key for key, _day in counted}, key=lambda key: (key == NO_RW, key))
    return [
        Row(
            key,
            _("RW %(rw)s") % {"rw": key} if key != NO_RW else _("(no RW)"),
            [counted.get((key, day), 0) for day in starts],
            area_id=area.pk,
            rw=key,
        )
        for key in keys
    ]


def shown(rows, measure, margins=None):
    """What to show of each row's counts, its total and the totals: suppressed for tips (they leave
    the tip's scope: the page is a picture shared in meetings), as they are otherwise."""
    counts = [row.counts for row in rows]
    if measure == "tips":
        return suppression.suppress_table(counts, margins=margins)
    return suppression.suppress_table(counts, limit=0)


def area_margins(user, measure, grain, area, today=None):
    """What the areas' table shows of `area`'s row (each period's state, then its total's), which
    its RWs' table keeps as its totals: the RWs add up to the area, so showing them all where the
    areas' table hid the area's count would give that count back. One more query."""
    if measure != "tips":
        return None
    _spans, rows = table(user, measure, grain, None, today)
    areas = shown(rows, measure)
    for row, cells, total in zip(rows, areas.cells, areas.row_totals, strict=True):
        if row.area_id == area.pk:
            return [cell.state for cell in cells], total.state
    return None


def boundaries(area_ids):
    """{area pk: polygons} of the areas with an uploaded outline, in one query."""
    return dict(AreaBoundary.objects.filter(area_id__in=area_ids).values_list("area_id", "polygons"))
