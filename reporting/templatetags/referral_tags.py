"""Referral blocks included in the tip's page (admin) and the public status page, so that those pages
only include a template: the referrals and their clocks are gathered here."""

from django import template

from reporting.referrals.services import clocks
from reporting.referrals.services import conversation as conversation_sharing
from reporting.referrals.services import referrals as services
from reporting.tips import scoping as tip_scoping
from reporting.tips.services import tips as tip_service

register = template.Library()


@register.inclusion_tag("reporting/referrals/admin/tip_referrals.html", takes_context=True)
def tip_referrals(context, tip):
    """The tip page's "Referrals" section: each referral with its clocks and actions, and the clocks."""
    user = context["request"].user
    levels = clocks.service_levels()
    tip_with_data = clocks.with_clock_data(tip.__class__.objects.filter(pk=tip.pk)).get()
    running = clocks.tip_clocks(tip_with_data, levels)
    referrals = list(tip_with_data.referrals.all())
    for referral in referrals:
        referral.clocks = [clock for clock in running if clock.referral is referral]
    return {
        "tip": tip,
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "referrals": referrals,
        "tip_clocks": [clock for clock in running if clock.referral is None],
        "can_refer": services.can_refer(user, tip) and tip.status not in tip_service.FINAL_STATUSES,
        "can_change": tip_service.can_change(user, tip),
        "can_approve": tip_scoping.may_reveal_identity(user) and services.identity_consented(tip),
        # The tip page's one form, which this section's buttons submit (reporting.tips.drafts).
        "triage_form_id": context.get("triage_form_id", "") if context.get("form") else "",
    }


@register.inclusion_tag("reporting/referrals/status_lines.html")
def referral_lines(tip):
    """The status page's plain lines: "Forwarded to BP3MI — received 4 Dec"; never the agency's words."""
    return {"referrals": services.public_referrals(tip)}


@register.simple_tag
def answer_clock(tip, messages):
    """The working-day clock for answering the reporter on the tip's page (None when none runs)."""
    return conversation_sharing.answer_clock(tip, messages)


@register.simple_tag
def open_referrals_of(tip):
    """The open referrals a reporter's later message or file can be shared through."""
    return conversation_sharing.open_referrals(tip)
