"""Triage of tips in the Wagtail admin: the "Laporan" list, a detail page with evidence and history,
and one POST endpoint per action. Every check is delegated to reporting.tips.services.tips; these views
only translate between HTTP and those functions.
"""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet

from pimpasa import scoping
from pimpasa.admin.audit import ScopedHistoryView
from reporting.tips.forms import AssignForm, DuplicateForm, ForwardForm, NoteForm, StatusForm
from reporting.tips.models import Evidence, Tip
from reporting.tips.referrals.admin_views import DeadlineColumn
from reporting.tips.services import identity as identity_service
from reporting.tips.services import referrals as referral_services
from reporting.tips.services import tips as tip_service


class TipFilterSet(WagtailFilterSet):
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=Tip.Status.choices,
        widget=django_filters.widgets.forms.CheckboxSelectMultiple,
    )
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Tip.Category.choices)
    # Each officer is offered only their own areas and sessions to filter by.
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), queryset=lambda request: scoping.areas_for(request.user)
    )
    session = django_filters.ModelChoiceFilter(
        label=_("Session"),
        queryset=lambda request: scoping.sessions_for(request.user).order_by("-starts_at"),
    )
    created_at = django_filters.DateFromToRangeFilter(label=_("Received"), widget=DateRangePickerWidget)

    class Meta:
        model = Tip
        fields = ["status", "category", "area", "session", "created_at"]


class TipIndexView(generic.IndexView):
    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("area", "session", "assigned_to")
        # The deadline column reads each tip's referrals and public notes: fetched for the page at once.
        return referral_services.with_clock_data(scoping.tips_for(self.request.user, queryset))

    def get_edit_url(self, instance):
        return reverse(self.edit_url_name, args=(instance.pk,))

    def get_list_more_buttons(self, instance):
        return []


class TipHistoryView(ScopedHistoryView):
    """The audit log of one tip (Wagtail log entries), for those who may see the tip; identity
    reveals only for those who may reveal identities (pimpasa.scoping)."""

    def get_edit_url(self, instance):
        return reverse(self.edit_url_name, args=(instance.pk,))


def _no_store(response):
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


