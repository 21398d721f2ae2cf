"""Working days and the clocks that run on open tips and referrals.

A deadline is counted in working days of the office: weekends, Indonesian public holidays and the
government's collective leave days (cuti bersama) do not count. The `holidays` package keeps the
calendar, including the lunar holidays that move every year.

Four clocks (days per category are the service levels a supervisor edits):
- triage: a new tip leaves "received" (first triage);
- acknowledged: an agency confirms it received a referral;
- outcome: an agency reports what it did (acted on, not its matter, closed);
- feedback: the reporter reads a note from the office on the status page.
"""

import datetime
from dataclasses import dataclass
from functools import lru_cache

import holidays
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Collective leave days are working days nowhere in government: the office is closed too.
HOLIDAY_CATEGORIES = ("public", "government")
# A clock is "due soon" from this many working days before its last day.
DUE_SOON_WORKING_DAYS = 1


@lru_cache(maxsize=32)
def _holidays(year):
    return holidays.country_holidays("ID", years=year, categories=HOLIDAY_CATEGORIES)


def holiday_name(day):
    """The holiday's name on `day`, or None."""
    return _holidays(day.year).get(day)


def is_working_day(day):
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start, days):
    """The date `days` working days after `start`; `start` itself never counts (a tip received on a
    Saturday with 3 days is due on Wednesday)."""
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start, end):
    """How many working days come after `start` up to and including `end` (0 when `end` is not later)."""
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def local_date(moment):
    """The office's calendar day of an aware datetime (stored in UTC, counted in WIB)."""
    return timezone.localtime(moment).date()


def today():
    return timezone.localdate()


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
