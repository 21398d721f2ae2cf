"""The "Cases" menu and pages, and the audit log's names for cases (imported by
reporting/wagtail_hooks.py)."""

from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from reporting.tips.related.services import cases

from . import views


class CasesMenuItem(MenuItem):
    def is_shown(self, request):
        return cases.may_group(request.user)


class CaseViewSet(ViewSet):
    name = "cases"
    url_namespace = views.URL_NAMESPACE
    url_prefix = "kasus"
    icon = "folder-open-inverse"
    menu_label = _("Cases")
    menu_order = 260
    add_to_admin_menu = True

    @cached_property
    def menu_item_class(self):
        return CasesMenuItem

    def get_urlpatterns(self):
        return [
            path("", views.CaseIndexView.as_view(), name="index"),
            path("<int:pk>/", views.CaseDetailView.as_view(), name="detail"),
            path("kelompokkan/<uuid:tip_id>/", views.group, name="group"),
        ]


@hooks.register("register_admin_viewset")
def register_case_viewset():
    return CaseViewSet()


@hooks.register("register_log_actions")
def register_case_log_actions(actions):
    actions.register_action(
        "reporting.tip.case", _("Put a tip in a case or take it out"), _("Case of the tip changed")
    )
    actions.register_action("reporting.case.add", _("Add tips to a case"), _("Tips added to the case"))
    actions.register_action(
        "reporting.case.remove", _("Take tips out of a case"), _("Tips taken out of the case")
    )
    actions.register_action("reporting.case.split", _("Split a case"), _("Case split"))
    actions.register_action(
        "reporting.case.status", _("Change the status of a case"), _("Case status changed")
    )
    actions.register_action(
        "reporting.case.officer", _("Change the officer of a case"), _("Case officer changed")
    )
