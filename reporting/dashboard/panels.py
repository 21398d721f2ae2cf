"""The dashboard's panels: one Wagtail template component filled by a plain function of the user (each
function one query in reporting.dashboard.figures plus its charts). A panel is configuration, not a
subclass: `Panel(name, order, template, figures)` called with a user gives the component."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component

from events import scoping as event_scoping
from pimpasa import suppression
from reporting.referrals.admin_views import OverdueRow, deadline_summary
from reporting.referrals.services import clocks
from reporting.referrals.services import referrals as referral_services
from reporting.tips import scoping as tip_scoping
from reporting.tips.conversation import services as conversation

from . import charts, figures, summary


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


def as_of(user, every):
    """When the panel's figures were worked out (None: asked live), as the template as_of.html says."""
    found = figures.as_of(user, every)
    if found is None:
        return {"as_of": None}
    return {"as_of": {**found, "stale_minutes": int(summary.STALE_AFTER.total_seconds() // 60)}}


def trend_figures(user):
    months = figures.trend(user)
    return {
        **as_of(user, event_scoping.EVERY_SESSION),
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
        **as_of(user, event_scoping.EVERY_SESSION),
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
    # Tips per area leave the tip's scope (a panel shown in meetings): small counts hidden, and their
    # sum, the month's total on the tips panel, cannot give one back (pimpasa.suppression).
    tips, _total = suppression.suppress_list([area["tips"] for area in areas])
    areas = [{**area, "tips_shown": shown} for area, shown in zip(areas, tips, strict=True)]
    return {
        **as_of(user, event_scoping.EVERY_SESSION),
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
    # A category × status table of a month's tips leaves the tip's scope: small counts hidden, and
    # no shown total gives one back (pimpasa.suppression).
    table = suppression.suppress_table([row["counts"] for row in tips["rows"]])
    rows = [
        {"label": row["label"], "cells": cells, "total": total}
        for row, cells, total in zip(tips["rows"], table.cells, table.row_totals, strict=True)
    ]
    return {
        **as_of(user, tip_scoping.EVERY_TIP),
        "statuses": tips["statuses"],
        "rows": rows,
        "total": table.grand_total,
        "status_totals": table.column_totals,
        "limit": suppression.threshold(),
        "any_hidden": table.any_hidden,
        "chart": charts.bar_chart(
            _("Tips this month by category"), [charts.Bar.of(row["label"], row["total"]) for row in rows]
        ),
    }


def open_tips_figures(user):
    tips = figures.open_tips(user)
    ages = [(age_label(low, high), count) for low, high, count in tips["ages"]]
    return {
        **as_of(user, tip_scoping.EVERY_TIP),
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
    index_url = reverse("laporan:index")
    unread_url = f"{index_url}?{urlencode({'conversation': conversation.ListFilter.UNREAD})}"

    def tips_url(officer):
        # The tips list filters by "assigned to me" and "nobody", not by another officer.
        if officer is None:
            return f"{unread_url}&assigned=none"
        return f"{unread_url}&assigned=me" if officer.pk == user.pk else unread_url

    return {
        "rows": [
            {
                "officer": officer.get_full_name() or officer.get_username() if officer else None,
                "count": count,
                "is_me": officer is not None and officer.pk == user.pk,
                "url": tips_url(officer),
            }
            for officer, count in rows
        ],
        "total": sum(count for _officer, count in rows),
        "index_url": index_url,
        "unread_url": unread_url,
    }


def deadline_figures(user):
    """The deadlines panel's figures (reporting.referrals.admin_views.DeadlinesPanel): for those who
    see every tip, from the figures worked out for everyone; for others, asked live."""
    snapshot = figures.summarised(user, tip_scoping.EVERY_TIP)
    if snapshot is None:
        return {"as_of": None, **deadline_summary(user)}
    found = snapshot.over()["deadlines"]
    return {
        **as_of(user, tip_scoping.EVERY_TIP),
        "overdue": [overdue_row(row) for row in found["overdue"]],
        "overdue_count": found["overdue_count"],
        "due_soon_count": found["due_soon_count"],
        "refused_links": referral_services.refused_links_since(30),
    }


def overdue_row(row):
    clock = clocks.Clock(
        kind=row["kind"],
        started_on=datetime.date.fromisoformat(row["started_on"]),
        due_on=datetime.date.fromisoformat(row["due_on"]),
        state=row["state"],
    )
    return OverdueRow(
        tip_pk=row["tip_pk"], short_id=row["short_id"], area=row["area"], clock=clock, agency=row["agency"]
    )


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
