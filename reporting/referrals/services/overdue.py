"""The clocks' rule (reporting.referrals.services.clocks) asked of the database: how many clocks are overdue
or due soon among open tips, and the most overdue few, in a fixed number of queries whatever the
number of tips (the dashboard's deadlines panel; at 20,000 open tips computing each clock in Python
took 26 s).

Within one step and category a clock's last day only moves later with its start, so every state is a
range of start moments: a clock is overdue on `day` when it started before `overdue_cutoff(days,
day)`, and due soon (its last day is `day` or the next working day) when it started before the
cut-off of the second working day after `day` but is not overdue. The cut-offs are worked out here in
Python from the working-day calendar (a handful of days), the counting is done by the database.
"""

import dataclasses
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber

from reporting.referrals.models import Referral
from reporting.tips.models import Tip
from reporting.tips.services import tips as tip_service

from . import clocks, working_days

Kind = clocks.Kind


@dataclass(frozen=True)
class Step:
    """One clock as rows: which rows it runs on (tips or referrals) and when it started."""

    kind: str
    model: type
    started: str  # the field its start moment is in
    category: str  # the path to the tip's category from those rows
    area: str  # the path to the tip's area from those rows


TIP_STEPS = (
    Step(Kind.TRIAGE, Tip, "created_at", "category", "area"),
    Step(Kind.FEEDBACK, Tip, "created_at", "category", "area"),
)
REFERRAL_STEPS = (
    Step(Kind.ACKNOWLEDGE, Referral, "sent_at", "tip__category", "tip__area"),
    Step(Kind.OUTCOME, Referral, "sent_at", "tip__category", "tip__area"),
)


def second_working_day_after(day):
    cursor, found = day, 0
    while found < 2:
        cursor += timedelta(days=1)
        found += working_days.is_working_day(cursor)
    return cursor


def _running(step):
    """The rows of `step` whose clock runs (on open tips, see open_tips below for the scope)."""
    if step.kind == Kind.TRIAGE:
        return Q(status=Tip.Status.RECEIVED)
    if step.kind == Kind.FEEDBACK:
        return Q(first_public_note_at__isnull=True)
    running = Q(revoked_at__isnull=True) & ~Q(outcome__in=Referral.FINAL_OUTCOMES)
    if step.kind == Kind.ACKNOWLEDGE:
        running &= Q(acknowledged_at__isnull=True)
    return running


def _started_before(step, levels, day):
    """The rows of `step` whose clock is overdue on `day`: one start cut-off per category."""
    started_before = Q(pk__in=[])
    for category in Tip.Category.values:
        cutoff = clocks.overdue_cutoff(levels[category].days_for(step.kind), day)
        started_before |= Q(**{step.category: category, f"{step.started}__lt": cutoff})
    return started_before


def _counts(step, levels, day):
    """Count() of the overdue and of the due-soon clocks of `step`, for one aggregate query."""
    running = _running(step)
    overdue = _started_before(step, levels, day)
    soon_or_overdue = _started_before(step, levels, second_working_day_after(day))
    return {
        f"{step.kind}_overdue": Count("pk", filter=running & overdue),
        f"{step.kind}_due_soon": Count("pk", filter=running & soon_or_overdue & ~overdue),
    }


def _referrals_of(open_tips):
    return Referral.objects.filter(tip__in=open_tips.order_by().values("pk"))


def summary(open_tips, levels, day, listed):
    """{"overdue_count", "due_soon_count", "overdue": [(tip, clock), ...]} of the clocks on
    `open_tips` (a queryset of open tips, already scoped), the `listed` most overdue first.

    Four queries for the list, two for the counts, whatever the number of tips."""
    counts = _count_rows(open_tips, levels, day, by_area=False)[None]
    return {**counts, "overdue": most_overdue(open_tips, levels, day, listed)}


