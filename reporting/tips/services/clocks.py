"""The clocks that run on an open tip and its open referrals, with the service level of the tip's
category (working days: reporting.tips.services.deadlines). Read by the tip list and page, the
dashboard's deadlines panel and overdue count, and the daily escalation."""

import zoneinfo
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q

from reporting.tips.models import Referral, ServiceLevel, Tip, TipHistory
from reporting.tips.services import tips as tip_service

from . import deadlines

Kind = TipHistory.Kind


def service_levels():
    """{category: ServiceLevel}, the defaults standing in for a category nobody has set."""
    levels = {level.category: level for level in ServiceLevel.objects.all()}
    return {
        category: levels.get(category) or ServiceLevel(category=category) for category in Tip.Category.values
    }


def with_clock_data(queryset):
    """What tip_clocks needs, in two queries for any number of tips (no query per row)."""
    public_note = TipHistory.objects.filter(tip=OuterRef("pk"), kind=Kind.PUBLIC_NOTE)
    return queryset.annotate(has_public_note=Exists(public_note)).prefetch_related(
        Prefetch("referrals", queryset=Referral.objects.select_related("agency").order_by("sent_at", "id"))
    )


def _last_overdue_start(days, day):
    """The latest day a clock of `days` working days may have started and be overdue on `day`.

    A clock is overdue when its last day is before `day`: when `days` working days fit between its
    start (not counted) and the day before `day`. Counting back from the day before `day` to the
    `days`-th working day, any start before that day is overdue."""
    cursor = day - timedelta(days=1)
    counted = 0
    while True:
        if deadlines.is_working_day(cursor):
            counted += 1
            if counted >= days:
                return cursor - timedelta(days=1)
        cursor -= timedelta(days=1)


def overdue_cutoff(days, day):
    """The moment (the office's midnight) before which a clock of `days` working days must have
    started to be overdue on `day`."""
    last_start = _last_overdue_start(days, day)
    return datetime.combine(
        last_start + timedelta(days=1), time.min, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE)
    )


def overdue_filter(levels, day=None):
    """Open tips with at least one overdue clock, as a filter the database applies: the rule of
    tip_clocks (below) turned into cut-off moments, so a count of overdue tips is one query."""
    day = day or deadlines.today()

    def started_before(kind, category):
        return overdue_cutoff(levels[category].days_for(kind), day)

    public_note = TipHistory.objects.filter(tip=OuterRef("pk"), kind=Kind.PUBLIC_NOTE)
    open_referrals = Referral.objects.filter(tip=OuterRef("pk"), revoked_at__isnull=True).exclude(
        outcome__in=Referral.FINAL_OUTCOMES
    )
    clock = deadlines.Kind
    any_overdue = Q(pk__in=[])
    for category in Tip.Category.values:
        triage = Q(status=Tip.Status.RECEIVED, created_at__lt=started_before(clock.TRIAGE, category))
        feedback = Q(created_at__lt=started_before(clock.FEEDBACK, category)) & ~Exists(public_note)
        acknowledge = Exists(
            open_referrals.filter(
                acknowledged_at__isnull=True, sent_at__lt=started_before(clock.ACKNOWLEDGE, category)
            )
        )
        outcome = Exists(open_referrals.filter(sent_at__lt=started_before(clock.OUTCOME, category)))
        any_overdue |= Q(category=category) & (triage | feedback | acknowledge | outcome)
    return ~Q(status__in=tip_service.FINAL_STATUSES) & any_overdue


def tip_clocks(tip, levels, day=None):
    """The clocks running on an open tip and its open referrals (none once the tip is closed)."""
    if tip.status in tip_service.FINAL_STATUSES:
        return []
    level = levels[tip.category]
    day = day or deadlines.today()
    clocks = []
    if tip.status == Tip.Status.RECEIVED:
        clocks.append(deadlines.start_clock(deadlines.Kind.TRIAGE, tip.created_at, level.triage_days, day))
    has_public_note = getattr(tip, "has_public_note", None)
    if has_public_note is None:
        has_public_note = tip.history.filter(kind=Kind.PUBLIC_NOTE).exists()
    if not has_public_note:
        clocks.append(
            deadlines.start_clock(deadlines.Kind.FEEDBACK, tip.created_at, level.feedback_days, day)
        )
    for referral in tip.referrals.all():
        if not referral.is_open:
            continue
        if referral.acknowledged_at is None:
            clock = deadlines.start_clock(
                deadlines.Kind.ACKNOWLEDGE, referral.sent_at, level.acknowledge_days, day
            )
            clocks.append(_for_referral(clock, referral))
        clock = deadlines.start_clock(deadlines.Kind.OUTCOME, referral.sent_at, level.outcome_days, day)
        clocks.append(_for_referral(clock, referral))
    return sorted(clocks, key=lambda clock: (clock.urgency, clock.due_on))


def _for_referral(clock, referral):
    return deadlines.Clock(
        kind=clock.kind,
        started_on=clock.started_on,
        due_on=clock.due_on,
        state=clock.state,
        referral=referral,
    )
