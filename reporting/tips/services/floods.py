"""Floods of junk tips: finding them and sweeping them out of the triage list in one recorded action.

Tips that say the same thing share a text fingerprint: a keyed hash (HMAC, keyed from SECRET_KEY) of
"what happened" normalised (case, accents' forms, digits, punctuation and spacing dropped), computed
when the tip is submitted. Grouping compares fingerprints, never the text, so it works the same once
the text is stored encrypted, and the fingerprint tells nothing of the text without the key (only
that two tips say the same words).

A sweep marks every tip of one group within a time window "not actionable": only tips the officer
may see and change, only tips still untouched (received or being verified), each with a history
entry, and one audit log entry for the whole sweep. It needs the count the officer confirmed: if the
flood grew or shrank meanwhile, nothing is changed and the new count is shown again.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, Max, Min, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from offices import scoping as office_scoping
from reporting.tips import scoping as tip_scoping
from reporting.tips.models import Tip, TipHistory

from .tips import CHANGE_PERMISSION, TipError

SWEEPABLE = [Tip.Status.RECEIVED, Tip.Status.VERIFYING]
# Groups smaller than this are not a flood; the officer may lower it to 2.
DEFAULT_MIN_SIZE = 3
MAX_GROUPS = 20
SAMPLE_SIZE = 5


@dataclass(frozen=True)
class Group:
    fingerprint: str
    size: int
    first: object
    last: object
    sample: Tip


def require_sweeper(user):
    """Only staff who may change tips sweep (officers in their scope, supervisors); editors never."""
    if not (office_scoping.is_active_staff(user) and user.has_perm(CHANGE_PERMISSION)):
        raise PermissionDenied


def _window(user, since, until):
    return (
        tip_scoping.tips_for(user)
        .filter(created_at__gte=since, created_at__lt=until, status__in=SWEEPABLE)
        .exclude(text_fingerprint="")
    )


def flood_groups(user, since, until, min_size=DEFAULT_MIN_SIZE):
    """The largest groups of same-text tips `user` may see received in [since, until): two queries,
    whatever the flood's size (the groups, then one sample tip of each)."""
    require_sweeper(user)
    rows = list(
        _window(user, since, until)
        .values("text_fingerprint")
        .annotate(size=Count("pk"), first=Min("created_at"), last=Max("created_at"))
        .filter(size__gte=max(2, min_size))
        .order_by("-size", "-last")[:MAX_GROUPS]
    )
    if not rows:
        return []
    samples = {
        tip.text_fingerprint: tip
        for tip in _first_of_each(user, since, until, [r["text_fingerprint"] for r in rows])
    }
    return [
        Group(
            row["text_fingerprint"],
            row["size"],
            row["first"],
            row["last"],
            samples.get(row["text_fingerprint"]),
        )
        for row in rows
    ]


def _first_of_each(user, since, until, fingerprints):
    ranked = (
        _window(user, since, until)
        .filter(text_fingerprint__in=fingerprints)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("text_fingerprint")],
                order_by=[F("created_at").asc(), F("pk").asc()],
            )
        )
    )
    return ranked.filter(rank=1).select_related("area")


def flood(user, group, since, until):
    """The tips of one group in the window that `user` may sweep (a queryset, oldest first)."""
    require_sweeper(user)
    return _window(user, since, until).filter(text_fingerprint=group).order_by("created_at", "pk")


def preview(user, group, since, until):
    """How many tips a sweep would mark, and the first few of them to show before it does."""
    tips = flood(user, group, since, until)
    return tips.count(), list(tips.select_related("area")[:SAMPLE_SIZE])


@transaction.atomic
def sweep(user, group, since, until, *, expected, note=""):
    """Mark the group's tips in the window "not actionable"; `expected` is the count the officer saw
    and confirmed. Returns the number of tips marked. One history entry per tip, one audit entry."""
    require_sweeper(user)
    # The scope's query joins sessions (an outer join PostgreSQL will not lock through): find the
    # tips, then lock their rows alone and keep those still open to a sweep.
    scoped = list(flood(user, group, since, until).values_list("pk", flat=True))
    old_statuses = dict(
        Tip.objects.select_for_update()
        .filter(pk__in=scoped, status__in=SWEEPABLE)
        .order_by("pk")
        .values_list("pk", "status")
    )
    ids = [pk for pk in scoped if pk in old_statuses]
    if not ids:
        raise TipError(
            _("There is nothing to sweep: none of these tips is still open to you."), code="empty_sweep"
        )
    if len(ids) != expected:
        raise TipError(
            _(
                "The flood changed while you looked at it: it now holds %(count)s tips. Check and confirm again."
            ),
            code="sweep_changed",
            params={"count": len(ids)},
        )
    now = timezone.now()
    Tip.objects.filter(pk__in=ids).update(status=Tip.Status.NOT_ACTIONABLE, closed_at=now, updated_at=now)
    text = note.strip() or str(_("Swept as part of a flood of identical tips."))
    TipHistory.objects.bulk_create(
        TipHistory(
            tip_id=pk,
            kind=TipHistory.Kind.STATUS,
            from_status=old_statuses[pk],
            to_status=Tip.Status.NOT_ACTIONABLE,
            note=text,
            is_public=True,  # as every status change: the status page shows the status, never the note
            actor=user,
        )
        for pk in ids
    )
    log(
        Tip.objects.get(pk=ids[0]),
        "reporting.tip.flood_swept",
        user=user,
        data={
            "count": len(ids),
            "since": since.isoformat(),
            "until": until.isoformat(),
            "fingerprint": group,
            "tips": [str(pk) for pk in ids],
        },
    )
    return len(ids)
