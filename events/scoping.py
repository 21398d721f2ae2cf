"""Which areas and sessions a member of staff sees: events' part of the scoping rules (offices.scoping
says where a person works; reporting.tips.scoping and reporting.exports.scoping build on this).

- Office staff see only their office's areas and sessions. An officer covers the areas they are
  assigned to (Area.officers): they see those areas, the sessions held there and the sessions of their
  office they are listed on. Supervisors (EVERY_SESSION) see every area and session of their office.
- Seeing sessions at all needs the model permission (view_session); the national and regional roles
  have none: they see areas (for their figures) but no session page, no attendee.
- Superusers see everything; anonymous and inactive users, and staff without an office, nothing.
"""

from django.db.models import Q

from events.models import Area, Session
from offices import scoping as offices

EVERY_SESSION = "events.manage_all_sessions"
VIEW_SESSION = "events.view_session"


def manages_all_areas(user):
    """Does `user` see every area and session of their office (a supervisor, or a superuser)?"""
    return offices.sees_every(user, EVERY_SESSION)


def covered_area_ids(user):
    """The areas `user` is assigned to, as a subquery (no join, no duplicate rows)."""
    return Area.officers.through.objects.filter(user_id=user.pk).values("area_id")


def listed_session_ids(user):
    """The sessions `user` is listed on as an officer, as a subquery."""
    return Session.officers.through.objects.filter(user_id=user.pk).values("session_id")


def session_ids_in_areas(area_ids):
    """The sessions held in `area_ids` (a subquery or a list), as a subquery."""
    return Session.objects.filter(area_id__in=area_ids).values("pk")


def _superuser(user):
    return offices.is_active_staff(user) and user.is_superuser


# --- areas ---------------------------------------------------------------------------------------


def areas_for(user, queryset=None):
    """The areas `user` works in or follows: all (superusers, national), their region's offices'
    (regional), their office's (supervisors), those they are assigned to in their office (officers)."""
    queryset = Area.objects.all() if queryset is None else queryset
    if not offices.is_active_staff(user):
        return queryset.none()
    if offices.monitors_all_offices(user):
        return queryset
    region_id = offices.monitored_region_id(user)
    if region_id is not None:
        return queryset.filter(office__region_id=region_id)
    office_id = offices.office_id_of(user)
    if office_id is None:
        return queryset.none()
    if manages_all_areas(user):
        return queryset.filter(office_id=office_id)
    return queryset.filter(office_id=office_id, pk__in=covered_area_ids(user))


# --- sessions ------------------------------------------------------------------------------------


def sessions_for(user, queryset=None):
    """The sessions `user` may open: their office's (supervisors), their areas' and those they are
    listed on within their office (officers); every one for superusers; none without view_session."""
    queryset = Session.objects.all() if queryset is None else queryset
    if not offices.is_active_staff(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    if not user.has_perm(VIEW_SESSION):
        return queryset.none()
    office_id = offices.office_id_of(user)
    if office_id is None:
        return queryset.none()
    in_office = queryset.filter(area__office_id=office_id)
    if manages_all_areas(user):
        return in_office
    return in_office.filter(Q(area_id__in=covered_area_ids(user)) | Q(pk__in=listed_session_ids(user)))


def office_area_ids(user):
    """The pks of the areas of `user`'s office, read once per user object (a request's): the audit
    log asks can_see_session of each of its rows."""
    cached = getattr(user, "_pimpasa_office_area_ids", None)
    if cached is None:
        office_id = offices.office_id_of(user)
        cached = (
            frozenset(Area.objects.filter(office_id=office_id).values_list("pk", flat=True))
            if office_id
            else frozenset()
        )
        user._pimpasa_office_area_ids = cached
    return cached


def can_see_session(user, session):
    if _superuser(user):
        return True
    if manages_all_areas(user) and user.has_perm(VIEW_SESSION):
        # Every session of their office: answered without a query per session.
        return session.area_id in office_area_ids(user)
    return sessions_for(user).filter(pk=session.pk).exists()


def counted_sessions_for(user, queryset=None):
    """The sessions whose figures `user` sees (counts, never pages): every office's or their region's
    for the monitoring roles, else the sessions they may open."""
    queryset = Session.objects.all() if queryset is None else queryset
    if not offices.is_active_staff(user):
        return queryset.none()
    if offices.monitors_all_offices(user):
        return queryset
    region_id = offices.monitored_region_id(user)
    if region_id is not None:
        return queryset.filter(area__office__region_id=region_id)
    return sessions_for(user, queryset)
