"""Which panels each role's admin home shows (imported by reporting/wagtail_hooks.py)."""

from wagtail import hooks
from wagtail.permission_policies.pages import PagePermissionPolicy

from events import scoping as event_scoping
from offices import scoping as office_scoping
from reporting.exports.views import may_use_exports
from reporting.tips import scoping as tip_scoping

from .panels import (
    ATTENDEES,
    EXPORTS,
    OPEN_TIPS,
    PER_AREA,
    PER_OFFICE,
    PUBLISHING,
    TIPS,
    TREND,
    UNREAD_REPLIES,
)


def monitors_offices(user):
    """The national and regional monitoring roles: figures of several offices, no tip or session."""
    return office_scoping.monitors_all_offices(user) or office_scoping.monitored_region_id(user) is not None


def panels_for(user):
    """Supervisors and officers: sessions, attendance, areas and tips (their office's; officers' own
    areas only); the national and regional monitors: the table of their offices, then the same
    figures over those offices (counts only, no link to a tip); those who export: the exports
    waiting; editors: what was published lately."""
    panels = []
    monitoring = monitors_offices(user)
    if monitoring:
        panels.append(PER_OFFICE(user))
    if monitoring or user.has_perm(event_scoping.VIEW_SESSION):
        panels += [TREND(user), ATTENDEES(user), PER_AREA(user)]
    if user.has_perm(tip_scoping.VIEW_TIP):
        panels += [TIPS(user), OPEN_TIPS(user), UNREAD_REPLIES(user)]
    elif monitoring:
        panels.append(TIPS(user))
    if may_use_exports(user):
        panels.append(EXPORTS(user))
    if PagePermissionPolicy().user_has_any_permission(user, ["publish"]):
        panels.append(PUBLISHING(user))
    return panels


@hooks.register("construct_homepage_panels")
def add_dashboard_panels(request, panels):
    panels.extend(panels_for(request.user))