class TipDetailView(WagtailAdminTemplateMixin, TemplateView):
    """One tip: what was reported, the evidence, the history, and the triage forms."""

    template_name = "reporting/tips/admin/detail.html"
    viewset = None
    forms = {
        "status": StatusForm,
        "assign": AssignForm,
        "note": NoteForm,
        "forward": ForwardForm,
        "duplicate": DuplicateForm,
    }

    def dispatch(self, request, *args, **kwargs):
        # A tip the user may not see answers as if it did not exist.
        try:
            self.tip = tip_service.get_visible_tip(request.user, kwargs["pk"])
        except PermissionDenied:
            raise Http404 from None
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Tip %(id)s") % {"id": self.tip.short_id}

    def get_page_subtitle(self):
        return self.tip.get_category_display()

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.viewset.get_url_name("index")), "label": _("Tips")},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def make_form(self, action, data=None):
        form_class = self.forms[action]
        kwargs = {"prefix": action}
        if action == "status":
            kwargs["tip"] = self.tip
        if action == "assign":
            kwargs["officers"] = tip_service.assignable_officers()
            kwargs["initial"] = {"officer": self.tip.assigned_to_id}
        return form_class(data, **kwargs)

    def get_context_data(self, bound_form=None, identity=None, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        tip = (
            Tip.objects.select_related("area", "session", "assigned_to", "duplicate_of")
            .prefetch_related("evidence")
            .get(pk=self.tip.pk)
        )
        self.tip = tip
        can_change = tip_service.can_change(user, tip)
        forms = {}
        if can_change:
            forms = {action: self.make_form(action) for action in self.forms}
            if bound_form is not None:
                forms[bound_form.prefix] = bound_form
        context.update(
            tip=tip,
            history=tip.history.select_related("actor", "assigned_to"),
            evidence=tip.evidence.all(),
            can_change=can_change,
            can_reveal=scoping.may_reveal_identity(user) and tip.has_identity,
            identity=identity,
            forms=forms,
            action_url_name=self.viewset.get_url_name("action"),
            evidence_url_name=self.viewset.get_url_name("evidence"),
            history_url=reverse(self.viewset.get_url_name("history"), args=(tip.pk,)),
            duplicate_url=(
                reverse(self.viewset.get_url_name("edit"), args=(tip.duplicate_of_id,))
                if tip.duplicate_of_id and scoping.can_see_tip(user, tip.duplicate_of)
                else None
            ),
        )
        return context

    def get(self, request, *args, **kwargs):
        tip_service.record_tip_viewed(self.tip, request.user)
        return _no_store(self.render_to_response(self.get_context_data()))


@method_decorator(require_POST, name="dispatch")
class TipActionView(TipDetailView):
    """POST /<pk>/<action>/: perform one triage action, then back to the tip (or its form with errors)."""

    def post(self, request, *args, **kwargs):
        action = kwargs["action"]
        user = request.user
        if action == "identity":
            identity = identity_service.reveal_identity(self.tip, user)
            return _no_store(self.render_to_response(self.get_context_data(identity=identity)))
        if action not in self.forms:
            raise Http404
        if not tip_service.can_change(user, self.tip):
            raise PermissionDenied
        form = self.make_form(action, request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(_("Check the form below."))
            self.perform(action, form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return _no_store(self.render_to_response(self.get_context_data(bound_form=form), status=400))
        messages.success(request, _("Saved."))
        return redirect(self.viewset.get_url_name("edit"), self.tip.pk)

    def perform(self, action, data):
        tip, user = self.tip, self.request.user
        if action == "status":
            tip_service.change_status(
                tip, user, data["status"], note=data["note"], public_note=data["public_note"]
            )
        elif action == "assign":
            tip_service.assign(tip, user, data["officer"])
        elif action == "note":
            tip_service.add_note(tip, user, data["text"], public=data["public"])
        elif action == "forward":
            tip_service.forward(tip, user, data["target"], note=data["note"])
        elif action == "duplicate":
            original = scoping.tips_for(user).filter(pk=data["original"]).first()
            if original is None:
                raise ValidationError(_("No tip you can see has this id."))
            tip_service.mark_duplicate(tip, user, original, note=data["note"])


def evidence_file(request, pk):
    """An evidence file for staff who may see its tip: images may be shown inline (we re-encoded
    them), everything else is only ever an attachment; the browser may not guess another type."""
    item = get_object_or_404(Evidence.objects.select_related("tip"), pk=pk)
    try:
        handle = tip_service.open_evidence(item, request.user)
    except PermissionDenied:
        raise Http404 from None
    if handle is None:
        raise Http404
    inline = request.GET.get("preview") == "1" and item.is_image
    response = FileResponse(
        handle, as_attachment=not inline, filename=item.download_name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return _no_store(response)


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
    search_fields = ["description", "address", "people_involved", "occurred_when"]
    list_display = [
        "short_id_display",
        "category",
        "status",
        "area",
        "session",
        "assigned_to",
        DateColumn("created_at", label=_("Received"), sort_key="created_at"),
        DeadlineColumn(),
    ]
    list_per_page = 50
    ordering = ["-created_at"]

    def get_urlpatterns(self):
        detail = TipDetailView.as_view(viewset=self)
        action = TipActionView.as_view(viewset=self)
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<uuid:pk>/", detail, name="edit"),
            path("<uuid:pk>/<slug:action>/", action, name="action"),
            path("evidence/<uuid:pk>/", evidence_file, name="evidence"),
            path("history/<uuid:pk>/", self.history_view, name="history"),
            path("history-results/<uuid:pk>/", self.history_results_view, name="history_results"),
        ]
