"""The dashboard's panels: one Wagtail template component filled by a plain function of the user (each
function one query in reporting.dashboard.figures plus its charts). A panel is configuration, not a
subclass: `Panel(name, order, template, figures)` called with a user gives the component."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component

from reporting.tips.conversation import services as conversation

from . import charts, figures


class DashboardPanel(Component):
    """One panel for one user, as Wagtail's admin home renders it (name, order, template)."""

    def __init__(self, panel, user):
        self.name = panel.name
        self.order = panel.order
        self.template_name = panel.template
        self.panel = panel
        self.user = user

    def get_context_data(self, parent_context=None):
        return {"panel_id": self.name, **self.panel.figures(self.user)}


@dataclass(frozen=True)
class Panel:
    name: str
    order: int
    template: str
    figures: Callable[[object], dict]  # the user -> the template's context

    def __call__(self, user):
        return DashboardPanel(self, user)


def month_name(day):
    return formats.date_format(day, "M")


def trend_figures(user):
    months = figures.trend(user)
    return {
        "months": months,
        "this_month": months[-1],
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


def attendees_figures(user):
    attendees = figures.attendees_this_month(user)
    return {
        **attendees,
        "gender_chart": charts.bar_chart(
            _("Attendees this month by gender"), [charts.Bar(*row) for row in attendees["gender"]]
        ),
        "age_chart": charts.bar_chart(
            _("Attendees this month by age group"), [charts.Bar(*row) for row in attendees["age_group"]]
        ),
    }


def per_area_figures(user):
    areas = figures.per_area(user)
    return {
        "areas": areas,
        "chart": charts.bar_chart(
            _("Attendees this month per area"),
            [charts.Bar(area["name"], area["attendees"]) for area in areas],
        )
        if areas
        else "",
    }


def per_office_figures(user):
    offices = figures.per_office(user)
    return {
        "offices": offices,
        "chart": charts.bar_chart(
            _("Sessions held this month per office"),
            [charts.Bar(office["name"], office["sessions"]) for office in offices],
        )
        if offices
        else "",
    }


def tips_figures(user):
    tips = figures.tips_this_month(user)
    return {
        **tips,
        "chart": charts.bar_chart(
            _("Tips this month by category"),
            [charts.Bar(row["label"], row["total"]) for row in tips["rows"]],
        ),
    }


def open_tips_figures(user):
    tips = figures.open_tips(user)
    ages = [(age_label(low, high), count) for low, high, count in tips["ages"]]
    return {
        **tips,
        "ages": ages,
        "index_url": reverse("laporan:index"),
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


def unread_replies_figures(user):
    """Reporters' answers no officer has read yet, per assigned officer, among the tips `user` sees."""
    rows = conversation.unread_replies_for(user)
    return {
        "rows": [
            {
                "officer": officer.get_full_name() or officer.get_username() if officer else None,
                "count": count,
                "is_me": officer is not None and officer.pk == user.pk,
            }
            for officer, count in rows
        ],
        "total": sum(count for _officer, count in rows),
        "index_url": reverse("laporan:index"),
    }


def exports_figures(user):
    return {"exports": figures.exports_waiting(user)}


def publishing_figures(user):
    return {"entries": figures.recent_publishing(user)}


TREND = Panel("dashboard-trend", 100, "reporting/dashboard/trend_panel.html", trend_figures)
ATTENDEES = Panel("dashboard-attendees", 110, "reporting/dashboard/attendees_panel.html", attendees_figures)
PER_AREA = Panel("dashboard-areas", 120, "reporting/dashboard/areas_panel.html", per_area_figures)
PER_OFFICE = Panel("dashboard-offices", 95, "reporting/dashboard/offices_panel.html", per_office_figures)
TIPS = Panel("dashboard-tips", 130, "reporting/dashboard/tips_panel.html", tips_figures)
OPEN_TIPS = Panel("open-tips", 140, "reporting/dashboard/open_tips_panel.html", open_tips_figures)
UNREAD_REPLIES = Panel(
    "unread-replies", 145, "reporting/dashboard/unread_replies_panel.html", unread_replies_figures
)
EXPORTS = Panel("dashboard-exports", 160, "reporting/dashboard/exports_panel.html", exports_figures)
PUBLISHING = Panel(
    "dashboard-publishing", 170, "reporting/dashboard/publishing_panel.html", publishing_figures
)
