"""The monthly report: a summary per area with a chart, per session and per RW, then the data sheets.

Every figure comes from an aggregate query (COUNT ... FILTER), a handful of queries whatever the
month's size; the data sheets stream like the attendance export.
"""

import datetime

from django import forms
from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.chart import BarChart, Reference

from events.models import Area, Attendance, Session
from pimpasa import suppression
from reporting.exports import scoping as export_scoping
from reporting.tips.models import Tip

from .attendance import attendance_columns, attendance_rows
from .base import COUNT_FORMAT, Column, Exporter, Sheet
from .referral_sheet import referral_count, referral_sheet
from .registry import register
from .tips import tip_columns, tip_rows, tips_for

MONTHS_OFFERED = 24
NOT_HELD = [Session.Status.DRAFT, Session.Status.CANCELLED]


def month_choices(today=None):
    """The last MONTHS_OFFERED months as ("2026-10", "Oktober 2026"), the previous month first."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    choices = []
    for _index in range(MONTHS_OFFERED):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        choices.append((first.strftime("%Y-%m"), formats.date_format(first, "F Y")))
    current = today.replace(day=1)
    return [(current.strftime("%Y-%m"), formats.date_format(current, "F Y")), *choices]


def previous_month(today=None):
    today = today or timezone.localdate()
    return (today.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")


def attendance_breakdown():
    """COUNT aggregates over attendance: in total, by gender and by age group."""
    aggregates = {
        "attendance": Count("pk"),
        "female": Count("pk", filter=Q(gender=Attendance.Gender.FEMALE)),
        "male": Count("pk", filter=Q(gender=Attendance.Gender.MALE)),
    }
    for index, (code, _label) in enumerate(Attendance.AgeGroup.choices):
        aggregates[f"age_{index}"] = Count("pk", filter=Q(age_group=code))
    return aggregates


def breakdown_columns():
    columns = [
        Column(_("Attendance"), 11, COUNT_FORMAT),
        Column(_("Female"), 10, COUNT_FORMAT),
        Column(_("Male"), 10, COUNT_FORMAT),
    ]
    columns += [Column(str(label), 9, COUNT_FORMAT) for _code, label in Attendance.AgeGroup.choices]
    return columns


def breakdown_values(figures):
    keys = ["attendance", "female", "male"] + [f"age_{i}" for i in range(len(Attendance.AgeGroup.choices))]
    return tuple(figures.get(key, 0) for key in keys)


def tip_breakdown():
    """COUNT aggregates over tips: in total, by category and by status."""
    aggregates = {"tips": Count("pk")}
    for index, (code, _label) in enumerate(Tip.Category.choices):
        aggregates[f"category_{index}"] = Count("pk", filter=Q(category=code))
    for index, (code, _label) in enumerate(Tip.Status.choices):
        aggregates[f"status_{index}"] = Count("pk", filter=Q(status=code))
    return aggregates


def tip_breakdown_columns():
    columns = [Column(_("Tips"), 9, COUNT_FORMAT)]
    columns += [Column(str(label), 14, COUNT_FORMAT) for _code, label in Tip.Category.choices]
    columns += [Column(str(label), 12, COUNT_FORMAT) for _code, label in Tip.Status.choices]
    return columns


def tip_breakdown_values(figures):
    keys = ["tips"]
    keys += [f"category_{i}" for i in range(len(Tip.Category.choices))]
    keys += [f"status_{i}" for i in range(len(Tip.Status.choices))]
    return tuple(figures.get(key, 0) for key in keys)


FULL, SUMMARIES = "full", "summaries"
CONTENTS = [
    (FULL, gettext_lazy("Everything: the summaries, the attendance and the tips (inside the office)")),
    (
        SUMMARIES,
        gettext_lazy("The summaries only, small counts of tips hidden (to share outside the office)"),
    ),
]
TIP_COLUMNS = 1 + len(Tip.Category.choices) + len(Tip.Status.choices)


def suppress_tip_breakdowns(rows, *, with_total=False):
    """The rows (tuples ending in tip_breakdown_values) as they may leave the office: small counts of
    tips written "< 5" and, where a total would give one back, one more count hidden ("*"), by the
    rule of pimpasa.suppression. Each row's tips are split twice (by category and by status), each
    split a line to its total; with `with_total`, the last row is the column totals of the others."""
    categories = len(Tip.Category.choices)
    values, lines = {}, []
    for r, row in enumerate(rows):
        for c, value in enumerate(row[-TIP_COLUMNS:]):
            values[(r, c)] = value
        lines.append(([(r, c) for c in range(1, 1 + categories)], (r, 0)))
        lines.append(([(r, c) for c in range(1 + categories, TIP_COLUMNS)], (r, 0)))
    if with_total:
        last = len(rows) - 1
        lines += [([(r, c) for r in range(last)], (last, c)) for c in range(TIP_COLUMNS)]
    shown = suppression.suppress(values, lines)
    return [
        (*row[:-TIP_COLUMNS], *(cell_value(shown[(r, c)]) for c in range(TIP_COLUMNS)))
        for r, row in enumerate(rows)
    ]


def cell_value(shown):
    """A count for a workbook cell: the number, or the text that hides it."""
    return shown.text if shown.hidden else shown.value


class MonthlyReportExporter(Exporter):
    identifier = "monthly"
    verbose_name = gettext_lazy("Monthly report")
    description = gettext_lazy(
        "A month's summary per area, per session and per RW with a chart, then the attendance and the tips."
    )
    permission = "reporting.export_monthly_report"

    @classmethod
    def filter_fields(cls, user):
        return {
            "month": forms.ChoiceField(
                label=gettext_lazy("Month"), choices=month_choices, initial=previous_month
            ),
            # The data sheets list every tip (area, RW, category): counting them gives back what the
            # summaries hide. A report that leaves the office goes without them.
            "contents": forms.ChoiceField(
                label=gettext_lazy("Contents"),
                choices=CONTENTS,
                initial=FULL,
                required=False,
                widget=forms.RadioSelect,
            ),
        }

    @property
    def summaries_only(self):
        return self.filters.get("contents") == SUMMARIES

    def title(self):
        return _("Monthly report %(month)s") % {"month": formats.date_format(self.first_day, "F Y")}

    def period(self):
        return self.filters["month"]

    @property
    def first_day(self):
        year, month = (int(part) for part in self.filters["month"].split("-"))
        return datetime.date(year, month, 1)

    @property
    def last_day(self):
        return (self.first_day + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)

    # --- the month's records -------------------------------------------------------------------

    def areas(self):
        areas = export_scoping.export_areas_for(self.user)
        return areas.filter(office_id=self.office_id) if self.office_id is not None else areas

    def sessions(self):
        start, end = self.day_bounds(self.first_day, self.last_day)
        return Session.objects.filter(
            area__in=self.areas(), starts_at__gte=start, starts_at__lt=end, starts_at__lte=timezone.now()
        ).exclude(status__in=NOT_HELD)

    def attendances(self):
        return Attendance.objects.filter(session__in=self.sessions())

    def tips(self):
        """Tips received in the month, as far as the requester may see them."""
        start, end = self.day_bounds(self.first_day, self.last_day)
        tips = tips_for(self.user).filter(created_at__gte=start, created_at__lt=end)
        return tips.filter(office_id=self.office_id) if self.office_id is not None else tips

    def count(self):
        """The rows of the data sheets (the summaries are a few hundred at most)."""
        if self.summaries_only:
            return self.areas().count() + 1
        return self.attendances().count() + self.tips().count() + referral_count(self.tips())

    # --- the sheets ------------------------------------------------------------------------------

    def sheets(self):
        # Counts of tips leave the office with this report: hidden where small (pimpasa.suppression).
        rows = self.per_area_rows()
        *per_area, total = suppress_tip_breakdowns([*rows, self.total_row(rows)], with_total=True)
        per_session = suppress_tip_breakdowns(self.per_session_rows())
        summaries = self.summary_sheets(per_area, total, per_session)
        if self.summaries_only:
            return summaries
        attendance_count = self.attendances().count()
        tip_count = self.tips().count()
        return [
            *summaries,
            Sheet(
                title=_("Attendance"),
                columns=attendance_columns(),
                rows=lambda: attendance_rows(self.attendances()),
                count=attendance_count,
            ),
            # Reporting upwards needs what was reported, not by whom: never reporter identities here.
            Sheet(
                title=_("Tips"),
                columns=tip_columns(with_identity=False),
                rows=lambda: tip_rows(self.tips(), with_identity=False),
                count=tip_count,
            ),
            referral_sheet(self.tips()),
        ]

    def cases_row(self):
        """The month's tips grouped into cases (reporting.tips.related): each case once, and the tips in
        one (a count of tips, so hidden when small)."""
        found = self.tips().aggregate(
            cases=Count("case", distinct=True), in_cases=Count("pk", filter=Q(case__isnull=False))
        )
        (in_cases,), _total = suppression.suppress_list([found["in_cases"]], total=False)
        return (found["cases"], cell_value(in_cases))

    def summary_sheets(self, per_area, total, per_session):
        per_rw = self.per_rw_rows()
        cases = [self.cases_row()]
        return [
            Sheet(
                title=_("Summary"),
                columns=self.per_area_columns(),
                rows=lambda: iter(per_area),
                count=len(per_area),
                footer=[total],
                decorate=add_attendance_chart,
            ),
            Sheet(
                title=_("Per session"),
                columns=self.per_session_columns(),
                rows=lambda: iter(per_session),
                count=len(per_session),
            ),
            Sheet(
                title=_("Per RW"),
                columns=[Column(_("Area"), 22), Column(_("RW"), 8), *breakdown_columns()],
                rows=lambda: iter(per_rw),
                count=len(per_rw),
            ),
            Sheet(
                title=_("Cases"),
                columns=[Column(_("Cases"), 10, COUNT_FORMAT), Column(_("Tips in a case"), 16, COUNT_FORMAT)],
                rows=lambda: iter(cases),
                count=len(cases),
            ),
        ]

    def per_area_columns(self):
        return [
            Column(_("Area"), 22),
            Column(_("Kecamatan"), 18),
            Column(_("City / regency"), 18),
            Column(_("Sessions held"), 11, COUNT_FORMAT),
            *breakdown_columns(),
            *tip_breakdown_columns(),
        ]

    def per_area_rows(self):
        held = dict(
            self.sessions().values("area").annotate(held=Count("pk")).order_by().values_list("area", "held")
        )
        figures = {
            row.pop("session__area"): row
            for row in self.attendances()
            .values("session__area")
            .annotate(**attendance_breakdown())
            .order_by()
        }
        tips = {
            row.pop("area"): row for row in self.tips().values("area").annotate(**tip_breakdown()).order_by()
        }
        rows = [
            (
                area.name,
                area.kecamatan,
                area.city,
                held.get(area.pk, 0),
                *breakdown_values(figures.get(area.pk, {})),
                *tip_breakdown_values(tips.get(area.pk, {})),
            )
            for area in Area.objects.filter(pk__in=self.areas()).only("name", "kecamatan", "city")
        ]
        if None in tips:  # tips raised online with no area: counted, on a line of their own
            no_area = (_("(no area)"), "", "", 0, *breakdown_values({}), *tip_breakdown_values(tips[None]))
            rows.append(no_area)
        return rows

    def total_row(self, per_area):
        sums = [sum(row[index] for row in per_area) for index in range(3, len(self.per_area_columns()))]
        return (_("Total"), "", "", *sums)

    def per_session_columns(self):
        return [
            Column(_("Session date"), 17, "dd/mm/yyyy hh:mm"),
            Column(_("Session"), 32),
            Column(_("Kind of session"), 20),
            Column(_("Area"), 20),
            Column(_("Status"), 12),
            *breakdown_columns(),
            *tip_breakdown_columns(),
        ]

    def per_session_rows(self):
        kinds = {value: str(label) for value, label in Session.Kind.choices}
        statuses = {value: str(label) for value, label in Session.Status.choices}
        figures = {
            row.pop("session"): row
            for row in self.attendances().values("session").annotate(**attendance_breakdown()).order_by()
        }
        tips = {
            row.pop("session"): row
            for row in self.tips()
            .filter(session__isnull=False)
            .values("session")
            .annotate(**tip_breakdown())
            .order_by()
        }
        sessions = self.sessions().order_by("starts_at", "pk")
        return [
            (
                starts_at,
                title,
                kinds[kind],
                area,
                statuses[status],
                *breakdown_values(figures.get(pk, {})),
                *tip_breakdown_values(tips.get(pk, {})),
            )
            for pk, starts_at, title, kind, area, status in sessions.values_list(
                "pk", "starts_at", "title", "kind", "area__name", "status"
            )
        ]

    def per_rw_rows(self):
        without_rw = _("(no RW)")
        rows = (
            self.attendances()
            .values("session__area__name", "rw")
            .annotate(**attendance_breakdown())
            .order_by("session__area__name", "rw")
        )
        return [
            (row.pop("session__area__name"), row.pop("rw") or without_rw, *breakdown_values(row))
            for row in rows
        ]


def add_attendance_chart(worksheet, rows):
    """A clustered bar chart of women and men per area, under the summary table."""
    if not rows:
        return
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = _("Attendance per area")
    chart.y_axis.title = _("People")
    # openpyxl marks both axes deleted by default, and Excel then draws bars with no scale or names.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.height = 9
    chart.width = max(16, min(40, 2 + rows * 1.6))
    # Columns F and G hold women and men (E is everyone); the chart shows women and men side by side.
    data = Reference(worksheet, min_col=6, max_col=7, min_row=1, max_row=rows + 1)
    categories = Reference(worksheet, min_col=1, min_row=2, max_row=rows + 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(categories)
    worksheet.add_chart(chart, f"A{rows + 4}")


register(MonthlyReportExporter)
