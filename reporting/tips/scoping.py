"""Which tips a member of staff sees, and who may reveal a reporter: reporting's rules for tips,
built on offices.scoping (where a person works) and events.scoping (their areas and sessions).

- A tip belongs to one office (Tip.office: its area's when it came in, another after a hand-off).
  Office staff see only their office's tips: supervisors (EVERY_TIP) all of them, officers those of
  their areas, of their sessions (and those sessions' areas) and those assigned to them.
- Seeing tips needs the model permission (view_tip): the national and regional roles have none, so
  no tip's text or reporter reaches them; they count tips through `counted_tips_for` only.
- A tip its office shared with the Directorate (TipShare in force) is readable by those who monitor
  every office, through `shared_tips_for` / `can_read_shared_tip` and the read-only page that uses them
  only: never through `tips_for` or `can_see_tip`, so no triage, hand-off, referral, reveal, export or
  dashboard list reaches them. The Kantor Wilayah (regional) role is not shared with.
- Superusers see every tip; anonymous and inactive users, and staff without an office, none.
- A reporter's identity is revealed only by those holding REVEAL_IDENTITY who may see the tip, and
  when a hand-off left it behind (Tip.identity_kept_by) only by that office's staff.
"""

import functools
import operator

from django.db.models import Exists, OuterRef, Q

from events import scoping as events
from offices import scoping as offices
from reporting.tips.models import Tip, TipLogEntryLink, TipShare

EVERY_TIP = "reporting.view_all_tips"
VIEW_TIP = "reporting.view_tip"
REVEAL_IDENTITY = "reporting.view_reporter_identity"
IDENTITY_VIEWED = "reporting.tip.identity_viewed"


def sees_every_tip(user):
    """Does `user` see every tip of their office (a supervisor), or every tip at all (superuser)?"""
    return offices.sees_every(user, EVERY_TIP)


def tips_for(user, queryset=None):
    """The tips `user` may see, as a queryset (the row-level rule of every tip list and lookup)."""
    queryset = Tip.objects.all() if queryset is None else queryset
    if not offices.is_active_staff(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    if not user.has_perm(VIEW_TIP):
        return queryset.none()
    office_id = offices.office_id_of(user)
    if office_id is None:
        return queryset.none()
    in_office = queryset.filter(office_id=office_id)
    if sees_every_tip(user):
        return in_office
    return in_office.filter(functools.reduce(operator.or_, officer_conditions(user)))


def officer_conditions(user):
    """The officer's rule within their office, one condition per reason to see a tip: their areas,
    the sessions they are listed on, the sessions of their areas, and the tips assigned to them.

    Each is a condition on the tip's own columns: the sessions of their areas as a list of sessions,
    not a join from each of the office's tips to its session (2.5 times slower at a national office's
    200,000 tips, docs/benchmarks.md)."""
    their_areas = events.covered_area_ids(user)
    return [
        Q(area_id__in=their_areas),
        Q(session_id__in=events.listed_session_ids(user)),
        Q(session_id__in=events.session_ids_in_areas(their_areas)),
        Q(assigned_to=user),
    ]


def log_entry_ids_for(user):
    """The audit entries about tips `user` may see (the keys of Wagtail's ModelLogEntry rows), through
    each entry's link to its tip (pimpasa.audit_scope): for those who see every tip of their office,
    the links of the office, without reading a tip; for an officer, the links of the tips each
    condition of their rule finds, as a union."""
    links = TipLogEntryLink.objects.all()
    office_id = offices.office_id_of(user)
    if (
        office_id is None
        or not offices.is_active_staff(user)
        or user.is_superuser
        or not user.has_perm(VIEW_TIP)
    ):
        return links.filter(tip__in=tips_for(user)).values("entry_id")
    if sees_every_tip(user):
        return links.filter(office_id=office_id).values("entry_id")
    # Each condition reads one index range of the office's tips (reporting 0025) and the union
    # gathers them: 10–13 ms for an officer's 10,000 of 200,000 tips, where testing each of the
    # office's tips against all four conditions took 67–74 ms (psql, docs/benchmarks.md).
    office_tips = Tip.objects.filter(office_id=office_id).order_by()
    found = [office_tips.filter(condition).values("pk") for condition in officer_conditions(user)]
    return links.filter(tip_id__in=found[0].union(*found[1:])).values("entry_id")


def can_see_tip(user, tip):
    # Answered without a query where the tip's office says it all: the audit log asks this per row.
    if not offices.is_active_staff(user):
        return False
    if user.is_superuser:
        return True
    if sees_every_tip(user) and user.has_perm(VIEW_TIP):
        return tip.office_id is not None and tip.office_id == offices.office_id_of(user)
    return tips_for(user).filter(pk=tip.pk).exists()


def shared_in_force(queryset=None):
    """The tips with a share to the Directorate in force (not withdrawn)."""
    queryset = Tip.objects.all() if queryset is None else queryset
    return queryset.filter(Exists(TipShare.objects.filter(tip=OuterRef("pk"), withdrawn_at__isnull=True)))


def shared_tips_for(user, queryset=None):
    """The tips `user` may read as shared with the Directorate: those in force, for the national
    monitoring team (and superusers); none for anybody else (office staff read their own through
    `tips_for`)."""
    queryset = Tip.objects.all() if queryset is None else queryset
    if not offices.monitors_all_offices(user):
        return queryset.none()
    return shared_in_force(queryset)


def can_read_shared_tip(user, tip):
    return shared_tips_for(user).filter(pk=tip.pk).exists()


def counted_tips_for(user, queryset=None):
    """The tips whose figures `user` sees (counts by category, status, area; never a tip's page): every
    office's or their region's for the monitoring roles, else the tips they may see."""
    queryset = Tip.objects.all() if queryset is None else queryset
    if not offices.is_active_staff(user):
        return queryset.none()
    if offices.monitors_all_offices(user):
        return queryset
    region_id = offices.monitored_region_id(user)
    if region_id is not None:
        return queryset.filter(office__region_id=region_id)
    return tips_for(user, queryset)


def may_reveal_identity(user, tip=None):
    """May `user` reveal reporters' identities (of `tip`, when given: one they see, whose identity
    stayed with their office)?"""
    if not (offices.is_active_staff(user) and user.has_perm(REVEAL_IDENTITY)):
        return False
    if tip is None:
        return True
    if tip.identity_kept_by_id is not None and not user.is_superuser:
        return tip.identity_kept_by_id == offices.office_id_of(user)
    return can_see_tip(user, tip)
