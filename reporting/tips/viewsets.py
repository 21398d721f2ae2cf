"""The "Laporan" list in the Wagtail admin: its filters (each officer offered only their own areas and
sessions), the open tips first, search by id, tracking code or words, the history view, and the
viewset that joins them to the tip's page (reporting/tips/admin_views.py). Registered by
reporting/tips/wagtail_hooks.py.
"""

import django_filters
from django.db.models import F
from django.forms.models import ModelChoiceIterator
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from events import scoping as event_scoping
from events.services import rws
from pimpasa.admin.audit import ScopedHistoryView
from reporting.referrals.admin_views import DeadlineColumn
from reporting.referrals.services import clocks
from reporting.tips import scoping as tip_scoping
from reporting.tips.conversation import services as conversation
from reporting.tips.models import Tip
from reporting.tips.services import tips as tip_service

from .admin_views import TipActionView, TipDetailView, evidence_file
from .flood_views import FloodSweepView
from .handoff_views import TipHandoffView
from .share_views import TipShareView


class RecentSessionChoices(ModelChoiceIterator):
    def __init__(self, field):
        super().__init__(field)
        self.queryset = self.queryset[: field.OFFERED]


class RecentSessionField(django_filters.fields.ModelChoiceField):
    """Offers the most recent sessions, accepts any the user may see: a list of every session an
    office ever held (20,000 after a few years) made the tips list megabytes and seconds long."""

    OFFERED = 200
    iterator = RecentSessionChoices


class RecentSessionFilter(django_filters.ModelChoiceFilter):
    field_class = RecentSessionField


class TipFilterSet(WagtailFilterSet):
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=Tip.Status.choices,
        widget=django_filters.widgets.forms.CheckboxSelectMultiple,
    )
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Tip.Category.choices)
    # Each officer is offered only their own areas and sessions to filter by.
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), queryset=lambda request: event_scoping.areas_for(request.user)
    )
    session = RecentSessionFilter(
        label=_("Session"),
        queryset=lambda request: event_scoping.sessions_for(request.user).order_by("-starts_at"),
    )
    # The "Where" page's cells link here with an area, an RW and a period (events.services.rws).
    rw = django_filters.CharFilter(label=_("RW"), method="filter_rw")
    created_at = django_filters.DateFromToRangeFilter(label=_("Received"), widget=DateRangePickerWidget)
    # Open tips are the list's default (TipIndexView); closed ones are a filter away, never mixed in.
    state = django_filters.ChoiceFilter(
        label=_("Open or closed"),
        choices=[("closed", _("Closed")), ("all", _("Open and closed"))],
        empty_label=_("Open"),
        method="filter_state",
    )
    assigned = django_filters.ChoiceFilter(
        label=_("Assigned"),
        choices=[("none", _("Not assigned to anyone")), ("me", _("Assigned to me"))],
        method="filter_assigned",
    )

    # The dashboard's "overdue" figure links here: the same rule (reporting.referrals.services.clocks).
    deadline = django_filters.ChoiceFilter(
        label=_("Deadline"),
        choices=[("overdue", _("Overdue"))],
        empty_label=_("Any"),
        method="filter_deadline",
    )

    # The dashboard's unread-answers panel links here; officers find the tips whose reporter answered.
    conversation = django_filters.ChoiceFilter(
        label=_("Conversation with the reporter"),
        choices=conversation.ListFilter.CHOICES,
        empty_label=_("Any"),
        method="filter_conversation",
    )

    class Meta:
        model = Tip
        fields = [
            "state",
            "assigned",
            "deadline",
            "conversation",
            "status",
            "category",
            "area",
            "rw",
            "session",
            "created_at",
        ]

    def filter_rw(self, queryset, name, value):
        if value.strip() == rws.NO_RW:
            return queryset.filter(rw="")
        pattern = rws.rw_regex(value)
        return queryset.filter(rw__regex=pattern) if pattern else queryset.filter(rw__iexact=value.strip())

    def filter_deadline(self, queryset, name, value):
        return queryset.filter(clocks.overdue_filter(clocks.service_levels()))

    def filter_conversation(self, queryset, name, value):
        return conversation.filter_by_conversation(queryset, value)

    def filter_state(self, queryset, name, value):
        if value == "closed":
            return queryset.filter(status__in=tip_service.FINAL_STATUSES)
        return queryset  # "all"; the default (open) is applied by the view

    def filter_assigned(self, queryset, name, value):
        if value == "none":
            return queryset.filter(assigned_to__isnull=True)
        return queryset.filter(assigned_to=self.request.user)


