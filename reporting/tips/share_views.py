"""Sharing a tip with the Directorate (reporting.tips.services.shares): the page where a supervisor of
the tip's office shares it (with a note) or withdraws the share, and the national team's list of the
tips shared with it and each one's read-only page. Whoever may not see a page gets a 404."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from offices import scoping as offices
from reporting.tips import scoping as tip_scoping
from reporting.tips.models import Tip
from reporting.tips.services import shares
from reporting.tips.services import tips as tip_service

SHARED_NAMESPACE = "laporan_dibagikan"


class ShareForm(forms.Form):
    note = forms.CharField(
        label=_("Why the Directorate should see this tip"),
        max_length=shares.MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the Directorate should see this tip.")},
    )


class TipShareView(WagtailAdminTemplateMixin, TemplateView):
    """/admin/laporan/<pk>/bagikan/: share the tip with the Directorate, or withdraw its share."""

    template_name = "reporting/tips/admin/share.html"
    page_title = _("Share a tip with the Directorate")
    header_icon = "view"
    viewset = None

    def dispatch(self, request, *args, **kwargs):
        try:
            self.tip = tip_service.get_visible_tip(request.user, kwargs["pk"])
        except PermissionDenied:
            raise Http404 from None
        if not shares.may_share(request.user, self.tip):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.tip.short_id

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.viewset.get_url_name("index")), "label": _("Tips")},
            {"url": self.back_url, "label": self.tip.short_id},
            {"url": "", "label": self.get_page_title()},
        ]

    @cached_property
    def back_url(self):
        return reverse(self.viewset.get_url_name("edit"), args=[self.tip.pk])

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            tip=self.tip,
            share=shares.share_in_force(self.tip),
            form=form or ShareForm(),
            back_url=self.back_url,
        )
        return context

    def post(self, request, *args, **kwargs):
        if request.POST.get("do") == "withdraw":
            try:
                shares.withdraw(self.tip, request.user)
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(request, _("The tip is no longer shared with the Directorate."))
            return redirect(self.back_url)
        form = ShareForm(request.POST)
        if form.is_valid():
            try:
                shares.share(self.tip, request.user, form.cleaned_data["note"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("The tip is shared with the Directorate; its reporter's identity is not.")
                )
                return redirect(self.back_url)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class SharedTipIndexView(WagtailAdminTemplateMixin, TemplateView):
    """/admin/laporan-dibagikan/: the tips shared with the Directorate, newest share first."""

    template_name = "reporting/tips/admin/shared_index.html"
    page_title = _("Shared with the Directorate")
    header_icon = "view"
    PER_PAGE = 50

    def dispatch(self, request, *args, **kwargs):
        if not offices.monitors_all_offices(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(shares.shares_for(self.request.user), self.PER_PAGE).get_page(
            self.request.GET.get("p")
        )
        context.update(page=page, shares=page.object_list)
        return context


class SharedTipDetailView(WagtailAdminTemplateMixin, TemplateView):
    """/admin/laporan-dibagikan/<pk>/: a shared tip, read-only: what was reported, where, its office and
    the steps of its handling. Never the reporter, the conversation, evidence or any action."""

    template_name = "reporting/tips/admin/shared_detail.html"
    header_icon = "view"

    def dispatch(self, request, *args, **kwargs):
        self.tip = (
            tip_scoping.shared_tips_for(request.user, Tip.objects.select_related("area", "office", "session"))
            .filter(pk=kwargs["pk"])
            .first()
        )
        if self.tip is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Tip %(id)s") % {"id": self.tip.short_id}

    def get_page_subtitle(self):
        return self.tip.get_category_display()

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(f"{SHARED_NAMESPACE}:index"), "label": _("Shared with the Directorate")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            tip=self.tip,
            share=shares.share_in_force(self.tip),
            history=shares.history_for_national(self.tip),
        )
        return context

    def get(self, request, *args, **kwargs):
        shares.record_shared_tip_viewed(self.tip, request.user)
        response = self.render_to_response(self.get_context_data())
        response["Cache-Control"] = "no-store, private"
        return response


class SharedTipMenuItem(MenuItem):
    def is_shown(self, request):
        return offices.monitors_all_offices(request.user)


class SharedTipViewSet(ViewSet):
    name = "laporan-dibagikan"
    url_namespace = SHARED_NAMESPACE
    icon = "view"
    menu_label = _("Shared with the Directorate")
    menu_order = 256
    add_to_admin_menu = True

    @cached_property
    def menu_item_class(self):
        return SharedTipMenuItem

    def get_urlpatterns(self):
        return [
            path("", SharedTipIndexView.as_view(), name="index"),
            path("<uuid:pk>/", SharedTipDetailView.as_view(), name="detail"),
        ]
