"""The back office's part of referrals: the "refer to an agency" page of a tip, the referral actions,
the deadline column of the tips list and the dashboard panel of overdue items (the agencies and
service levels menu is in viewsets.py). The rules live in services; these views only speak HTTP.
"""

import dataclasses
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from offices import scoping as office_scoping
from pimpasa import phones
from reporting.tips import drafts
from reporting.tips import scoping as tip_scoping
from reporting.tips.services import tips as tip_service

from .forms import ReferralForm
from .models import Referral
from .services import clocks, overdue, working_days
from .services import conversation as conversation_sharing
from .services import referrals as services


def _no_store(response):
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


def whatsapp_share_url(agency, link):
    """A wa.me link that opens a chat with the agency's WhatsApp number, the referral link typed in."""
    base = phones.wa_me_link(agency.whatsapp) if agency.whatsapp else ""
    if not base:
        return ""
    with translation.override(settings.LANGUAGE_CODE):  # the agency reads Indonesian
        text = str(_("Referral from the immigration office:")) + " " + link
    return f"{base}?text={quote(text)}"


def email_share_url(referral, link):
    """A mailto: link to the agency's addresses with the referral link in its subject's message."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Referral of tip %(id)s from the immigration office") % {"id": referral.tip.short_id}
        body = _(
            "The immigration office refers a tip to %(agency)s. Open it with this link (it needs no "
            "account; do not pass it on):\n\n%(link)s\n"
        ) % {"agency": referral.agency.name, "link": link}
    emails = referral.agency.contacts.values_list("email", flat=True)
    recipients = ",".join(quote(email, safe="@") for email in emails)
    return f"mailto:{recipients}?subject={quote(str(subject))}&body={quote(str(body))}"


class ReferView(WagtailAdminTemplateMixin, TemplateView):
    """Refer a tip to an agency: choose the agency and what it may see; then the link, shown once."""

    template_name = "reporting/referrals/admin/refer.html"
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        try:
            self.tip = tip_service.get_visible_tip(request.user, kwargs["tip_id"])
        except PermissionDenied:
            raise Http404 from None
        if not services.can_refer(request.user, self.tip):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Refer tip %(id)s to an agency") % {"id": self.tip.short_id}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("laporan:index"), "label": _("Tips")},
            {
                "url": reverse("laporan:edit", args=[self.tip.pk]),
                "label": _("Tip %(id)s") % {"id": self.tip.short_id},
            },
            {"url": "", "label": _("Refer to an agency")},
        ]

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            tip=self.tip,
            form=form or ReferralForm(tip=self.tip),
            tip_url=reverse("laporan:edit", args=[self.tip.pk]),
            open_referrals=self.tip.referrals.filter(revoked_at__isnull=True).select_related("agency"),
        )
        return context

    def get(self, request, *args, **kwargs):
        return _no_store(self.render_to_response(self.get_context_data()))

    def post(self, request, *args, **kwargs):
        form = ReferralForm(request.POST, tip=self.tip)
        try:
            if not form.is_valid():
                raise ValidationError(_("Check the form below."))
            referral, link = services.refer(
                self.tip, request.user, form.cleaned_data["agency"], form.sharing()
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return _no_store(self.render_to_response(self.get_context_data(form=form), status=400))
        return _link_page(request, referral, link)


def _link_page(request, referral, link):
    """The link, once: only its hash is kept, so this page cannot be shown again."""
    view = LinkSentView.as_view(referral=referral, link=link)
    return _no_store(view(request))


class LinkSentView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "reporting/referrals/admin/link_sent.html"
    header_icon = "mail"
    referral = None
    link = ""

    def get_page_title(self):
        return _("Sent to %(agency)s") % {"agency": self.referral.agency.name}

    def get_breadcrumbs_items(self):
        tip = self.referral.tip
        return [
            *self.breadcrumbs_items,
            {"url": reverse("laporan:index"), "label": _("Tips")},
            {"url": reverse("laporan:edit", args=[tip.pk]), "label": _("Tip %(id)s") % {"id": tip.short_id}},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            referral=self.referral,
            link=self.link,
            whatsapp_url=whatsapp_share_url(self.referral.agency, self.link),
            email_url=email_share_url(self.referral, self.link),
            tip_url=reverse("laporan:edit", args=[self.referral.tip_id]),
        )
        return context

    def post(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())


def _referral_for(request, pk):
    referral = get_object_or_404(Referral.objects.select_related("tip", "agency"), pk=pk)
    if not tip_scoping.can_see_tip(request.user, referral.tip):
        raise Http404
    return referral


def _act(request, pk, action, done_message):
    referral = _referral_for(request, pk)
    drafts.keep(request, referral.tip)  # the tip page's typed triage comes back unsaved
    try:
        action(referral, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done_message)
    return redirect("laporan:edit", referral.tip_id)


@require_POST
def revoke(request, pk):
    return _act(request, pk, services.revoke, _("The link is revoked: it no longer opens anything."))


@require_POST
def approve_identity(request, pk):
    return _act(
        request,
        pk,
        services.approve_identity,
        _("Approved: the agency now sees the reporter's name and contact."),
    )


@require_POST
def renew(request, pk):
    referral = _referral_for(request, pk)
    drafts.keep(request, referral.tip)
    try:
        referral, link = services.renew_link(referral, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("laporan:edit", referral.tip_id)
    return _link_page(request, referral, link)


@require_POST
def share_reporter_item(request, tip_id):
    """One reporter's later message or file shared with one agency (a button of the tip's page, which
    submits its one triage form: "message|evidence:<item id>:<referral id>" in `item`). What else was
    typed waits for the officer's return (reporting.tips.drafts), as with the page's other buttons."""
    try:
        tip = tip_service.get_visible_tip(request.user, tip_id)
    except PermissionDenied:
        raise Http404 from None
    try:
        kind, item_id, referral_id = request.POST.get("item", "").split(":")
        referral = tip.referrals.get(pk=referral_id)
        if kind == "message":
            target = {"message": tip.messages.get(pk=item_id)}
        elif kind == "evidence":
            target = {"evidence": tip.evidence.get(pk=item_id)}
        else:
            raise Http404
    except (ValueError, ValidationError, ObjectDoesNotExist):
        raise Http404 from None
    if tip_service.can_change(request.user, tip):
        drafts.keep(request, tip)
    try:
        conversation_sharing.share(tip, request.user, referral, **target)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Shared with %(agency)s: it appears on the agency's page.") % {"agency": referral.agency.name},
        )
    return redirect(reverse("laporan:edit", args=(tip.pk,)) + "#conversation")


def admin_urlpatterns():
    return [
        path("rujukan/laporan/<uuid:tip_id>/", ReferView.as_view(), name="referrals_refer"),
        path("rujukan/<uuid:pk>/cabut/", revoke, name="referrals_revoke"),
        path("rujukan/<uuid:pk>/identitas/", approve_identity, name="referrals_approve_identity"),
        path("rujukan/<uuid:pk>/tautan-baru/", renew, name="referrals_renew"),
        path("rujukan/laporan/<uuid:tip_id>/bagikan/", share_reporter_item, name="referrals_share_item"),
    ]


# --- clocks in the tips list and on the dashboard ---------------------------------------------------


class DeadlineColumn(Column):
    """The most urgent running clock of a tip (its queryset comes through clocks.with_clock_data)."""

    cell_template_name = "reporting/referrals/admin/deadline_cell.html"

    def __init__(self, **kwargs):
        super().__init__("deadline", label=_("Deadline"), **kwargs)

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        # The service levels are read once per page, kept on the request (never across requests).
        request = parent_context["request"]
        if not hasattr(request, "_pimpasa_service_levels"):
            request._pimpasa_service_levels = clocks.service_levels()
        context["clock"] = clocks.most_urgent(clocks.tip_clocks(instance, request._pimpasa_service_levels))
        return context


class DeadlinesPanel(Component):
    """Dashboard: the overdue and due-soon items among the tips this user may see."""

    name = "deadlines"
    template_name = "reporting/referrals/admin/deadlines_panel.html"
    # Right after the dashboard's open tips (reporting.dashboard, order 140).
    order = 145
    LISTED = 10

    def __init__(self, user, figures=None):
        self.user = user
        # The user -> the panel's figures (deadline_summary below by default; the dashboard hands
        # in its figures worked out for everyone, reporting.dashboard.panels.deadline_figures).
        self.figures = figures or deadline_summary

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context.update(self.figures(self.user))
        return context


# Like the dashboard's own figures: worked out at most once a minute per scope, not on every visit.
DEADLINES_CACHE_SECONDS = 60


@dataclass(frozen=True)
class OverdueRow:
    """What the panel shows of one overdue item, and all the shared cache keeps of it: no tip text,
    no reporter, no referral link (the tip and referral rows themselves stay in the database)."""

    tip_pk: str
    short_id: str
    area: str
    clock: clocks.Clock
    agency: str

    @classmethod
    def of(cls, tip, clock):
        agency = clock.referral.agency.name if clock.referral else ""
        return cls(
            tip_pk=str(tip.pk),
            short_id=tip.short_id,
            area=tip.area.name if tip.area else "",
            clock=dataclasses.replace(clock, referral=None),
            agency=agency,
        )


def deadline_summary(user, today=None):
    """The overdue items (most overdue first, the first few), how many are overdue and due soon among
    the open tips `user` may see, and (for those who see every tip) agency links refused lately."""
    today = today or working_days.today()

    def compute():
        # Counted and listed by the database (reporting.referrals.services.overdue): a fixed number of
        # queries, never every open tip loaded.
        open_tips = overdue.open_tips_of(tip_scoping.tips_for(user))
        found = overdue.summary(open_tips, clocks.service_levels(), today, DeadlinesPanel.LISTED)
        return {
            "overdue": [OverdueRow.of(tip, clock) for tip, clock in found["overdue"]],
            "overdue_count": found["overdue_count"],
            "due_soon_count": found["due_soon_count"],
            "refused_links": (services.refused_links_since(30) if tip_scoping.sees_every_tip(user) else None),
        }

    scope = office_scoping.cache_scope(user, everything=tip_scoping.sees_every_tip(user))
    key = f"dashboard:v1:deadlines:{scope}:{today.isoformat()}"
    return cache.get_or_set(key, compute, DEADLINES_CACHE_SECONDS)
