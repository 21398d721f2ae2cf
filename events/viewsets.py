"""Sessions and areas in the Wagtail admin: their viewsets (lists, forms, edit views) under one
"Ngopi Pimpasa" menu group. Registered by events/wagtail_hooks.py.

Officers see and change only their areas' sessions; supervisors all (events.scoping, through
events.permissions). The session tools (run page, poster, projector, walk-ins, guests) hang off the
session viewset's URLs (events/admin_views.py).
"""

import django_filters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton, ListingButton
from wagtail.log_actions import registry as log_registry
from wagtail.models import Locale

from events import scoping as event_scoping
from events.services import rws, sessions
from offices import scoping as office_scoping
from pimpasa.admin.audit import ScopedHistoryView, ScopedUsageView
from pimpasa.admin.booleans import YesNoColumn

from . import admin_views
from .models import Area, Session


class ScopedObjectMixin:
    """An object outside the user's scope (another office's, another officer's) is not found (404);
    one in scope that the user may not act on this way is refused (403), as the policy decides."""

    def dispatch(self, request, *args, **kwargs):
        # Before Wagtail's model-permission check: an officer asking to edit another office's area is
        # told it does not exist, not that officers may not edit areas.
        pk = kwargs.get("pk")
        if pk is not None:
            try:
                found = self.in_scope(request.user).filter(pk=unquote(str(pk))).exists()
            except (ValueError, ValidationError):  # not a key at all: not found either
                found = False
            if not found:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def in_scope(self, user):
        return self.permission_policy.instances_user_has_any_permission_for(
            user, ["add", "change", "delete", "view"]
        )

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        user = self.request.user
        if not self.in_scope(user).filter(pk=obj.pk).exists():
            raise Http404
        action = getattr(self, "permission_required", None) or "view"
        if not self.permission_policy.user_has_permission_for_instance(user, action, obj):
            raise PermissionDenied
        return obj


class ScopedIndexView(generic.IndexView):
    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["view", "change"]
        ).select_related(*self.select_related_fields)

    select_related_fields = ()


class SessionIndexView(ScopedIndexView):
    select_related_fields = ("area",)
    # Rows become cards on a phone (static/css/admin.css): no sideways scrolling, no squeezed buttons.
    table_classname = "pimpasa-cards"

    def get_edit_url(self, instance):
        # What an officer opens a session for on the day is its run page; editing is one tap further.
        return reverse("events_session:run", args=[instance.pk])

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            ListingButton(
                _("Run"),
                url=reverse("events_session:run", args=[instance.pk]),
                icon_name="user",
                priority=5,
            )
        )
        return buttons


class SessionEditView(ScopedObjectMixin, generic.EditView):
    def get_last_updated_info(self):
        # "Last updated" means a change: someone opening the attendee list (audited) is not one.
        return (
            log_registry.get_logs_for_instance(self.object)
            .exclude(action=sessions.ATTENDEES_VIEWED)
            .select_related("user")
            .first()
        )

    @property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Run session"), url=reverse("events_session:run", args=[self.object.pk]), icon_name="user"
            )
        ]


class SessionForm(WagtailAdminModelForm):
    """Officers pick only among their own areas; only officers and supervisors can be listed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "area" in self.fields:
            # An officer listed on a session elsewhere may still save it in its own area.
            areas = event_scoping.areas_for(self.for_user) | Area.objects.filter(pk=self.instance.area_id)
            self.fields["area"].queryset = areas.distinct()
        if "officers" in self.fields:
            self.fields["officers"].queryset = sessions.staff_who_run_sessions(
                None
                if self.for_user is None or self.for_user.is_superuser
                else office_scoping.office_id_of(self.for_user)
            )
        if "topics" in self.fields:
            # Topics exist once per language: offer those of the admin's language (Indonesian topics
            # in the Indonesian admin), and keep whatever the session already names.
            topics = self.fields["topics"].queryset
            chosen = self.instance.topics.values("pk") if self.instance.pk else topics.none().values("pk")
            self.fields["topics"].queryset = topics.filter(
                Q(locale=Locale.get_active()) | Q(pk__in=chosen)
            ).order_by("name")


class AreaForm(WagtailAdminModelForm):
    """An area belongs to the office of the supervisor who adds it; only superusers choose the office.
    The officers offered are that office's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None or user.is_superuser:
            return
        self.fields.pop("office", None)
        office_id = office_scoping.office_id_of(user)
        if self.instance.pk is None and office_id is not None:
            self.instance.office_id = office_id
        if "officers" in self.fields:
            self.fields["officers"].queryset = sessions.staff_who_run_sessions(self.instance.office_id)


class SessionCreateView(generic.CreateView):
    def get_success_url(self):
        # The officer's next step is the day itself: the Run page (poster, QR, walk-ins).
        return reverse("events_session:run", args=[self.object.pk])

    def save_instance(self):
        instance = self.form.save(commit=False)
        instance.created_by = self.request.user
        instance.save()
        self.form.save_m2m()
        return instance


