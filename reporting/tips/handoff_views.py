"""The page that hands a tip to another office (reporting.tips.services.handoffs): the offices to
choose from, what happens to the reporter's identity, a reason; one button."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from reporting.tips.services import handoffs
from reporting.tips.services import tips as tip_service


class HandoffForm(forms.Form):
    to_office = forms.ModelChoiceField(
        label=_("Hand over to"),
        queryset=None,
        empty_label=_("Choose an office"),
        error_messages={"required": _("Choose the office that takes the tip over.")},
    )
    reason = forms.CharField(
        label=_("Why this office"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the tip is that office's business.")},
    )

    def __init__(self, *args, tip, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_office"].queryset = handoffs.receiving_offices(tip)


class TipHandoffView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "reporting/tips/admin/handoff.html"
    page_title = _("Hand a tip to another office")
    header_icon = "arrow-right"
    viewset = None

    def dispatch(self, request, *args, **kwargs):
        # A tip the user may not see, or may not change, answers as if it did not exist.
        try:
            self.tip = tip_service.get_visible_tip(request.user, kwargs["pk"])
        except PermissionDenied:
            raise Http404 from None
        if not tip_service.can_change(request.user, self.tip):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.tip.short_id

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.viewset.get_url_name("index")), "label": _("Tips")},
            {
                "url": reverse(self.viewset.get_url_name("edit"), args=[self.tip.pk]),
                "label": self.tip.short_id,
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            tip=self.tip,
            form=form or HandoffForm(tip=self.tip),
            offices=[
                (office, handoffs.identity_travels(self.tip, office))
                for office in handoffs.receiving_offices(self.tip)
            ],
            has_identity=self.tip.has_identity,
            back_url=reverse(self.viewset.get_url_name("edit"), args=[self.tip.pk]),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = HandoffForm(request.POST, tip=self.tip)
        if form.is_valid():
            try:
                handoff = handoffs.hand_over(
                    self.tip, request.user, form.cleaned_data["to_office"], form.cleaned_data["reason"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The tip was handed to %(office)s; it is no longer in your office's list.")
                    % {"office": handoff.to_office.name},
                )
                return redirect(self.viewset.get_url_name("index"))
        return self.render_to_response(self.get_context_data(form=form), status=400)
