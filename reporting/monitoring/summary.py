"""The quarter's figures worked out once for everyone, per area, instead of on each visit.

At a national office's volume (200,000 tips, 33,000 of them in a quarter, a million attendances) the
monitoring page's figures cost 1.4-2.6 s per visit: the deadlines alone read every tip and referral of
the quarter and judge each on the office's working-day calendar in Python. `refresh()` works out the
quarter with figures.collect, grouped per area of every office, and stores one `QuarterFigures` row
per area (and one per office for its tips without an area). The task worker refreshes this quarter
and the one before every five minutes (SCHEDULE): the ones everybody reads, and the last quarter's
deadlines still run out. A page reads the rows of its offices in one query and sums them per office
(an office is the sum of its areas; a region or the nation, of its offices).

The figures say when they were worked out ("as of 14:05"). Figures of another day are never used
(a new day moves every running deadline), nor figures older than STALE_AFTER: an older quarter
nobody refreshes, a fresh install or a stopped worker, the first visit after that works them out
itself. The quarterly workbook is made by the worker from the live figures (report.quarter_tables).
"""

import dataclasses
import datetime

from django.db import transaction
from django.utils import timezone

from offices.models import Office
from pimpasa.schedules import ensure_schedule

from . import figures as queries
from .models import QuarterFigures
from .quarters import Quarter, zone

SCHEDULE = "reporting: monitoring figures"
TASK = "reporting.monitoring.summary.refresh"
CRON = "*/5 * * * *"  # every five minutes
REFRESH_MINUTES = 5
# Figures older than this say the task worker has not refreshed them (two runs missed).
LATE_AFTER = datetime.timedelta(minutes=12)
# Older figures are worked out again by the visit that finds them.
STALE_AFTER = datetime.timedelta(minutes=30)


def ensure_schedule_row(stdout=None):
    schedule, created = ensure_schedule(SCHEDULE, TASK, CRON)
    if stdout is not None:
        stdout.write(f"Schedule {'created' if created else 'kept'}: {schedule.name} (every 5 minutes).")
    return schedule


def refreshed_by_worker(today=None):
    """The quarters the worker keeps fresh: this one and the one before."""
    quarter = Quarter.current(today)
    return [quarter, quarter.previous()]


@dataclasses.dataclass(frozen=True)
class Snapshot:
    """A quarter's figures as of `computed_at`: {(office id, area id or None): Figures}."""

    quarter: Quarter
    computed_at: datetime.datetime
    day: datetime.date
    areas: dict

    def per_area(self, office_ids):
        """{(office id, area id or None): Figures} of the offices `office_ids` (figures.per_area's keys)."""
        wanted = set(office_ids)
        return {key: found for key, found in self.areas.items() if key[0] in wanted}

    def per_office(self, office_ids):
        """{(office id,): Figures} of the offices `office_ids` (figures.per_office's keys)."""
        parts = {}
        for (office_id, _area_id), found in self.per_area(office_ids).items():
            parts.setdefault((office_id,), []).append(found)
        return {key: queries.combine(found) for key, found in parts.items()}

    # What the page says about them (templates/reporting/monitoring/as_of.html).

    @property
    def moment(self):
        return self.computed_at

    @property
    def refreshed_by_worker(self):
        return self.quarter in refreshed_by_worker(self.day)

    @property
    def late(self):
        return self.refreshed_by_worker and timezone.now() - self.computed_at > LATE_AFTER

    refresh_minutes = REFRESH_MINUTES
    stale_minutes = int(STALE_AFTER.total_seconds() // 60)


def for_quarter(quarter, now=None):
    """The quarter's stored figures when they are of today and younger than STALE_AFTER, else worked
    out now (and stored). One query when stored."""
    now = now or timezone.now()
    snapshot = stored(quarter)
    if snapshot is None or not usable(snapshot, now):
        return store(quarter, now)
    return snapshot


def usable(snapshot, now):
    return snapshot.day == _office_day(now) and now - snapshot.computed_at <= STALE_AFTER


def stored(quarter):
    rows = list(
        QuarterFigures.objects.filter(quarter=quarter.key)
        .order_by()
        .values_list("office_id", "area_id", "day", "computed_at", "figures")
    )
    if not rows:
        return None
    # A refresh writes every row of its quarter with one moment; two at once may both commit theirs
    # (each deletes only the rows it can see): the newest set is read, the next refresh deletes both.
    latest = max(row[3] for row in rows)
    return Snapshot(
        quarter=quarter,
        computed_at=latest,
        day=next(row[2] for row in rows if row[3] == latest),
        areas={
            (office_id, area_id): queries.Figures.from_data(data)
            for office_id, area_id, _day, at, data in rows
            if at == latest
        },
    )


def store(quarter, now=None):
    """Work out the quarter's figures of every office as of `now` and replace its stored rows with
    them (one transaction: a reader sees the old rows or the new, never a mix). Returns the Snapshot."""
    now = now or timezone.now()
    day = _office_day(now)
    office_ids = list(Office.objects.values_list("pk", flat=True))
    found = queries.collect(queries.per_area(office_ids), quarter, day)
    for office_id in office_ids:
        found.setdefault((office_id, None), queries.Figures())
    with transaction.atomic():
        QuarterFigures.objects.filter(quarter=quarter.key).delete()
        QuarterFigures.objects.bulk_create(
            QuarterFigures(
                quarter=quarter.key,
                office_id=office_id,
                area_id=area_id,
                day=day,
                computed_at=now,
                figures=one.to_data(),
            )
            for (office_id, area_id), one in found.items()
        )
    return Snapshot(quarter=quarter, computed_at=now, day=day, areas=found)


def refresh():
    """The task: work out again the quarters the worker keeps fresh."""
    now = timezone.now()
    for quarter in refreshed_by_worker(_office_day(now)):
        store(quarter, now)


def _office_day(now):
    return timezone.localtime(now, zone()).date()
