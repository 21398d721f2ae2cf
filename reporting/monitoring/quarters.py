"""Quarters of the calendar year, counted in the office's zone (WIB) like the dashboard's months."""

import datetime
import re
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

QUARTERS_OFFERED = 8
PATTERN = re.compile(r"^(\d{4})-Q([1-4])$")


def zone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def of(cls, day):
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def current(cls, today=None):
        return cls.of(today or timezone.localdate(timezone=zone()))

    @classmethod
    def parse(cls, text):
        """The quarter "2026-Q3" names, or None."""
        match = PATTERN.match(str(text or "").strip())
        if not match:
            return None
        year = int(match.group(1))
        return cls(year, int(match.group(2))) if 2000 <= year <= 2100 else None

    @property
    def key(self):
        return f"{self.year}-Q{self.number}"

    @property
    def label(self):
        return _("Q%(quarter)s %(year)s") % {"quarter": self.number, "year": self.year}

    def __str__(self):
        return self.label

    @property
    def months(self):
        """The first day of each of its three months."""
        first = 3 * (self.number - 1) + 1
        return [datetime.date(self.year, month, 1) for month in range(first, first + 3)]

    @property
    def first_day(self):
        return self.months[0]

    @property
    def last_day(self):
        following = self.next().first_day
        return following - datetime.timedelta(days=1)

    def bounds(self):
        """[start, end) as aware moments in the office's zone."""
        start = datetime.datetime.combine(self.first_day, datetime.time.min, tzinfo=zone())
        end = datetime.datetime.combine(self.next().first_day, datetime.time.min, tzinfo=zone())
        return start, end

    def next(self):
        return Quarter(self.year + (self.number == 4), self.number % 4 + 1)

    def previous(self):
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)


def month_label(day):
    return formats.date_format(day, "F Y")


def offered(today=None):
    """The quarters one may choose: this one first, then the QUARTERS_OFFERED - 1 before it."""
    quarter = Quarter.current(today)
    quarters = [quarter]
    for _index in range(QUARTERS_OFFERED - 1):
        quarter = quarter.previous()
        quarters.append(quarter)
    return quarters


def choices(today=None):
    return [(quarter.key, quarter.label) for quarter in offered(today)]