def summary_by_area(open_tips, levels, day, listed):
    """summary() for each area of `open_tips` at once: {area id (None: no area): summary}. The
    summary of a set of areas is the sum of their counts and the `listed` most overdue of their lists
    (the most overdue of a union are among the most overdue of each part). Six queries."""
    counts = _count_rows(open_tips, levels, day, by_area=True)
    lists = {}
    for tip, clock in _candidates(open_tips, levels, day, listed, by_area=True):
        lists.setdefault(tip.area_id, []).append((tip, clock))
    empty = {"overdue_count": 0, "due_soon_count": 0}
    return {
        area: {**counts.get(area, empty), "overdue": _most_overdue_first(lists.get(area, []), listed)}
        for area in counts.keys() | lists.keys()
    }


def _count_rows(open_tips, levels, day, by_area):
    """{area id or None: {"overdue_count", "due_soon_count"}}: two aggregate queries (tips, referrals),
    grouped by area when `by_area`, else one total under None."""
    totals = {}
    for steps, rows in ((TIP_STEPS, open_tips), (REFERRAL_STEPS, _referrals_of(open_tips))):
        aggregates = {}
        for step in steps:
            aggregates.update(_counts(step, levels, day))
        rows = rows.order_by()
        if by_area:
            grouped = rows.values(steps[0].area).annotate(**aggregates)
            results = [(row.pop(steps[0].area), row) for row in grouped]
        else:
            results = [(None, rows.aggregate(**aggregates))]
        for area, counts in results:
            total = totals.setdefault(area, {"overdue_count": 0, "due_soon_count": 0})
            for name, value in counts.items():
                if name.endswith("_overdue"):
                    total["overdue_count"] += value or 0
                elif name.endswith("_due_soon"):
                    total["due_soon_count"] += value or 0
    if not by_area:
        totals.setdefault(None, {"overdue_count": 0, "due_soon_count": 0})
    return totals


def most_overdue(open_tips, levels, day, listed):
    """The `listed` overdue clocks with the earliest last day, as (tip, clock), earliest first.

    The earliest-started `listed` rows of each step and category hold the earliest last days (the
    last day only moves later with the start); their clocks are worked out by the Python rule and the
    first `listed` kept. The tips carry no text: only what the panel shows is loaded."""
    return _most_overdue_first(_candidates(open_tips, levels, day, listed, by_area=False), listed)


def _most_overdue_first(candidates, listed):
    return sorted(candidates, key=lambda item: (item[1].due_on, item[1].started_on))[:listed]


def _candidates(open_tips, levels, day, listed, by_area):
    """The earliest-started `listed` overdue rows of each step and category (and area, when
    `by_area`), as (tip, clock): four queries."""
    candidates = []
    tip_fields = ("id", "category", "status", "created_at", "area__name")
    for step in (*TIP_STEPS, *REFERRAL_STEPS):
        if step.model is Tip:
            rows = open_tips.select_related("area").only(*tip_fields)
        else:
            rows = (
                _referrals_of(open_tips)
                .select_related("tip__area", "agency")
                .only(
                    *(f"tip__{field}" for field in tip_fields), "agency__name", "sent_at", "acknowledged_at"
                )
            )
        partition = [F(step.category), F(step.area)] if by_area else [F(step.category)]
        rank = Window(RowNumber(), partition_by=partition, order_by=[F(step.started).asc(), F("pk").asc()])
        rows = (
            rows.filter(_running(step) & _started_before(step, levels, day))
            .annotate(rank_in_category=rank)
            .filter(rank_in_category__lte=listed)
        )
        for row in rows:
            tip = row if step.model is Tip else row.tip
            level = levels[tip.category]
            clock = clocks.start_clock(step.kind, getattr(row, step.started), level.days_for(step.kind), day)
            if step.model is Referral:
                clock = dataclasses.replace(clock, referral=row)
            candidates.append((tip, clock))
    return candidates


def open_tips_of(tips):
    """The open ones among `tips` (a queryset), the rows every clock runs on."""
    return tips.exclude(status__in=tip_service.FINAL_STATUSES)
