"""Where a member of staff works, the ground every other scoping rule stands on.

- Office staff (officers, supervisors) belong to one office (offices.Membership.office): what they see
  and export is that office's (events.scoping, reporting.tips.scoping, reporting.exports.scoping).
- A Kantor Wilayah's staff belong to a region (Membership.region) and hold MONITOR_REGION: they see the
  figures of their region's offices.
- The Directorate's monitoring team holds MONITOR_ALL (no membership): figures of every office.
- Superusers see everything; anonymous and inactive users, and staff without a place, nothing.

Figures only: neither monitoring role has a model permission on tips or sessions, so their pages (the
tip's text, the reporter, attendees) stay closed to them whatever these functions return.
"""

from django.core.cache import caches
from django.core.exceptions import ObjectDoesNotExist

from offices.models import Office

MONITOR_ALL = "offices.monitor_all_offices"
MONITOR_REGION = "offices.monitor_region"


def is_active_staff(user):
    return user is not None and user.is_authenticated and user.is_active


def sees_every(user, permission):
    """Does `user` hold the permission that lifts the per-person limit of a kind (a supervisor)?

    Within their office: the office limit is applied by the kind's scoping function beside it."""
    return is_active_staff(user) and (user.is_superuser or user.has_perm(permission))


def membership_of(user):
    """The user's offices.Membership, or None (read once per user object: Django caches it)."""
    if not is_active_staff(user):
        return None
    try:
        return user.office_membership
    except ObjectDoesNotExist:
        return None


def office_id_of(user):
    """The pk of the office `user` works in, or None (national, regional, administrators)."""
    membership = membership_of(user)
    return membership.office_id if membership is not None else None


def office_of(user):
    membership = membership_of(user)
    return membership.office if membership is not None and membership.office_id else None


ONLY_OFFICE_KEY = "offices:v1:only-office"
ONLY_OFFICE_SECONDS = 60


def only_office_id():
    """The pk of the deployment's only office, or None when it has several (or none). Kept a minute
    in this process: the dashboard asks it for every panel."""
    found = caches["local"].get(ONLY_OFFICE_KEY)
    if found is None:
        pks = list(Office.objects.order_by("pk").values_list("pk", flat=True)[:2])
        found = {"pk": pks[0] if len(pks) == 1 else None}
        caches["local"].set(ONLY_OFFICE_KEY, found, ONLY_OFFICE_SECONDS)
    return found["pk"]


def forget_only_office(**kwargs):
    """An office was added or deleted (a signal receiver, offices.apps): ask again."""
    caches["local"].delete(ONLY_OFFICE_KEY)


def monitors_all_offices(user):
    """Superusers and the national monitoring team: every office's figures."""
    return is_active_staff(user) and (user.is_superuser or user.has_perm(MONITOR_ALL))


def monitored_region_id(user):
    """The region whose offices' figures `user` follows (a Kantor Wilayah's staff), or None."""
    if not (is_active_staff(user) and user.has_perm(MONITOR_REGION)):
        return None
    membership = membership_of(user)
    return membership.region_id if membership is not None else None


def offices_for(user):
    """The offices whose figures `user` sees: every one (national, superusers), their region's
    (regional), their own (office staff), none otherwise."""
    if monitors_all_offices(user):
        return Office.objects.all()
    region_id = monitored_region_id(user)
    if region_id is not None:
        return Office.objects.filter(region_id=region_id)
    office_id = office_id_of(user)
    if office_id is not None:
        return Office.objects.filter(pk=office_id)
    return Office.objects.none()


def office_filter(user, field="office_id"):
    """A filter keeping rows of the offices `user` sees: {} for all, else `field__in` a subquery."""
    if monitors_all_offices(user):
        return {}
    region_id = monitored_region_id(user)
    if region_id is not None:
        return {f"{field}__in": Office.objects.filter(region_id=region_id).values("pk")}
    return {field: office_id_of(user)} if office_id_of(user) is not None else None


def cache_scope(user, *, everything=False):
    """Whose cached figures these are. `everything` is the caller's answer to "does `user` see every
    object of their office" (a supervisor): those share one copy per office; officers have one each,
    each region and the national level one, superusers one."""
    if is_active_staff(user) and user.is_superuser:
        return "all"
    if monitors_all_offices(user):
        return "national"
    region_id = monitored_region_id(user)
    if region_id is not None:
        return f"region-{region_id}"
    office_id = office_id_of(user)
    if everything and office_id is not None:
        return f"office-{office_id}"
    return f"user-{user.pk}"
