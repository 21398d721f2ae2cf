"""The referrals sheet shared by the tips export and the monthly report: one row per referral, with
the agency, when it was sent, acknowledged and answered, and how many working days it took."""

from django.utils.translation import gettext as _

from reporting.referrals.models import Agency, Referral
from reporting.referrals.services import working_days
from reporting.tips.models import Tip

from .base import CHUNK_SIZE, Column, Sheet, labels

DATE_TIME = "dd/mm/yyyy hh:mm"

REFERRAL_FIELDS = (
    "tip_id",
    "tip__category",
    "tip__area__name",
    "agency__name",
    "agency__kind",
    "sent_at",
    "acknowledged_at",
    "acknowledged_by_name",
    "outcome",
    "outcome_at",
    "revoked_at",
)


def referral_columns():
    return [
        Column(_("Tip"), 10),
        Column(_("Category"), 24),
        Column(_("Area"), 20),
        Column(_("Agency"), 28),
        Column(_("Kind of agency"), 18),
        Column(_("Sent at"), 17, DATE_TIME),
        Column(_("Acknowledged at"), 17, DATE_TIME),
        Column(_("Received by"), 22),
        Column(_("Outcome"), 16),
        Column(_("Outcome at"), 17, DATE_TIME),
        Column(_("Working days to acknowledge"), 14),
        Column(_("Working days taken"), 12),
        Column(_("Link revoked at"), 17, DATE_TIME),
    ]


def referral_rows(queryset):
    """One tuple per referral, streamed. "Working days taken" runs to the outcome, or to today while the
    agency has not answered (empty for a revoked referral that never got one)."""
    categories = labels(Tip.Category.choices)
    kinds = labels(Agency.Kind.choices)
    outcomes = labels(Referral.Outcome.choices)
    rows = queryset.order_by("sent_at", "pk").values_list(*REFERRAL_FIELDS).iterator(chunk_size=CHUNK_SIZE)
    today = working_days.today()
    for (
        tip_id,
        category,
        area,
        agency,
        kind,
        sent,
        acknowledged,
        received_by,
        outcome,
        outcome_at,
        revoked,
    ) in rows:
        sent_on = working_days.local_date(sent)
        to_acknowledge = (
            working_days.working_days_between(sent_on, working_days.local_date(acknowledged))
            if acknowledged
            else None
        )
        if outcome_at:
            taken = working_days.working_days_between(sent_on, working_days.local_date(outcome_at))
        else:
            taken = None if revoked else working_days.working_days_between(sent_on, today)
        yield (
            str(tip_id).split("-")[0].upper(),
            categories.get(category, category),
            area,
            agency,
            kinds.get(kind, kind),
            sent,
            acknowledged,
            received_by,
            outcomes.get(outcome, ""),
            outcome_at,
            to_acknowledge,
            taken,
            revoked,
        )


def referral_sheet(tips):
    """The referrals of `tips` (a queryset the requester may see) as a sheet."""
    referrals = Referral.objects.filter(tip__in=tips.values("pk"))
    return Sheet(
        title=_("Referrals"),
        columns=referral_columns(),
        rows=lambda: referral_rows(referrals),
        count=referrals.count(),
    )


def referral_count(tips):
    return Referral.objects.filter(tip__in=tips.values("pk")).count()
