"""Which panels each role's admin home shows (imported by reporting/wagtail_hooks.py)."""

from wagtail import hooks
from wagtail.permission_policies.pages import PagePermissionPolicy

from pimpasa import scoping
from reporting.exports.views import may_use_exports
from reporting.referrals.admin_views import DeadlinesPanel

from .panels import (
    ATTENDEES,
    EXPORTS,
    OPEN_TIPS,
    PER_AREA,
    PUBLISHING,
    TIPS,
    TREND,
    UNREAD_REPLIES,
    deadline_figures,
)


def panels_for(user):
    """Supervisors and officers: sessions, attendance, areas, tips and their deadlines (officers' own
    areas only);
    those who export: the exports waiting; editors: what was published lately."""
    panels = []
    if user.has_perm(scoping.VIEW_SESSION):
        panels += [TREND(user), ATTENDEES(user), PER_AREA(user)]
    if user.has_perm(scoping.VIEW_TIP):
        panels += [TIPS(user), OPEN_TIPS(user), UNREAD_REPLIES(user), DeadlinesPanel(user, deadline_figures)]
    if may_use_exports(user):
        panels.append(EXPORTS(user))
    if PagePermissionPolicy().user_has_any_permission(user, ["publish"]):
        panels.append(PUBLISHING(user))
    return panels


@hooks.register("construct_homepage_panels")
def add_dashboard_panels(request, panels):
    panels.extend(panels_for(request.user))
