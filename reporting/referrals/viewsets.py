"""The "Agencies" menu of the Wagtail admin: the agencies (with their e-mail addresses) and the service
levels per tip category, both edited by supervisors (registered in wagtail_hooks)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Agency, ServiceLevel


class AgencyViewSet(ModelViewSet):
    model = Agency
    name = "instansi"
    icon = "group"
    menu_label = _("Agencies")
    menu_order = 100
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = ["name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    ordering = ["name"]


class ServiceLevelViewSet(ModelViewSet):
    model = ServiceLevel
    name = "tenggat"
    icon = "time"
    menu_label = _("Service levels")
    menu_order = 200
    copy_view_enabled = False
    inspect_view_enabled = False
    form_fields = ["category", "triage_days", "acknowledge_days", "outcome_days", "feedback_days"]
    list_display = ["category", "triage_days", "acknowledge_days", "outcome_days", "feedback_days"]


class ReferralsGroup(ViewSetGroup):
    menu_label = _("Agencies")
    menu_icon = "group"
    menu_order = 260
    items = (AgencyViewSet, ServiceLevelViewSet)
