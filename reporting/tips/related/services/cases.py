"""Cases: related tips an officer handles as one. A case has one status and one officer in charge;
each of its tips keeps its own status, history and conversation with its reporter.

Every change is a history entry on each tip it touches (kind "case", naming the case) and an entry in
Wagtail's audit log, on the case and on each tip. Who may see a case: who may see any of its tips
(pimpasa.scoping.tips_for); a case's page lists only the tips its reader may see, with a count of the
others. Changing a case, or putting a tip in or out, needs reporting.change_tip and the tips in scope.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case as Choose
from django.db.models import Count, Q, When
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from offices import scoping as office_scoping
from reporting.tips import scoping as tip_scoping
from reporting.tips.models import Tip, TipHistory
from reporting.tips.related.models import Case

# The permission that changes tips (reporting.tips.services.tips.CHANGE_PERMISSION): grouping them too.
CHANGE_PERMISSION = "reporting.change_tip"


class CaseError(ValidationError):
    """A grouping the tips' state forbids; the message is for the officer."""


def cases_for(user, queryset=None):
    """The cases `user` may see: those with at least one tip they may see."""
    queryset = Case.objects.all() if queryset is None else queryset
    return queryset.filter(pk__in=tip_scoping.tips_for(user).filter(case__isnull=False).values("case_id"))


def get_visible_case(user, pk):
    case = cases_for(user).filter(pk=pk).first()
    if case is None:
        raise PermissionDenied
    return case


def may_group(user):
    return office_scoping.is_active_staff(user) and user.has_perm(CHANGE_PERMISSION)


def tips_of(case, user):
    """(the case's tips `user` may see, oldest first; how many others it holds)."""
    visible = list(
        tip_scoping.tips_for(user, case.tips.all())
        .select_related("area", "assigned_to")
        .order_by("created_at")
    )
    return visible, case.tips.count() - len(visible)


def _changeable(user, tip_ids):
    """The tips of `tip_ids` `user` may change, locked; PermissionDenied if any is not."""
    if not may_group(user):
        raise PermissionDenied
    tip_ids = {str(each) for each in tip_ids}
    # Only the tips are locked (an officer's scope joins their sessions, which may be absent).
    tips = list(
        tip_scoping.tips_for(user, Tip.objects.filter(pk__in=tip_ids)).select_for_update(of=("self",))
    )
    if len(tips) != len(tip_ids):
        raise PermissionDenied
    return tips


def _record(tip, user, case, note, action):
    entry = TipHistory.objects.create(tip=tip, kind=TipHistory.Kind.CASE, case=case, actor=user, note=note)
    log(tip, "reporting.tip.case", user=user, data={"history": entry.pk, "case": case.pk, "action": action})


def _put(tips, case, user):
    for tip in tips:
        if tip.case_id == case.pk:
            continue
        if tip.case_id:
            _record(tip, user, tip.case, _("Taken out of case %(case)s.") % {"case": tip.case.number}, "out")
        tip.case = case
        tip.save(update_fields=["case", "updated_at"])
        _record(tip, user, case, _("Put in case %(case)s.") % {"case": case.number}, "in")


def group(user, tip_ids, officer=None):
    """Group the tips into one case: the case one of them is in already (if only one is), or a new
    case. Returns the case. Tips in two different cases are refused: split one first."""
    with transaction.atomic():
        tips = _changeable(user, tip_ids)
        if len(tips) < 2:
            raise CaseError(_("Choose at least one related tip to group with this one."), code="too_few")
        cases = {tip.case_id for tip in tips if tip.case_id}
        if len(cases) > 1:
            raise CaseError(
                _("These tips are in different cases. Take a tip out of its case first."), code="two_cases"
            )
        if cases:
            case = Case.objects.select_for_update().get(pk=cases.pop())
            action = "reporting.case.add"
        else:
            case = Case.objects.create(officer=officer or user, created_by=user)
            action = "wagtail.create"
        _put(tips, case, user)
        log(case, action, user=user, data={"tips": sorted(str(tip.pk) for tip in tips)})
    return case


def add(user, case, tip_ids):
    """Put more tips in an existing case (a tip in another case moves)."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        tips = _changeable(user, tip_ids)
        _put(tips, case, user)
        log(case, "reporting.case.add", user=user, data={"tips": sorted(str(tip.pk) for tip in tips)})
    return case


def remove(user, case, tip_ids):
    """Take tips out of the case; a case left with no tip is deleted (its audit entries stay). Returns
    the case, or None once deleted."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        tips = [tip for tip in _changeable(user, tip_ids) if tip.case_id == case.pk]
        if not tips:
            raise CaseError(_("Choose the tips to take out of the case."), code="none_chosen")
        for tip in tips:
            tip.case = None
            tip.save(update_fields=["case", "updated_at"])
            _record(tip, user, case, _("Taken out of case %(case)s.") % {"case": case.number}, "out")
        log(case, "reporting.case.remove", user=user, data={"tips": sorted(str(tip.pk) for tip in tips)})
        if not case.tips.exists():
            log(case, "wagtail.delete", user=user)
            case.delete()
            return None
    return case


def split(user, case, tip_ids):
    """Move the chosen tips out of the case into a new case (same officer). Returns the new case."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        tips = [tip for tip in _changeable(user, tip_ids) if tip.case_id == case.pk]
        if not tips:
            raise CaseError(_("Choose the tips that make the new case."), code="none_chosen")
        if len(tips) == case.tips.count():
            raise CaseError(
                _("Leave at least one tip in this case: splitting moves some, not all."), code="all"
            )
        new = Case.objects.create(officer=case.officer, status=case.status, created_by=user)
        _put(tips, new, user)
        data = {"tips": sorted(str(tip.pk) for tip in tips)}
        log(case, "reporting.case.split", user=user, data={**data, "into": new.pk})
        log(new, "wagtail.create", user=user, data={**data, "split_from": case.pk})
    return new


def change(user, case, *, status, officer):
    """Set the case's status and officer in charge; returns what changed (names of fields)."""
    if not may_group(user):
        raise PermissionDenied
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        changed = []
        if status != case.status:
            log(case, "reporting.case.status", user=user, data={"from": case.status, "to": status})
            case.status = status
            changed.append("status")
        if (officer.pk if officer else None) != case.officer_id:
            log(case, "reporting.case.officer", user=user, data={"officer": officer.pk if officer else None})
            case.officer = officer
            changed.append("officer")
        if changed:
            case.save(update_fields=[*changed, "updated_at"])
    return changed


def figures(tips):
    """{"cases": open cases, "tips": tips in them} among `tips` (a queryset already scoped)."""
    counted = (
        tips.filter(case__isnull=False)
        .exclude(case__status=Case.Status.CLOSED)
        .aggregate(cases=Count("case", distinct=True), tips=Count("pk"))
    )
    return {"cases": counted["cases"] or 0, "tips": counted["tips"] or 0}


def listed_cases(user, limit):
    """The cases `user` may see, open ones first, each with its number of tips and of tips `user` may
    see (one query)."""
    visible = tip_scoping.tips_for(user)
    return list(
        cases_for(user)
        .select_related("officer")
        .annotate(
            tip_count=Count("tips", distinct=True),
            visible_count=Count("tips", filter=Q(tips__in=visible), distinct=True),
        )
        .order_by(Choose(When(status=Case.Status.CLOSED, then=1), default=0), "-updated_at")[:limit]
    )
