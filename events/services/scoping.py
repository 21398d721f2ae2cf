"""Which sessions a member of staff may see and change.

Supervisors (permission events.manage_all_sessions) see every area; officers see the sessions of
the areas they are assigned to and those they are listed on; everyone else sees none.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from events.models import Area, Session


def manages_all_areas(user):
    return user.is_active and (user.is_superuser or user.has_perm("events.manage_all_sessions"))


def sessions_for(user, queryset=None):
    queryset = Session.objects.all() if queryset is None else queryset
    if not (user.is_authenticated and user.is_active):
        return queryset.none()
    if manages_all_areas(user):
        return queryset
    if not user.has_perm("events.view_session"):
        return queryset.none()
    # Subqueries rather than joins: no duplicate rows, no DISTINCT.
    assigned_areas = Area.officers.through.objects.filter(user_id=user.pk).values("area_id")
    listed = Session.officers.through.objects.filter(user_id=user.pk).values("session_id")
    return queryset.filter(Q(area_id__in=assigned_areas) | Q(pk__in=listed))


def areas_for(user):
    if not (user.is_authenticated and user.is_active):
        return Area.objects.none()
    if manages_all_areas(user):
        return Area.objects.all()
    return Area.objects.filter(officers=user)


def can_manage_session(user, session):
    """May `user` run this session (check people in, start, finish, write minutes)?"""
    if not user.has_perm("events.change_session"):
        return False
    if manages_all_areas(user):
        return True
    return sessions_for(user).filter(pk=session.pk).exists()


def staff_who_run_sessions():
    """Users who may be listed as a session's officers: anyone allowed to change sessions."""
    users = get_user_model().objects.filter(is_active=True)
    can_run = Q(
        groups__permissions__codename="change_session", groups__permissions__content_type__app_label="events"
    )
    can_run |= Q(
        user_permissions__codename="change_session", user_permissions__content_type__app_label="events"
    )
    can_run |= Q(is_superuser=True)
    return users.filter(pk__in=users.filter(can_run).values("pk")).order_by(
        "first_name", "last_name", "username"
    )