class SessionFilterSet(WagtailFilterSet):
    """The sessions list's filters; the "Where" page's cells link here with an area, a period and an
    RW (a session counts for each RW it targets, events.services.rws)."""

    # The areas the user may see (their office's), as the tips list's filter: not every office's.
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), queryset=lambda request: event_scoping.areas_for(request.user)
    )
    starts_at = django_filters.DateFromToRangeFilter(label=_("starts at"), widget=DateRangePickerWidget)
    rw = django_filters.CharFilter(label=_("RW"), method="filter_rw")

    class Meta:
        model = Session
        fields = ["kind", "status", "area", "is_public", "starts_at", "rw"]

    def filter_rw(self, queryset, name, value):
        if value.strip() == rws.NO_RW:
            return queryset.filter(target_rws="")
        pattern = rws.rw_regex(value)
        return queryset.filter(target_rws__regex=pattern) if pattern else queryset


class SessionViewSet(ModelViewSet):
    model = Session
    icon = "date"
    menu_label = _("Sessions")
    url_namespace = "events_session"
    url_prefix = "events/sessions"
    add_to_admin_menu = False
    index_view_class = SessionIndexView
    add_view_class = SessionCreateView
    edit_view_class = SessionEditView
    delete_view_class = type("SessionDeleteView", (ScopedObjectMixin, generic.DeleteView), {})
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    inspect_view_enabled = False
    copy_view_enabled = False
    list_display = [
        "title",
        "kind",
        "area",
        Column("starts_at", label=_("starts at"), accessor="local_starts_at"),
        "status",
        YesNoColumn("is_public", label=_("public")),
    ]
    filterset_class = SessionFilterSet
    search_fields = ["title", "venue", "area__name", "organising_unit"]
    search_backend_name = None  # plain database filtering: works across the area relation
    ordering = ["-starts_at"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("kind"),
                    FieldPanel("title"),
                    FieldPanel("area"),
                    FieldPanel("venue"),
                    FieldPanel("target_rws"),
                ],
                heading=_("What and where"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                    FieldRowPanel(
                        [
                            FieldPanel("checkin_opens_minutes_before"),
                            FieldPanel("checkin_closes_minutes_after"),
                        ]
                    ),
                ],
                heading=_("When"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("organising_unit"),
                    FieldPanel("officers"),
                    FieldPanel("topics"),
                    FieldPanel("capacity"),
                    FieldPanel("status"),
                    FieldPanel("is_public"),
                ],
                heading=_("Organisation"),
            ),
            FieldPanel("minutes"),
        ],
        base_form_class=SessionForm,
    )

    def get_urlpatterns(self):
        tool = admin_views
        return super().get_urlpatterns() + [
            path("<int:pk>/run/", tool.run, name="run"),
            path("<int:pk>/run/live/", tool.run_live, name="run_live"),
            path("<int:pk>/poster/", tool.poster, name="poster"),
            path("<int:pk>/projector/", tool.projector, name="projector"),
            path("<int:pk>/projector/state/", tool.projector_state, name="projector_state"),
            path("<int:pk>/qr.png", tool.qr_image, {"fmt": "png"}, name="qr_png"),
            path("<int:pk>/qr.svg", tool.qr_image, {"fmt": "svg"}, name="qr_svg"),
            path("<int:pk>/share.png", tool.share_image, name="share_png"),
            path("<int:pk>/walk-in/", tool.add_walk_in, name="walk_in"),
            path("<int:pk>/attendance/<int:attendance_id>/", tool.edit_attendance, name="edit_attendance"),
            path(
                "<int:pk>/attendance/<int:attendance_id>/remove/",
                tool.remove_attendance,
                name="remove_attendance",
            ),
            path("<int:pk>/status/<slug:step>/", tool.change_status, name="status"),
            path("<int:pk>/minutes/", tool.minutes, name="minutes"),
            path("<int:pk>/invalidate-qr/", tool.invalidate_passes, name="invalidate_passes"),
            path("<int:pk>/guests/", tool.guests, name="guests"),
            path("<int:pk>/guests/<int:guest_id>/ticket/", tool.ticket, name="ticket"),
            path("<int:pk>/scan/", tool.scan, name="scan"),
        ]


class AreaViewSet(ModelViewSet):
    model = Area
    icon = "site"
    menu_label = _("Areas")
    url_namespace = "events_area"
    url_prefix = "events/areas"
    add_to_admin_menu = False
    index_view_class = type("AreaIndexView", (ScopedIndexView,), {})
    edit_view_class = type("AreaEditView", (ScopedObjectMixin, generic.EditView), {})
    delete_view_class = type("AreaDeleteView", (ScopedObjectMixin, generic.DeleteView), {})
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    inspect_view_enabled = False
    list_display = [
        "name",
        "kind",
        "kecamatan",
        "city",
        "province",
        YesNoColumn("is_desa_binaan", label=_("Desa Binaan Imigrasi")),
    ]
    list_filter = ["kind", "province", "city", "is_desa_binaan"]
    search_fields = ["name", "kecamatan", "city"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            FieldPanel(name)
            for name in (
                "name",
                "kind",
                "kecamatan",
                "city",
                "province",
                "office",
                "is_desa_binaan",
                "dbi_since",
                "time_zone",
                "officers",
            )
        ],
        base_form_class=AreaForm,
    )


class NgopiPimpasaGroup(ViewSetGroup):
    menu_label = _("Ngopi Pimpasa")
    menu_icon = "group"
    menu_order = 200
    items = (SessionViewSet, AreaViewSet)
