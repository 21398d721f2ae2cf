"""Handing a tip to another office (issue 25): when what was reported is the other office's business
(the place, the people, the route abroad run through its area).

The same safety rules as a referral to an agency (reporting.referrals): the reporter's identity goes
with the tip only when the reporter agreed to be contacted *and* the receiving office's rules allow it
(Office.receives_reporter_identity); otherwise it stays with the office that had it
(Tip.identity_kept_by): nobody at the receiving office can reveal it. The tip's history and the audit
log record the hand-off; the tip's clocks (reporting.referrals.services.clocks) run on from the tip's
arrival, never restarted. From then on the tip is in the receiving office's scope and leaves the old
one's (reporting.tips.scoping): it is unassigned, for the new office's supervisors to assign.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from offices.models import Office
from reporting.tips.models import Tip, TipHandoff, TipHistory

from . import tips as tip_service

HANDED_OVER = "reporting.tip.handed_over"


def receiving_offices(tip):
    """The offices a tip may be handed to: every office but its own."""
    return Office.objects.exclude(pk=tip.office_id).select_related("region").order_by("region__name", "name")


def identity_travels(tip, to_office):
    """Does the reporter's identity go with the tip to `to_office`? Only when there is one the reporter
    agreed to be contacted with, it is not left behind already, and that office's rules allow it."""
    return (
        tip.has_identity
        and tip.identity_consent_at is not None
        and tip.purged_at is None
        and tip.identity_kept_by_id is None
        and to_office.receives_reporter_identity
    )


@transaction.atomic
def hand_over(tip, user, to_office, reason=""):
    """Hand `tip` to `to_office` for `user` (who may change it). Returns the TipHandoff."""
    if not tip_service.can_change(user, tip):
        raise PermissionDenied
    tip = Tip.objects.select_for_update().get(pk=tip.pk)
    if to_office.pk == tip.office_id:
        raise ValidationError(_("The tip is already this office's."))
    from_office_id = tip.office_id
    travels = identity_travels(tip, to_office)
    if tip.has_identity and not travels and tip.identity_kept_by_id is None:
        tip.identity_kept_by_id = from_office_id
    tip.office = to_office
    tip.assigned_to = None
    tip.save(update_fields=["office", "identity_kept_by", "assigned_to", "updated_at"])
    handoff = TipHandoff.objects.create(
        tip=tip,
        from_office_id=from_office_id,
        to_office=to_office,
        reason=reason.strip(),
        identity_travelled=travels,
        handed_by=user,
    )
    TipHistory.objects.create(
        tip=tip,
        kind=TipHistory.Kind.HANDED_OVER,
        note=_("To %(office)s. %(reason)s") % {"office": to_office.name, "reason": reason.strip()},
        actor=user,
    )
    log(
        tip,
        HANDED_OVER,
        user=user,
        data={"from_office": from_office_id, "to_office": to_office.pk, "identity_travelled": travels},
    )
    return handoff
