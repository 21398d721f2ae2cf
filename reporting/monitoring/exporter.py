"""The quarterly monitoring workbook: per office (with a chart of sessions held against the target),
per month (with a chart), per office and month, per Desa Binaan Imigrasi and per RW. Figures only, as
the monitoring page shows them: counts of tips and referrals through pimpasa.suppression ("< 5", "*"),
never a tip's text, a reporter or an attendee. Run by the export jobs like every other workbook (at once
when small, else by the worker), in the requester's scope: a supervisor's own office, a Kantor
Wilayah's region, every office for the national role."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.chart import BarChart, Reference

from events.models import Area, Attendance
from offices.models import Office
from pimpasa import suppression
from reporting.exports.base import COUNT_FORMAT, Column, Exporter, Sheet
from reporting.exports.registry import register
from reporting.referrals.models import Referral
from reporting.tips.models import Tip

from . import access, figures, report
from .quarters import Quarter, choices, month_label

PERCENT_FORMAT = '0"%"'


def previous_quarter():
    return Quarter.current().previous().key


def shown(cell):
    """A count as the workbook holds it: the number, or "< 5" / "*" where it is hidden."""
    return cell.text if cell.hidden else cell.value


def outcome_labels():
    names = {str(code): str(label) for code, label in Referral.Outcome.choices}
    names[figures.OPEN] = _("Open")
    names[figures.REVOKED] = _("Revoked")
    return [names[code] for code in figures.OUTCOMES]


class QuarterlyReportExporter(Exporter):
    identifier = "quarterly"
    verbose_name = gettext_lazy("Quarterly monitoring report")
    description = gettext_lazy(
        "A quarter per office and per Desa Binaan Imigrasi: sessions against the target, residents "
        "reached, tips by category, referrals and deadlines met, with charts. Figures only."
    )
    permission = access.MONITOR_OWN_OFFICE

    @classmethod
    def allowed(cls, user):
        return user is None or access.may_monitor(user)

    @classmethod
    def filter_fields(cls, user):
        return {
            "quarter": forms.ChoiceField(
                label=gettext_lazy("Quarter"), choices=choices, initial=previous_quarter
            ),
        }

    @property
    def quarter(self):
        return Quarter.parse(self.filters["quarter"])

    def title(self):
        return _("Quarterly monitoring report %(quarter)s") % {"quarter": self.quarter.label}

    def period(self):
        return self.quarter.key

    def offices(self):
        return Office.objects.all() if self.user is None else access.offices_for(self.user)

    def count(self):
        """The rows the workbook writes: per office, per office and month, per village, per RW (most
        of them, and what sends a national workbook to the worker rather than the web request)."""
        offices = self.offices()
        villages = Area.objects.filter(office__in=offices, is_desa_binaan=True).count()
        rws = figures.rw_count(figures.per_area(offices.values("pk")), self.quarter)
        return offices.count() * 4 + villages * 2 + rws

    # --- the sheets ------------------------------------------------------------------------------

    def sheets(self):
        quarter = self.quarter
        table, villages = report.quarter_tables(self.offices(), quarter)
        summary = [self.summary_row(row, row.region) for row in table.rows]
        per_month = [
            (
                month_label(month),
                table.total.figures.sessions_by_month.get(month, 0),
                table.total.figures.residents_by_month.get(month, 0),
            )
            for month in quarter.months
        ]
        office_months = [
            (
                row.name,
                month_label(month),
                row.figures.sessions_by_month.get(month, 0),
                row.figures.residents_by_month.get(month, 0),
            )
            for row in table.rows
            for month in quarter.months
        ]
        dbi_rows = []
        for row in table.rows:
            for line in villages[row.key].rows:
                dbi_rows.append((row.name, *self.village_row(line)))
        rw_rows = self.rw_rows(table, villages)
        notes = self.notes(table, villages)
        return [
            Sheet(
                title=_("Per office"),
                columns=self.summary_columns(),
                rows=lambda: iter(summary),
                count=len(summary),
                footer=[self.summary_row(table.total, ""), *notes],
                decorate=add_target_chart,
            ),
            Sheet(
                title=_("Per month"),
                columns=[
                    Column(_("Month"), 16),
                    Column(_("Sessions held"), 11, COUNT_FORMAT),
                    Column(_("Residents reached"), 11, COUNT_FORMAT),
                ],
                rows=lambda: iter(per_month),
                count=len(per_month),
                decorate=add_month_chart,
            ),
            Sheet(
                title=_("Office per month"),
                columns=[
                    Column(_("Office"), 28),
                    Column(_("Month"), 16),
                    Column(_("Sessions held"), 11, COUNT_FORMAT),
                    Column(_("Residents reached"), 11, COUNT_FORMAT),
                ],
                rows=lambda: iter(office_months),
                count=len(office_months),
            ),
            Sheet(
                title=_("Per DBI"),
                columns=[Column(_("Office"), 28), *self.village_columns()],
                rows=lambda: iter(dbi_rows),
                count=len(dbi_rows),
            ),
            Sheet(
                title=_("Per RW"),
                columns=[
                    Column(_("Office"), 28),
                    Column(_("Village"), 22),
                    Column(_("RW"), 8),
                    Column(_("Residents reached"), 11, COUNT_FORMAT),
                    *[Column(str(label), 10, COUNT_FORMAT) for _code, label in Attendance.Gender.choices],
                ],
                rows=lambda: iter(rw_rows),
                count=len(rw_rows),
            ),
        ]

    def notes(self, table, villages):
        if not table.any_hidden and not any(one.any_hidden for one in villages.values()):
            return []
        return [
            (),
            (
                _("“< %(limit)s”: fewer tips or referrals than that, hidden to protect who reported.")
                % {"limit": suppression.threshold()},
            ),
            (_("“*”: hidden so that a small count cannot be worked out from a total."),),
        ]

    # --- per office ------------------------------------------------------------------------------

    def summary_columns(self):
        return [
            Column(_("Office"), 28),
            Column(_("Regional office"), 22),
            Column(_("Sessions held"), 11, COUNT_FORMAT),
            Column(_("Session target"), 11, COUNT_FORMAT),
            Column(_("% of target"), 10, PERCENT_FORMAT),
            *self.resident_columns(),
            *self.tip_columns(),
            *self.deadline_columns(),
        ]

    def resident_columns(self):
        return [
            Column(_("Residents reached"), 11, COUNT_FORMAT),
            *[Column(str(label), 10, COUNT_FORMAT) for _code, label in Attendance.Gender.choices],
            *[Column(str(label), 9, COUNT_FORMAT) for _code, label in Attendance.AgeGroup.choices],
        ]

    def tip_columns(self):
        return [
            Column(_("Tips"), 9, COUNT_FORMAT),
            *[Column(str(label), 14, COUNT_FORMAT) for _code, label in Tip.Category.choices],
            Column(_("Referrals"), 10, COUNT_FORMAT),
            *[Column(label, 12, COUNT_FORMAT) for label in outcome_labels()],
        ]

    def deadline_columns(self):
        return [
            Column(_("Deadlines due"), 10, COUNT_FORMAT),
            Column(_("Deadlines met"), 10, COUNT_FORMAT),
            Column(_("% met"), 9, PERCENT_FORMAT),
        ]

    def figures_of(self, row):
        one = row.figures
        return (
            one.residents,
            *[one.gender[code] for code in figures.GENDERS],
            *[one.age_group[code] for code in figures.AGE_GROUPS],
            shown(row.tip_total),
            *[shown(cell) for cell in row.tips],
            shown(row.referral_total),
            *[shown(cell) for cell in row.referrals],
            *self.deadlines_of(row),
        )

    def deadlines_of(self, row):
        """Due, met and the share met; below the threshold of deadlines due, "< 5" for both counts (as
        few deadlines come from as few tips) and no share."""
        if row.deadlines_percent is None and row.figures.deadlines_due:
            small = f"< {suppression.threshold()}"
            return small, small, None
        return row.figures.deadlines_due, row.figures.deadlines_met, row.deadlines_percent

    def summary_row(self, row, region):
        return (
            row.name,
            region,
            row.figures.sessions,
            row.target,
            row.percent_of_target,
            *self.figures_of(row),
        )

    # --- per village -----------------------------------------------------------------------------

    def village_columns(self):
        return [
            Column(_("Village"), 22),
            Column(_("DBI since"), 12, "dd/mm/yyyy"),
            Column(_("Sessions held"), 11, COUNT_FORMAT),
            *self.resident_columns(),
            *self.tip_columns(),
            *self.deadline_columns(),
        ]

    def village_row(self, row):
        return (row.name, row.dbi_since, row.figures.sessions, *self.figures_of(row))

    def rw_rows(self, table, villages):
        office_names = {row.key: row.name for row in table.rows}
        village_names = {
            (office_id, line.key): line.name for office_id, one in villages.items() for line in one.rows
        }
        other, no_rw = _("Other areas (not DBI)"), _("(no RW)")
        grouping = figures.per_area(list(office_names))
        return [
            (
                office_names.get(office_id, ""),
                village_names.get((office_id, area_id), other),
                rw or no_rw,
                n,
                *[gender[code] for code in figures.GENDERS],
            )
            for (office_id, area_id), rw, n, gender in figures.residents_by_rw(grouping, self.quarter)
        ]


def add_target_chart(worksheet, rows):
    """Sessions held and the target, side by side per office, under the table."""
    if not rows:
        return
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = _("Sessions held and target per office")
    chart.y_axis.title = _("Sessions")
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.height = 9
    chart.width = max(16, min(60, 2 + rows * 1.2))
    # Columns C and D: sessions held, session target.
    data = Reference(worksheet, min_col=3, max_col=4, min_row=1, max_row=rows + 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(worksheet, min_col=1, min_row=2, max_row=rows + 1))
    worksheet.add_chart(chart, f"A{rows + 8}")


def add_month_chart(worksheet, rows):
    """Sessions held, then residents reached, in each month of the quarter: two charts, as the two
    counts differ by an order of magnitude and one axis would flatten the sessions."""
    if not rows:
        return
    for column, title, anchor in (
        (2, _("Sessions held per month"), "E2"),
        (3, _("Residents reached per month"), "E20"),
    ):
        chart = BarChart()
        chart.type = "col"
        chart.title = title
        chart.legend = None
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.height = 8
        chart.width = 16
        data = Reference(worksheet, min_col=column, max_col=column, min_row=1, max_row=rows + 1)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(worksheet, min_col=1, min_row=2, max_row=rows + 1))
        worksheet.add_chart(chart, anchor)


register(QuarterlyReportExporter)
