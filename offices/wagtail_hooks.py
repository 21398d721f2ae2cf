"""The admin's "Kantor" menu: offices, regional offices and who works where (superusers manage them;
the national and regional roles may view the offices)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from offices.models import Membership, Office, Region


class OfficeViewSet(ModelViewSet):
    model = Office
    icon = "home"
    menu_label = _("Immigration offices")
    url_namespace = "offices_office"
    url_prefix = "offices/offices"
    list_display = ["name", "region", "hotline", "whatsapp"]
    list_filter = ["region"]
    search_fields = ["name"]
    search_backend_name = None
    inspect_view_enabled = False
    form_fields = ["name", "region", "address", "hotline", "whatsapp", "email", "receives_reporter_identity"]


class RegionViewSet(ModelViewSet):
    model = Region
    icon = "globe"
    menu_label = _("Regional offices")
    url_namespace = "offices_region"
    url_prefix = "offices/regions"
    list_display = ["name"]
    search_fields = ["name"]
    search_backend_name = None
    inspect_view_enabled = False
    form_fields = ["name", "address"]


class MembershipViewSet(ModelViewSet):
    model = Membership
    icon = "user"
    menu_label = _("Who works where")
    url_namespace = "offices_membership"
    url_prefix = "offices/memberships"
    list_display = ["user", "office", "region"]
    list_filter = ["office", "region"]
    inspect_view_enabled = False
    form_fields = ["user", "office", "region"]


class OfficesGroup(ViewSetGroup):
    menu_label = _("Offices")
    menu_icon = "home"
    menu_order = 900
    items = (OfficeViewSet, RegionViewSet, MembershipViewSet)


@hooks.register("register_admin_viewset")
def register_offices_viewsets():
    return OfficesGroup()
