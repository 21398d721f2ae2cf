"""The "Monitoring" menu: the page of offices' figures (for those who may monitor) and the session
targets (edited by the national role)."""

from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from . import access, views
from .models import SessionTarget


class MonitoringMenuItem(MenuItem):
    def is_shown(self, request):
        return access.may_monitor(request.user)


class MonitoringViewSet(ViewSet):
    name = "monitoring"
    url_namespace = views.URL_NAMESPACE
    icon = "table"
    menu_label = _("Offices' figures")
    menu_order = 100

    @cached_property
    def menu_item_class(self):
        return MonitoringMenuItem

    def get_urlpatterns(self):
        return [
            path("", views.IndexView.as_view(), name="index"),
            path("office/<int:pk>/", views.OfficeView.as_view(), name="office"),
            path("workbook/", views.workbook, name="workbook"),
        ]


class SessionTargetViewSet(ModelViewSet):
    model = SessionTarget
    name = "session-targets"
    icon = "date"
    menu_label = _("Session targets")
    menu_order = 200
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = ["office", "year", "year_total", "q1", "q2", "q3", "q4"]
    list_filter = ["year", "office__region"]
    search_fields = ["office__name"]
    ordering = ["-year", "office__name"]


class MonitoringGroup(ViewSetGroup):
    menu_label = _("Monitoring")
    menu_icon = "table"
    menu_order = 255
    items = (MonitoringViewSet, SessionTargetViewSet)
