"""Which panels each role's admin home shows (imported by reporting/wagtail_hooks.py)."""

from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.permission_policies.pages import PagePermissionPolicy

from events import scoping as event_scoping
from offices import scoping as office_scoping
from reporting.exports.views import may_use_exports
from reporting.referrals.admin_views import DeadlinesPanel
from reporting.tips import scoping as tip_scoping

from . import where_views
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
    deadline_figures,
)


def monitors_offices(user):
    """The national and regional monitoring roles: figures of several offices, no tip or session."""
    return office_scoping.monitors_all_offices(user) or office_scoping.monitored_region_id(user) is not None


def panels_for(user):
    """Supervisors and officers: sessions, attendance, areas and tips (their office's; officers' own
    areas only); the national and regional monitors: the table of their offices, then the same
    figures over those offices, per office rather than per area (counts only, no link to a tip); those who export: the exports
    waiting; editors: what was published lately."""
    panels = []
    monitoring = monitors_offices(user)
    if monitoring:
        # Offices, not areas: a national deployment has a thousand villages, which the monitoring page's
        # drill-down per office shows (a per-area panel made the national home page 400 KB and 1 s).
        panels += [PER_OFFICE(user), TREND(user), ATTENDEES(user)]
    elif user.has_perm(event_scoping.VIEW_SESSION):
        panels += [TREND(user), ATTENDEES(user), PER_AREA(user)]
    if user.has_perm(tip_scoping.VIEW_TIP):
        panels += [TIPS(user), OPEN_TIPS(user), UNREAD_REPLIES(user), DeadlinesPanel(user, deadline_figures)]
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


class WhereMenuItem(MenuItem):
    def is_shown(self, request):
        return where_views.may_see_where(request.user)


class WhereViewSet(ViewSet):
    """The "Where" page (Wilayah) and the supervisors' upload of the areas' outlines."""

    name = "where"
    url_namespace = where_views.URL_NAMESPACE
    url_prefix = "sebaran"
    icon = "site"
    menu_label = _("Where")
    menu_order = 260
    add_to_admin_menu = True

    @cached_property
    def menu_item_class(self):
        return WhereMenuItem

    def get_urlpatterns(self):
        return [
            path("", where_views.WhereView.as_view(), name="index"),
            path("batas/", where_views.BoundaryUploadView.as_view(), name="boundaries"),
        ]


@hooks.register("register_admin_viewset")
def register_where_viewset():
    return WhereViewSet()
