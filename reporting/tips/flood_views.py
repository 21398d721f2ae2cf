"""Sweeping a flood of junk tips out of the triage list (linked from the "Tips" list's header).

Three steps, one address: pick a time window and see the groups of identical tips in it (largest
first, one sample each); open a group to see how many tips a sweep would mark and the first of them;
confirm, and they are marked "not actionable" at once. The rules (whose tips, which statuses, the
history and audit entries, refusing when the flood changed meanwhile) are in
reporting.tips.services.floods; this view only translates.
"""

import re
from datetime import timedelta
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from reporting.tips.services import floods
from reporting.tips.services.tips import TipError

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
MAX_WINDOW = timedelta(days=31)
_FINGERPRINT = re.compile(r"[0-9a-f]{32}")


def _datetime_field(label):
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


class FloodWindowForm(forms.Form):
    since = _datetime_field(_("Received from"))
    until = _datetime_field(_("Received until"))
    min_size = forms.IntegerField(
        label=_("At least this many identical tips"),
        min_value=2,
        max_value=100_000,
        initial=floods.DEFAULT_MIN_SIZE,
    )

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until:
            if until <= since:
                self.add_error("until", _("The end must come after the start."))
            elif until - since > MAX_WINDOW:
                self.add_error("until", _("Choose a window of at most 31 days."))
        return cleaned


class SweepForm(FloodWindowForm):
    group = forms.CharField(widget=forms.HiddenInput, max_length=32)
    expected = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = forms.CharField(
        label=_("Internal note (optional)"),
        required=False,
        max_length=500,
        help_text=_(
            "Written in each tip's history. Without it: “Swept as part of a flood of identical tips.”"
        ),
    )
    confirm = forms.BooleanField(
        label=_("I have checked the sample: these tips are junk and not actionable."),
        error_messages={"required": _("Confirm that you checked the sample.")},
    )

    def clean_group(self):
        group = self.cleaned_data["group"]
        if not _FINGERPRINT.fullmatch(group):
            raise forms.ValidationError(_("This group does not exist."))
        return group


def _window_query(data):
    """The window as the query string of a group's "Review" link (local time, as the form shows it)."""
    return urlencode(
        {
            "since": timezone.localtime(data["since"]).strftime(DATETIME_FORMAT),
            "until": timezone.localtime(data["until"]).strftime(DATETIME_FORMAT),
            "min_size": data["min_size"],
        }
    )


class FloodSweepView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "reporting/tips/admin/flood.html"
    page_title = _("Sweep a flood of tips")
    header_icon = "warning"
    viewset = None

    def dispatch(self, request, *args, **kwargs):
        floods.require_sweeper(request.user)  # editors and anyone without reporting.change_tip: 403
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.viewset.get_url_name("index")), "label": _("Tips")},
            {"url": "", "label": self.get_page_title()},
        ]

    def _default_window(self):
        now = timezone.localtime().replace(second=0, microsecond=0)
        return {
            "since": now - timedelta(days=1),
            "until": now + timedelta(minutes=1),
            "min_size": floods.DEFAULT_MIN_SIZE,
        }

    def get(self, request, *args, **kwargs):
        window = FloodWindowForm(
            request.GET if "since" in request.GET else None, initial=self._default_window()
        )
        context = {"window": window, "groups": None, "sweep_form": None}
        data = window.cleaned_data if window.is_bound and window.is_valid() else None
        if not window.is_bound:
            data = self._default_window()
        if data is not None:
            group = request.GET.get("group", "")
            if window.is_bound and _FINGERPRINT.fullmatch(group):
                return self._preview(request, group, data)
            context["groups"] = floods.flood_groups(
                request.user, data["since"], data["until"], data["min_size"]
            )
            context["window_query"] = _window_query(data)
        return self.render_to_response(self.get_context_data(**context))

    def _preview(self, request, group, data, sweep_form=None, errors=(), status=200):
        count, sample = floods.preview(request.user, group, data["since"], data["until"])
        if sweep_form is None:
            initial = {
                "since": data["since"],
                "until": data["until"],
                "min_size": data.get("min_size") or floods.DEFAULT_MIN_SIZE,
                "group": group,
                "expected": count,
            }
            sweep_form = SweepForm(initial=initial)
        window = FloodWindowForm(initial=data)
        context = {
            "window": window,
            "count": count,
            "sample": sample,
            "sweep_form": sweep_form,
            "group": group,
            "errors": errors,
        }
        response = self.render_to_response(self.get_context_data(**context))
        response.status_code = status
        return response

    def post(self, request, *args, **kwargs):
        form = SweepForm(request.POST)
        if not form.is_valid():
            if (
                form.cleaned_data.get("group")
                and form.cleaned_data.get("since")
                and form.cleaned_data.get("until")
            ):
                return self._preview(request, form.cleaned_data["group"], form.cleaned_data, form, status=400)
            messages.error(request, _("The sweep could not be read. Choose the window and the group again."))
            return redirect(reverse(self.viewset.get_url_name("flood")))
        data = form.cleaned_data
        try:
            count = floods.sweep(
                request.user,
                data["group"],
                data["since"],
                data["until"],
                expected=data["expected"],
                note=data["note"],
            )
        except TipError as error:
            # Nothing changed; the page shows the group as it is now, to be confirmed anew.
            return self._preview(request, data["group"], data, errors=error.messages, status=409)
        messages.success(
            request,
            ngettext("%(count)s tip marked not actionable.", "%(count)s tips marked not actionable.", count)
            % {"count": count},
        )
        return redirect(reverse(self.viewset.get_url_name("index")))
