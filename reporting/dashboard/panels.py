"""The dashboard's panels (Wagtail template components), each one query (reporting.dashboard.figures)."""

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component

from . import charts, figures


class DashboardPanel(Component):
    """A panel for one user; `figures()` returns the template's context."""

    name = ""
    order = 100

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        return {"panel_id": self.name, **self.figures()}

    def figures(self):
        raise NotImplementedError


def month_name(day):
    return formats.date_format(day, "M")


class TrendPanel(DashboardPanel):
    name = "dashboard-trend"
    order = 100
    template_name = "reporting/dashboard/trend_panel.html"

    def figures(self):
        months = figures.trend(self.user)
        this_month = months[-1]
        return {
            "months": months,
            "this_month": this_month,
            "sessions_chart": charts.column_chart(
                _("Sessions held per month"),
                [charts.Bar(row["month"], row["sessions"]) for row in months],
                caption_of=month_name,
            ),
            "attendees_chart": charts.column_chart(
                _("Attendees per month"),
                [charts.Bar(row["month"], row["attendees"]) for row in months],
                caption_of=month_name,
            ),
        }


class AttendeesPanel(DashboardPanel):
    name = "dashboard-attendees"
    order = 110
    template_name = "reporting/dashboard/attendees_panel.html"

    def figures(self):
        attendees = figures.attendees_this_month(self.user)
        return {
            **attendees,
            "gender_chart": charts.bar_chart(
                _("Attendees this month by gender"), [charts.Bar(*row) for row in attendees["gender"]]
            ),
            "age_chart": charts.bar_chart(
                _("Attendees this month by age group"), [charts.Bar(*row) for row in attendees["age_group"]]
            ),
        }


class PerAreaPanel(DashboardPanel):
    name = "dashboard-areas"
    order = 120
    template_name = "reporting/dashboard/areas_panel.html"

    def figures(self):
        areas = figures.per_area(self.user)
        return {
            "areas": areas,
            "chart": charts.bar_chart(
                _("Attendees this month per area"),
                [charts.Bar(area["name"], area["attendees"]) for area in areas],
            )
            if areas
            else "",
        }


class TipsPanel(DashboardPanel):
    name = "dashboard-tips"
    order = 130
    template_name = "reporting/dashboard/tips_panel.html"

    def figures(self):
        tips = figures.tips_this_month(self.user)
        return {
            **tips,
            "chart": charts.bar_chart(
                _("Tips this month by category"),
                [charts.Bar(row["label"], row["total"]) for row in tips["rows"]],
            ),
        }


class OpenTipsPanel(DashboardPanel):
    name = "open-tips"
    order = 140
    template_name = "reporting/dashboard/open_tips_panel.html"

    def figures(self):
        tips = figures.open_tips(self.user)
        ages = [(age_label(low, high), count) for low, high, count in tips["ages"]]
        index = reverse("laporan:index")
        return {
            **tips,
            "ages": ages,
            "index_url": index,
            "chart": charts.bar_chart(
                _("Open tips by how long they have waited"), [charts.Bar(*age) for age in ages]
            ),
        }


def age_label(low, high):
    if high is None:
        return _("over %(days)s days") % {"days": low - 1}
    if low == 0:
        return _("under %(days)s days") % {"days": high}
    return _("%(low)s–%(high)s days") % {"low": low, "high": high - 1}


class ExportsPanel(DashboardPanel):
    name = "dashboard-exports"
    order = 160
    template_name = "reporting/dashboard/exports_panel.html"

    def figures(self):
        return {"exports": figures.exports_waiting(self.user)}


class PublishingPanel(DashboardPanel):
    name = "dashboard-publishing"
    order = 170
    template_name = "reporting/dashboard/publishing_panel.html"

    def figures(self):
        return {"entries": figures.recent_publishing(self.user)}
