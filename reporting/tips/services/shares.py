"""Sharing a tip with the Directorate (issue 25): the national monitoring team sees every office's
figures but no tip's text, unless the tip's office shares it. A supervisor of the tip's office
(SHARE_PERMISSION) shares it with a note saying why, and may withdraw the share; both are written in
the tip's history (internal entries, never shown to the reporter) and in the audit log. While a share
is in force the national team reads the tip on a read-only page (reporting.tips.shared_views) through
reporting.tips.scoping.shared_tips_for: never the reporter's identity, the conversation or evidence.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from offices import scoping as offices
from reporting.tips import scoping as tip_scoping
from reporting.tips.models import Tip, TipHistory, TipShare

SHARE_PERMISSION = "reporting.share_tip"
SHARED = "reporting.tip.shared_national"
WITHDRAWN = "reporting.tip.share_withdrawn"
MAX_NOTE = 1000


def may_share(user, tip):
    """May `user` share `tip` with the Directorate, or withdraw its share? Staff of the tip's office
    holding the permission (superusers too)."""
    if not (offices.is_active_staff(user) and user.has_perm(SHARE_PERMISSION)):
        return False
    if not tip_scoping.can_see_tip(user, tip):
        return False
    return user.is_superuser or tip.office_id == offices.office_id_of(user)


def share_in_force(tip):
    """The tip's share in force, or None."""
    return TipShare.objects.filter(tip=tip, withdrawn_at__isnull=True).select_related("shared_by").first()


def share(tip, user, note):
    """Share `tip` with the Directorate for `user`, saying why (`note`, required). Returns the TipShare."""
    if not may_share(user, tip):
        raise PermissionDenied
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Say why the Directorate should see this tip."))
    try:
        with transaction.atomic():
            Tip.objects.select_for_update().filter(pk=tip.pk).first()
            if TipShare.objects.filter(tip=tip, withdrawn_at__isnull=True).exists():
                raise ValidationError(_("The tip is already shared with the Directorate."))
            shared = TipShare.objects.create(tip=tip, note=note, shared_by=user)
            TipHistory.objects.create(tip=tip, kind=TipHistory.Kind.SHARED, note=note, actor=user)
            log(tip, SHARED, user=user, data={"share": shared.pk})
    except IntegrityError:  # shared by someone else in the same instant (the partial unique constraint)
        raise ValidationError(_("The tip is already shared with the Directorate.")) from None
    return shared


@transaction.atomic
def withdraw(tip, user):
    """Withdraw the share in force of `tip` for `user`: the national team no longer sees the tip."""
    if not may_share(user, tip):
        raise PermissionDenied
    shared = TipShare.objects.select_for_update().filter(tip=tip, withdrawn_at__isnull=True).first()
    if shared is None:
        raise ValidationError(_("The tip is not shared with the Directorate."))
    shared.withdrawn_at = timezone.now()
    shared.withdrawn_by = user
    shared.save(update_fields=["withdrawn_at", "withdrawn_by"])
    TipHistory.objects.create(tip=tip, kind=TipHistory.Kind.SHARE_WITHDRAWN, actor=user)
    log(tip, WITHDRAWN, user=user, data={"share": shared.pk})
    return shared


def shares_for(user):
    """The shares in force `user` reads (the national team's list), newest first, with what the list
    shows of each tip fetched at once."""
    return (
        TipShare.objects.filter(
            withdrawn_at__isnull=True, tip__in=tip_scoping.shared_tips_for(user).values("pk")
        )
        .select_related("tip__area", "tip__office", "shared_by")
        .order_by("-shared_at", "-id")
    )


def record_shared_tip_viewed(tip, user):
    """Audit: the national team opened a shared tip's page."""
    log(tip, "reporting.tip.viewed", user=user, data={"shared": True})


# What the national team reads of a shared tip's history: the steps of its handling, never what touches
# the reporter (the conversation, identity sharing, the purge) nor the office's internal notes, which
# may name people. The note is shown only where it was written for that audience.
NATIONAL_HISTORY_KINDS = (
    TipHistory.Kind.RECEIVED,
    TipHistory.Kind.STATUS,
    TipHistory.Kind.FORWARD,
    TipHistory.Kind.PUBLIC_NOTE,
    TipHistory.Kind.DUPLICATE,
    TipHistory.Kind.REFERRED,
    TipHistory.Kind.REFERRAL_RECEIVED,
    TipHistory.Kind.REFERRAL_OUTCOME,
    TipHistory.Kind.HANDED_OVER,
    TipHistory.Kind.CASE,
    TipHistory.Kind.SHARED,
    TipHistory.Kind.SHARE_WITHDRAWN,
)
NATIONAL_HISTORY_NOTES = (TipHistory.Kind.PUBLIC_NOTE, TipHistory.Kind.SHARED)


def history_for_national(tip):
    """The tip's history entries the national team reads (their notes only where NATIONAL_HISTORY_NOTES)."""
    entries = list(
        tip.history.filter(kind__in=NATIONAL_HISTORY_KINDS)
        .select_related("actor")
        .order_by("created_at", "id")
    )
    for entry in entries:
        entry.shown_note = entry.note if entry.kind in NATIONAL_HISTORY_NOTES else ""
    return entries
