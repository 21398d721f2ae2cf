"""The office's working-day calendar, which every deadline is counted in: weekends, Indonesian public
holidays and the government's collective leave days (cuti bersama) do not count. The `holidays`
package keeps the calendar, including the lunar holidays that move every year."""

import datetime
from functools import lru_cache

import holidays
from django.utils import timezone

# Collective leave days are working days nowhere in government: the office is closed too.
HOLIDAY_CATEGORIES = ("public", "government")


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
