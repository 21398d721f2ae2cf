"""Which export jobs a member of staff sees and which areas' records they may export: reporting's
rules for exports, built on offices.scoping and events.scoping.

- An export job belongs to the office of the person who asked for it (ExportJob.office). Officers see
  their own jobs; those with EVERY_EXPORT_JOB (supervisors) every job of their office; superusers all.
  The national and regional monitors have no office: they see the files they asked for themselves
  (office empty). The monthly schedule's files have no requester: superusers download them.
- Officers export their covered areas' records; EVERY_EXPORT_AREA (supervisors) every area of their
  office; the monthly schedule (no user) every area.
"""

from events import scoping as events
from events.models import Area
from offices import scoping as offices
from reporting.exports.models import ExportJob

EVERY_EXPORT_AREA = "reporting.export_all_areas"
EVERY_EXPORT_JOB = "reporting.manage_all_exports"


def sees_every_job(user):
    return offices.sees_every(user, EVERY_EXPORT_JOB)


def export_areas_for(user):
    """The areas whose records `user` may export; `None` is the monthly schedule, which exports all."""
    if user is None:
        return Area.objects.all()
    if not offices.is_active_staff(user):
        return Area.objects.none()
    if user.is_superuser:
        return Area.objects.all()
    office_id = offices.office_id_of(user)
    if office_id is None:
        return Area.objects.none()
    in_office = Area.objects.filter(office_id=office_id)
    if offices.sees_every(user, EVERY_EXPORT_AREA):
        return in_office
    return in_office.filter(pk__in=events.covered_area_ids(user))


def export_jobs_for(user, queryset=None):
    """Export jobs `user` may see and download: their own (of their office); their office's for
    supervisors; all for superusers; a monitor without an office (national, regional) their own."""
    queryset = ExportJob.objects.all() if queryset is None else queryset
    if not offices.is_active_staff(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    office_id = offices.office_id_of(user)
    if office_id is None:
        # The national and regional monitors (no office): the files they asked for themselves, which
        # hold figures of several offices (the quarterly workbook).
        return queryset.filter(office__isnull=True, requested_by_id=user.pk)
    if sees_every_job(user):
        return queryset.filter(office_id=office_id)
    return queryset.filter(office_id=office_id, requested_by_id=user.pk)


def can_see_export_job(user, job):
    if not offices.is_active_staff(user):
        return False
    if user.is_superuser:
        return True
    office_id = offices.office_id_of(user)
    if office_id is None:
        return job.office_id is None and job.requested_by_id is not None and job.requested_by_id == user.pk
    if job.office_id != office_id:
        return False
    return sees_every_job(user) or (job.requested_by_id is not None and job.requested_by_id == user.pk)
