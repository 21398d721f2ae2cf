"""The monitoring pages of the Wagtail admin: the table of offices for a quarter, one office's Desa
Binaan Imigrasi, and asking for the quarterly workbook. Thin: the figures are reporting.monitoring.report's,
who sees which office is reporting.monitoring.access's."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from events.models import Attendance
from pimpasa import suppression
from reporting.dashboard import charts
from reporting.exports import jobs
from reporting.exports.base import ExportError
from reporting.tips.models import Tip

from . import access, figures, report
from .exporter import QuarterlyReportExporter
from .quarters import Quarter, choices, month_label

URL_NAMESPACE = "monitoring"


def url(name, *args):
    return reverse(f"{URL_NAMESPACE}:{name}", args=args)


class QuarterForm(forms.Form):
    quarter = forms.ChoiceField(label=gettext_lazy("Quarter"), choices=choices)


def chosen_quarter(request):
    """The quarter asked for (?quarter=2026-Q3), else this one; a quarter not offered is said so."""
    if "quarter" not in request.GET:
        quarter = Quarter.current()
        return quarter, QuarterForm(initial={"quarter": quarter.key})
    form = QuarterForm(request.GET)
    if form.is_valid():
        return Quarter.parse(form.cleaned_data["quarter"]), form
    quarter = Quarter.current()
    messages.error(request, _("Choose one of the quarters offered; this quarter is shown instead."))
    return quarter, QuarterForm(initial={"quarter": quarter.key})


class MonitoringMixin(WagtailAdminTemplateMixin):
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not access.may_monitor(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": url("index"), "label": _("Monitoring")}]


def category_labels():
    return [str(label) for _code, label in Tip.Category.choices]


def outcome_labels():
    from reporting.referrals.models import Referral

    names = {str(code): str(label) for code, label in Referral.Outcome.choices}
    names[figures.OPEN] = _("Open")
    names[figures.REVOKED] = _("Revoked")
    return [names[code] for code in figures.OUTCOMES]


def shared_charts(table):
    """The charts both pages draw from a table's total: the quarter's months, residents, tips."""
    total = table.total.figures
    months = table.quarter.months
    return {
        "sessions_chart": charts.column_chart(
            _("Sessions held per month"),
            [charts.Bar(month, total.sessions_by_month.get(month, 0)) for month in months],
            caption_of=month_label,
        ),
        "residents_chart": charts.column_chart(
            _("Residents reached per month"),
            [charts.Bar(month, total.residents_by_month.get(month, 0)) for month in months],
            caption_of=month_label,
        ),
        "gender_chart": charts.bar_chart(
            _("Residents reached by gender"),
            [charts.Bar(label, total.gender[code]) for code, label in Attendance.Gender.choices],
        ),
        "age_chart": charts.bar_chart(
            _("Residents reached by age group"),
            [charts.Bar(label, total.age_group[code]) for code, label in Attendance.AgeGroup.choices],
        ),
        "tips_chart": charts.bar_chart(
            _("Tips by category"),
            [
                charts.Bar.of(label, shown)
                for label, shown in zip(category_labels(), table.total.tips, strict=True)
            ],
        ),
        "referrals_chart": charts.bar_chart(
            _("Referrals by outcome"),
            [
                charts.Bar.of(label, shown)
                for label, shown in zip(outcome_labels(), table.total.referrals, strict=True)
            ],
        ),
        "months": [
            (month, total.sessions_by_month.get(month, 0), total.residents_by_month.get(month, 0))
            for month in months
        ],
    }


def label_rows(table):
    """Each line's counts beside their labels, so the template loops over pairs (a hundred offices'
    cards render without a lookup per count)."""
    categories, outcomes = category_labels(), outcome_labels()
    genders = [str(label) for _code, label in Attendance.Gender.choices]
    for row in [*table.rows, table.total]:
        row.tip_items = list(zip(categories, row.tips, strict=True))
        row.referral_items = list(zip(outcomes, row.referrals, strict=True))
        row.gender_items = list(zip(genders, row.figures.gender.values(), strict=True))
    return table


TARGET_BANDS = [(0, 50), (50, 80), (80, 100), (100, None)]


def target_chart(rows):
    """How many offices reached what share of their target: readable for 3 offices or 130."""
    counts = [0] * len(TARGET_BANDS)
    without = 0
    for row in rows:
        percent = row.percent_of_target
        if percent is None:
            without += 1
            continue
        for index, (low, high) in enumerate(TARGET_BANDS):
            if percent >= low and (high is None or percent < high):
                counts[index] += 1
    labels = [_("under 50%"), _("50–79%"), _("80–99%"), _("at least 100%")]
    bars = [charts.Bar(label, count) for label, count in zip(labels, counts, strict=True)]
    bars.append(charts.Bar(_("no target"), without))
    return charts.bar_chart(_("Offices by share of their session target"), bars)


class IndexView(MonitoringMixin, TemplateView):
    template_name = "reporting/monitoring/index.html"
    page_title = gettext_lazy("Monitoring")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("Monitoring")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        quarter, form = chosen_quarter(self.request)
        table = label_rows(report.office_table(access.offices_for(self.request.user), quarter))
        context.update(
            quarter=quarter,
            form=form,
            table=table,
            categories=category_labels(),
            outcomes=outcome_labels(),
            target_chart=target_chart(table.rows),
            may_export=QuarterlyReportExporter.allowed(self.request.user),
            limit=suppression.threshold(),
            **shared_charts(table),
        )
        return context


class OfficeView(MonitoringMixin, TemplateView):
    """One office's quarter, per Desa Binaan Imigrasi, per month and per RW."""

    template_name = "reporting/monitoring/office.html"

    def get(self, request, pk):
        offices = access.offices_for(request.user)
        self.office = get_object_or_404(offices.select_related("region"), pk=pk)
        return super().get(request, pk=pk)

    def get_page_title(self):
        return self.office.name

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.office.name}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        quarter, form = chosen_quarter(self.request)
        offices = access.offices_for(self.request.user).filter(pk=self.office.pk)
        table = label_rows(report.dbi_tables(offices, quarter)[self.office.pk])
        by_rw = figures.residents_by_rw(figures.per_area([self.office.pk]), quarter)
        names = {row.key: row.name for row in table.rows}
        rws = [
            (names.get(key[1], _("Other areas (not DBI)")), rw or _("(no RW)"), n, gender)
            for key, rw, n, gender in by_rw
        ]
        context.update(
            office=self.office,
            quarter=quarter,
            form=form,
            table=table,
            categories=category_labels(),
            outcomes=outcome_labels(),
            rws=rws,
            genders=[label for _code, label in Attendance.Gender.choices],
            dbi_chart=charts.bar_chart(
                _("Sessions held per village"),
                [charts.Bar(row.name, row.figures.sessions) for row in table.rows],
            ),
            may_export=QuarterlyReportExporter.allowed(self.request.user),
            limit=suppression.threshold(),
            **shared_charts(table),
        )
        return context


@require_POST
def workbook(request):
    """Ask for the quarterly workbook of the quarter chosen; its page follows its progress."""
    if not QuarterlyReportExporter.allowed(request.user):
        return permission_denied(request)
    quarter = Quarter.parse(request.POST.get("quarter")) or Quarter.current()
    try:
        job = jobs.request_export(request.user, QuarterlyReportExporter.identifier, {"quarter": quarter.key})
    except (ExportError, PermissionDenied) as error:
        messages.error(request, str(error) or _("This workbook cannot be made."))
        return redirect(f"{url('index')}?quarter={quarter.key}")
    if job.status == job.Status.DONE:
        messages.success(request, _("Your workbook is ready."))
    else:
        messages.success(request, _("Your workbook has been queued; this page shows its progress."))
    return redirect(reverse("reporting_exports:detail", args=[job.pk]))
