"""Working days skip weekends, Indonesian public holidays and collective leave; clocks turn from on
time to due soon to overdue as (frozen) time passes."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from reporting.referrals.services import clocks, working_days
from reporting.referrals.services.clocks import State

JAKARTA = ZoneInfo("Asia/Jakarta")
D = datetime.date


def test_weekends_are_not_working_days():
    assert working_days.is_working_day(D(2026, 12, 4))  # Friday
    assert not working_days.is_working_day(D(2026, 12, 5))  # Saturday
    assert not working_days.is_working_day(D(2026, 12, 6))  # Sunday


def test_public_holidays_and_collective_leave_are_not_working_days():
    assert working_days.holiday_name(D(2026, 12, 25)) is not None  # Christmas
    assert not working_days.is_working_day(D(2026, 12, 25))
    assert not working_days.is_working_day(D(2026, 12, 24))  # cuti bersama Natal
    assert not working_days.is_working_day(D(2026, 8, 17))  # Independence Day, a Monday
    assert working_days.is_working_day(D(2026, 12, 23))


def test_three_working_days_across_christmas_and_a_weekend():
    # Tuesday 22 Dec: Wed 23 (1), Thu 24 leave, Fri 25 Christmas, weekend, Mon 28 (2), Tue 29 (3).
    assert working_days.add_working_days(D(2026, 12, 22), 3) == D(2026, 12, 29)
    assert working_days.working_days_between(D(2026, 12, 22), D(2026, 12, 29)) == 3


def test_a_tip_received_on_saturday_counts_from_monday():
    assert working_days.add_working_days(D(2026, 12, 5), 3) == D(2026, 12, 9)


def test_the_lunar_holidays_of_next_year_are_known():
    # Idul Fitri 2027 moves with the moon: 9-15 March holds holidays and leave.
    assert working_days.add_working_days(D(2027, 3, 8), 1) == D(2027, 3, 16)


def test_between_is_zero_when_the_end_is_not_later():
    assert working_days.working_days_between(D(2026, 12, 29), D(2026, 12, 22)) == 0
    assert working_days.working_days_between(D(2026, 12, 29), D(2026, 12, 29)) == 0


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (datetime.datetime(2026, 12, 22, 9, tzinfo=JAKARTA), State.ON_TIME),
        (datetime.datetime(2026, 12, 23, 16, tzinfo=JAKARTA), State.ON_TIME),
        # Over Christmas nothing counts: on Sunday 27th the last day (Tue 29th) is two working days on.
        (datetime.datetime(2026, 12, 27, 12, tzinfo=JAKARTA), State.ON_TIME),
        (datetime.datetime(2026, 12, 28, 8, tzinfo=JAKARTA), State.DUE_SOON),
        (datetime.datetime(2026, 12, 29, 23, 30, tzinfo=JAKARTA), State.DUE_SOON),
        (datetime.datetime(2026, 12, 30, 0, 30, tzinfo=JAKARTA), State.OVERDUE),
    ],
)
def test_a_clock_started_before_christmas_moves_through_its_states(now, state):
    received = datetime.datetime(2026, 12, 22, 10, tzinfo=JAKARTA)
    with time_machine.travel(now, tick=False):
        clock = clocks.start_clock(clocks.Kind.TRIAGE, received, 3)
    assert clock.due_on == D(2026, 12, 29)
    assert clock.state == state


def test_the_day_is_the_office_day_not_utc():
    # 17:30 UTC on Friday is already 00:30 on Saturday in Jakarta: the clock starts on Saturday.
    late_friday_utc = datetime.datetime(2026, 12, 4, 17, 30, tzinfo=datetime.UTC)  # Sat 00:30 WIB
    clock = clocks.start_clock(clocks.Kind.TRIAGE, late_friday_utc, 3, day=D(2026, 12, 5))
    assert clock.started_on == D(2026, 12, 5)
    assert clock.due_on == D(2026, 12, 9)


def test_days_overdue_counts_working_days_only():
    received = datetime.datetime(2026, 12, 22, 10, tzinfo=JAKARTA)
    with time_machine.travel(datetime.datetime(2027, 1, 4, 9, tzinfo=JAKARTA), tick=False):
        clock = clocks.start_clock(clocks.Kind.TRIAGE, received, 3)
        # Due Tue 29 Dec; Wed 30, Thu 31, (Fri 1 Jan New Year), (weekend), Mon 4 Jan: 3 days late.
        assert clock.state == State.OVERDUE
        assert clock.days_overdue == 3


def test_most_urgent_picks_overdue_before_due_soon_before_on_time():
    day = D(2026, 12, 10)
    on_time = clocks.Clock("outcome", day, D(2026, 12, 30), State.ON_TIME)
    soon = clocks.Clock("acknowledge", day, D(2026, 12, 11), State.DUE_SOON)
    late = clocks.Clock("triage", day, D(2026, 12, 9), State.OVERDUE)
    assert clocks.most_urgent([on_time, soon, late]) is late
    assert clocks.most_urgent([on_time, soon]) is soon
    assert clocks.most_urgent([]) is None
