"""Which offices a person may monitor (the figures of the monitoring page and the quarterly workbook,
reporting.monitoring): every office for the national role (offices.monitor_all_offices) and for
superusers; the offices of their region for a Kantor Wilayah (offices.monitor_region); their own
office for anyone else who belongs to one (the monitoring page asks its own permission before that).

Figures only: this says nothing about seeing a tip, a session or a reporter (each app's scoping does).
"""

from .models import Membership, Office

MONITOR_ALL = "offices.monitor_all_offices"
MONITOR_REGION = "offices.monitor_region"


def _membership(user):
    try:
        return user.office_membership
    except Membership.DoesNotExist:
        return None


def _is_active(user):
    return user is not None and user.is_authenticated and user.is_active


def monitors_every_office(user):
    return _is_active(user) and (user.is_superuser or user.has_perm(MONITOR_ALL))


def monitors_region(user):
    return _is_active(user) and not monitors_every_office(user) and user.has_perm(MONITOR_REGION)


def monitored_region(user):
    """The region a Kantor Wilayah's staff member monitors (theirs, or their office's), or None."""
    membership = _membership(user) if _is_active(user) else None
    if membership is None:
        return None
    if membership.region_id is not None:
        return membership.region
    return membership.office.region if membership.office_id is not None else None


def own_office(user):
    membership = _membership(user) if _is_active(user) else None
    return membership.office if membership is not None and membership.office_id is not None else None


def monitored_offices(user):
    """The offices whose figures `user` may see, as a queryset (possibly empty)."""
    offices = Office.objects.all()
    if not _is_active(user):
        return offices.none()
    if monitors_every_office(user):
        return offices
    if user.has_perm(MONITOR_REGION):
        region = monitored_region(user)
        return offices.filter(region=region) if region is not None else offices.none()
    office = own_office(user)
    return offices.filter(pk=office.pk) if office is not None else offices.none()


def sees_beyond_own_office(user):
    """Whether the figures `user` sees leave the office they come from (national, regional)."""
    return monitors_every_office(user) or (_is_active(user) and user.has_perm(MONITOR_REGION))
