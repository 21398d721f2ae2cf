"""The quarter's figures as they may be shown outside an office: per office (the national and
regional table) and per Desa Binaan Imigrasi of each office (the drill-down), with every count of tips
and of referrals passed through pimpasa.suppression (a table at a time: its rows, its row totals, its
column totals and its grand total), and a deadlines-met percentage only where enough deadlines fell
due to say nothing about one tip. The page and the workbook read the same rows.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from events.models import Area
from pimpasa import suppression

from . import figures as queries
from . import summary
from .figures import CATEGORIES, OUTCOMES, Figures


@dataclass
class Row:
    """One line of a table: an office, a DBI, "other areas" or the total."""

    key: object
    name: str
    figures: Figures
    region: str = ""
    target: int | None = None
    dbi_since: object = None
    office: object = None
    tips: list = field(default_factory=list)  # a Shown per category
    tip_total: object = None
    referrals: list = field(default_factory=list)  # a Shown per outcome
    referral_total: object = None

    @property
    def percent_of_target(self):
        if not self.target:
            return None
        return round(100 * self.figures.sessions / self.target)

    @property
    def deadlines_percent(self):
        """Deadlines met as a whole percentage; None when fewer than the threshold fell due."""
        due = self.figures.deadlines_due
        if due < suppression.threshold():
            return None
        return round(100 * self.figures.deadlines_met / due)

    @property
    def deadlines_text(self):
        percent = self.deadlines_percent
        if percent is not None:
            return f"{percent}%"
        if self.figures.deadlines_due == 0:
            return "—"
        return _("fewer than %(limit)s due") % {"limit": suppression.threshold()}


@dataclass
class Table:
    quarter: object
    rows: list
    total: Row
    any_hidden: bool = False
    # The stored figures' Snapshot the table was read from (summary.py), None when worked out live.
    as_of: object = None

    @property
    def months(self):
        return self.quarter.months


def _suppress(rows, total):
    """Fill each row's (and the total's) Shown counts of tips and referrals; whether any is hidden."""
    tips = suppression.suppress_table([[row.figures.tips[code] for code in CATEGORIES] for row in rows])
    referrals = suppression.suppress_table(
        [[row.figures.referrals[code] for code in OUTCOMES] for row in rows]
    )
    for index, row in enumerate(rows):
        row.tips, row.tip_total = tips.cells[index], tips.row_totals[index]
        row.referrals, row.referral_total = referrals.cells[index], referrals.row_totals[index]
    if rows:
        total.tips, total.tip_total = tips.column_totals, tips.grand_total
        total.referrals, total.referral_total = referrals.column_totals, referrals.grand_total
    else:
        total.tips, total.tip_total = suppression.suppress_list([0] * len(CATEGORIES))
        total.referrals, total.referral_total = suppression.suppress_list([0] * len(OUTCOMES))
    return tips.any_hidden or referrals.any_hidden


def office_table(offices, quarter, found=None):
    """Per office of `offices` (a queryset of Office), the quarter's figures as they may be shown.
    `found` is figures.collect's per-office answer when the caller has it already; else the figures
    stored for the quarter are read (summary.py)."""
    offices = list(offices.select_related("region").order_by("region__name", "name"))
    ids = [office.pk for office in offices]
    as_of = None
    if found is None:
        as_of = summary.for_quarter(quarter)
        found = as_of.per_office(ids)
    targets = queries.targets(ids, quarter)
    rows = [
        Row(
            key=office.pk,
            name=office.name,
            region=office.region.name,
            office=office,
            figures=found.get((office.pk,), Figures()),
            target=targets.get(office.pk),
        )
        for office in offices
    ]
    total = Row(key=None, name=_("All offices"), figures=queries.combine(row.figures for row in rows))
    known_targets = [row.target for row in rows if row.target is not None]
    total.target = sum(known_targets) if known_targets else None
    hidden = _suppress(rows, total)
    return Table(quarter=quarter, rows=rows, total=total, any_hidden=hidden, as_of=as_of)


def quarter_tables(offices, quarter):
    """(office_table, dbi_tables) of `offices` from one reading of the database (the workbook): the
    per-office figures are the sums of the per-area ones."""
    ids = list(offices.values_list("pk", flat=True))
    per_area = queries.collect(queries.per_area(ids), quarter)
    by_office = {}
    for (office_id, _area_id), found in per_area.items():
        by_office.setdefault((office_id,), []).append(found)
    per_office = {key: queries.combine(parts) for key, parts in by_office.items()}
    return office_table(offices, quarter, per_office), dbi_tables(offices, quarter, per_area)


def dbi_tables(offices, quarter, found=None):
    """{office id: Table} of each office's Desa Binaan Imigrasi, then one line for the office's other
    areas (and the tips with no area), so the lines add up to the office's own figures. `found` is
    figures.collect's per-area answer when the caller has it already; else the figures stored for the
    quarter are read (summary.py)."""
    offices = list(offices.order_by("name"))
    ids = [office.pk for office in offices]
    as_of = None
    if found is None:
        as_of = summary.for_quarter(quarter)
        found = as_of.per_area(ids)
    targets = queries.targets(ids, quarter)
    villages = {}
    for area in Area.objects.filter(office__in=ids, is_desa_binaan=True).order_by("name"):
        villages.setdefault(area.office_id, []).append(area)
    tables = {}
    for office in offices:
        dbis = villages.get(office.pk, [])
        dbi_ids = {area.pk for area in dbis}
        rows = [
            Row(
                key=area.pk,
                name=area.name,
                dbi_since=area.dbi_since,
                figures=found.get((office.pk, area.pk), Figures()),
            )
            for area in dbis
        ]
        others = [
            one
            for (office_id, area_id), one in found.items()
            if office_id == office.pk and area_id not in dbi_ids
        ]
        rows.append(Row(key="other", name=_("Other areas (not DBI)"), figures=queries.combine(others)))
        total = Row(
            key=None, name=office.name, figures=queries.combine(row.figures for row in rows), office=office
        )
        total.target = targets.get(office.pk)
        hidden = _suppress(rows, total)
        tables[office.pk] = Table(quarter=quarter, rows=rows, total=total, any_hidden=hidden, as_of=as_of)
    return tables