class TipIndexView(generic.IndexView):
    # Rows become cards on a phone (static/css/admin.css).
    table_classname = "pimpasa-cards"

    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("area", "session", "assigned_to")
        if not self.request.GET.get("state"):
            queryset = queryset.exclude(status__in=tip_service.FINAL_STATUSES)  # open tips unless asked
        # The deadline column reads each tip's referrals and public notes: fetched for the page at once.
        queryset = conversation.with_conversation_state(tip_scoping.tips_for(self.request.user, queryset))
        return clocks.with_clock_data(queryset)

    def search_queryset(self, queryset):
        """The id the list shows, a reporter's tracking code (by its hash) or words of the tip."""
        if not self.is_searching:
            return queryset
        return tip_service.search_tips(self.request.user, self.search_query, queryset)

    def get_edit_url(self, instance):
        return reverse(self.edit_url_name, args=(instance.pk,))

    def get_list_more_buttons(self, instance):
        return []

    @cached_property
    def header_buttons(self):
        # Sweeping a flood of junk tips is for those who may triage (reporting.tips.services.floods).
        if not self.request.user.has_perm(tip_service.CHANGE_PERMISSION):
            return super().header_buttons
        url = reverse(self.index_url_name.replace(":index", ":flood"))
        return [*super().header_buttons, HeaderButton(_("Sweep a flood"), url=url, icon_name="warning")]


class TipHistoryView(ScopedHistoryView):
    """The audit log of one tip (Wagtail log entries), for those who may see the tip; identity
    reveals only for those who may reveal identities (reporting.tips.scoping)."""

    def get_edit_url(self, instance):
        return reverse(self.edit_url_name, args=(instance.pk,))


def conversation_state(tip):
    state = conversation.list_flag(tip)
    if state is None:
        return "—"
    label, unread = state
    if unread:
        return _("%(state)s (%(count)s new)") % {"state": label, "count": unread}
    return label


def assignee_name(tip):
    if tip.assigned_to is None:
        return _("Not assigned")
    return tip.assigned_to.get_full_name() or tip.assigned_to.get_username()


class TipViewSet(ModelViewSet):
    model = Tip
    name = "laporan"
    icon = "warning"
    menu_label = _("Tips")
    menu_order = 250
    add_to_admin_menu = True
    index_view_class = TipIndexView
    history_view_class = TipHistoryView
    copy_view_enabled = False
    filterset_class = TipFilterSet
    # Shows the search box; the search itself is TipIndexView.search_queryset: these columns are
    # encrypted, their whole words are looked up in the keyed index (pimpasa.blind_index).
    search_fields = ["description", "address", "people_involved", "occurred_when"]
    # Built for triage; a column is one entry here (referrals add their deadline clock).
    list_display = [
        "short_id_display",
        Column(
            "excerpt", label=_("What happened"), accessor=lambda tip: Truncator(tip.description).chars(90)
        ),
        "category",
        "status",
        Column("area_name", label=_("Area"), accessor=lambda tip: tip.area.name if tip.area else "—"),
        Column(
            "session_title",
            label=_("Session"),
            accessor=lambda tip: tip.session.title if tip.session else "—",
        ),
        Column(
            "age", label=_("Waiting"), accessor=lambda tip: timesince(tip.created_at), sort_key="created_at"
        ),
        Column("assignee", label=_("Assigned officer"), accessor=assignee_name),
        Column("conversation", label=_("Conversation"), accessor=conversation_state),
        DeadlineColumn(),
    ]
    list_per_page = 50
    # Unassigned first, then the oldest: what needs someone soonest is at the top.
    ordering = [F("assigned_to").asc(nulls_first=True), "created_at"]

    def get_urlpatterns(self):
        detail = TipDetailView.as_view(viewset=self)
        action = TipActionView.as_view(viewset=self)
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("banjir/", FloodSweepView.as_view(viewset=self), name="flood"),
            path("<uuid:pk>/", detail, name="edit"),
            path("<uuid:pk>/serahkan/", TipHandoffView.as_view(viewset=self), name="handoff"),
            path("<uuid:pk>/bagikan/", TipShareView.as_view(viewset=self), name="share"),
            path("<uuid:pk>/<slug:action>/", action, name="action"),
            path("evidence/<uuid:pk>/", evidence_file, name="evidence"),
            path("history/<uuid:pk>/", self.history_view, name="history"),
            path("history-results/<uuid:pk>/", self.history_results_view, name="history_results"),
        ]
