"""The four clocks that run on an open tip and its open referrals, each counted in working days
(working_days.py) against the service level of the tip's category:
- triage: a new tip leaves "received" (first triage);
- acknowledged: an agency confirms it received a referral;
- outcome: an agency reports what it did (acted on, not its matter, closed);
- feedback: the reporter reads a note from the office on the status page.
Read by the tip list and page, the dashboard's deadlines panel and overdue count, and the daily
escalation."""

import datetime
import zoneinfo
from dataclasses import dataclass
from datetime import time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from reporting.referrals.models import Referral, ServiceLevel
from reporting.tips.models import Tip
from reporting.tips.services import tips as tip_service

from .working_days import add_working_days, is_working_day, local_date, today, working_days_between

# A clock is "due soon" from this many working days before its last day.
DUE_SOON_WORKING_DAYS = 1


class State(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")


class Kind(models.TextChoices):
    TRIAGE = "triage", _("First triage")
    ACKNOWLEDGE = "acknowledge", _("Referral acknowledged")
    OUTCOME = "outcome", _("Referral outcome")
    FEEDBACK = "feedback", _("Feedback to the reporter")


# Most urgent first: lists sort and pick the worst clock by this.
URGENCY = {State.OVERDUE: 0, State.DUE_SOON: 1, State.ON_TIME: 2}


def state_on(due_on, day):
    """On time, due soon (on the last working day or the one before) or overdue (after the last day)."""
    if day > due_on:
        return State.OVERDUE
    if working_days_between(day, due_on) <= DUE_SOON_WORKING_DAYS:
        return State.DUE_SOON
    return State.ON_TIME


@dataclass(frozen=True)
class Clock:
    """One running deadline: what it is for, when it started and its last day."""

    kind: str
    started_on: datetime.date
    due_on: datetime.date
    state: str
    # The referral a clock belongs to (acknowledged, outcome), else None.
    referral: object = None

    @property
    def label(self):
        return Kind(self.kind).label

    @property
    def state_label(self):
        return State(self.state).label

    @property
    def urgency(self):
        return URGENCY[State(self.state)]

    @property
    def days_overdue(self):
        return working_days_between(self.due_on, today()) if self.state == State.OVERDUE else 0


def start_clock(kind, started_at, days, day=None):
    started_on = local_date(started_at)
    due_on = add_working_days(started_on, days)
    return Clock(kind=kind, started_on=started_on, due_on=due_on, state=state_on(due_on, day or today()))


def most_urgent(clocks):
    """The clock to show when only one fits (a list's column): the most urgent, then the earliest due."""
    return min(clocks, key=lambda clock: (clock.urgency, clock.due_on), default=None)


def service_levels():
    """{category: ServiceLevel}, the defaults standing in for a category nobody has set."""
    levels = {level.category: level for level in ServiceLevel.objects.all()}
    return {
        category: levels.get(category) or ServiceLevel(category=category) for category in Tip.Category.values
    }


def with_clock_data(queryset):
    """What tip_clocks needs, in two queries for any number of tips (no query per row)."""
    return queryset.prefetch_related(
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
        if is_working_day(cursor):
            counted += 1
            if counted >= days:
                return cursor - timedelta(days=1)
        cursor -= timedelta(days=1)


def overdue_cutoff(days, day):
    """The moment (the office's midnight) before which a clock of `days` working days must have
    started to be overdue on `day`."""
    last_start = _last_overdue_start(days, day)
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return datetime.datetime.combine(last_start + timedelta(days=1), time.min, tzinfo=zone)


def overdue_filter(levels, day=None):
    """Open tips with at least one overdue clock, as a filter the database applies: the rule of
    tip_clocks (below) turned into cut-off moments, so a count of overdue tips is one query."""
    day = day or today()

    def started_before(kind, category):
        return overdue_cutoff(levels[category].days_for(kind), day)

    # A semi-join (pk IN ...) for the referrals, not a correlated EXISTS per open tip: the database
    # builds the set once (the dashboard's count at 20,000 open tips: 4.7 s before, 1.9 s after on the
    # loaded bench machine). The open referrals are matched against open tips only, so the database
    # reads the open tips through their covering partial index rather than scanning all 200,000 tips
    # (0.78 s before, 0.14 s with this and that index; issue 24). Whether the reporter was given a
    # note is the tip's own first_public_note_at, also in that index (the set of noted tips was 66,667
    # history rows, built again by each parallel worker).
    open_referrals = (
        Referral.objects.filter(revoked_at__isnull=True)
        .exclude(outcome__in=Referral.FINAL_OUTCOMES)
        .exclude(tip__status__in=tip_service.FINAL_STATUSES)
    )
    triage_overdue = Q(pk__in=[])
    feedback_due = Q(pk__in=[])
    referral_overdue = Q(pk__in=[])
    for category in Tip.Category.values:
        triage_overdue |= Q(
            category=category,
            status=Tip.Status.RECEIVED,
            created_at__lt=started_before(Kind.TRIAGE, category),
        )
        feedback_due |= Q(category=category, created_at__lt=started_before(Kind.FEEDBACK, category))
        referral_overdue |= Q(tip__category=category) & (
            Q(acknowledged_at__isnull=True, sent_at__lt=started_before(Kind.ACKNOWLEDGE, category))
            | Q(sent_at__lt=started_before(Kind.OUTCOME, category))
        )
    any_overdue = (
        triage_overdue
        | (feedback_due & Q(first_public_note_at__isnull=True))
        | Q(pk__in=open_referrals.filter(referral_overdue).values("tip_id"))
    )
    return ~Q(status__in=tip_service.FINAL_STATUSES) & any_overdue


def tip_clocks(tip, levels, day=None):
    """The clocks running on an open tip and its open referrals (none once the tip is closed)."""
    if tip.status in tip_service.FINAL_STATUSES:
        return []
    level = levels[tip.category]
    day = day or today()
    clocks = []
    if tip.status == Tip.Status.RECEIVED:
        clocks.append(start_clock(Kind.TRIAGE, tip.created_at, level.triage_days, day))
    if tip.first_public_note_at is None:
        clocks.append(start_clock(Kind.FEEDBACK, tip.created_at, level.feedback_days, day))
    for referral in tip.referrals.all():
        if not referral.is_open:
            continue
        if referral.acknowledged_at is None:
            clock = start_clock(Kind.ACKNOWLEDGE, referral.sent_at, level.acknowledge_days, day)
            clocks.append(_for_referral(clock, referral))
        clock = start_clock(Kind.OUTCOME, referral.sent_at, level.outcome_days, day)
        clocks.append(_for_referral(clock, referral))
    return sorted(clocks, key=lambda clock: (clock.urgency, clock.due_on))


def _for_referral(clock, referral):
    return Clock(
        kind=clock.kind,
        started_on=clock.started_on,
        due_on=clock.due_on,
        state=clock.state,
        referral=referral,
    )
