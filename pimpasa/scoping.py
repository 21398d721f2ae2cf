"""Who may see what: the one rule for areas, sessions, tips, export jobs and their audit entries.

Every view, admin list, permission policy, export, dashboard figure and history page asks here.

- An officer covers the areas they are assigned to (Area.officers). They see those areas; the
  sessions held there and the sessions they are listed on; the tips of their areas, of their sessions
  (and those sessions' areas) and the tips assigned to them; their own export jobs.
- Supervisors see every object of a kind when they hold its "every" permission (below); superusers
  see everything. Seeing at all needs the kind's model permission (view_session, view_tip); areas
  follow sessions. Anonymous and inactive users see nothing.
- Audit entries (Wagtail's log entries) of these kinds follow the objects they are about; identity
  reveals are seen only by those who may reveal identities themselves.

Models are looked up by label, so that `events` can ask about sessions here without importing
`reporting` (DESIGN.md: events never imports reporting).
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Func, Q
from django.db.models.functions import Cast

from events.models import Area, Session

EVERY_SESSION = "events.manage_all_sessions"
EVERY_TIP = "reporting.view_all_tips"
EVERY_EXPORT_AREA = "reporting.export_all_areas"
EVERY_EXPORT_JOB = "reporting.manage_all_exports"
VIEW_SESSION = "events.view_session"
VIEW_TIP = "reporting.view_tip"
REVEAL_IDENTITY = "reporting.view_reporter_identity"
IDENTITY_VIEWED = "reporting.tip.identity_viewed"


def _tip_model():
    return apps.get_model("reporting", "Tip")


def _export_job_model():
    return apps.get_model("reporting", "ExportJob")


def is_active_staff(user):
    return user is not None and user.is_authenticated and user.is_active


def sees_every(user, permission):
    """Does `user` see every object of the kind `permission` stands for (a supervisor)?"""
    return is_active_staff(user) and (user.is_superuser or user.has_perm(permission))


def manages_all_areas(user):
    return sees_every(user, EVERY_SESSION)


def cache_scope(user):
    """Whose cached figures these are: one copy for all who see everything, one per officer otherwise."""
    if manages_all_areas(user) and sees_every(user, EVERY_TIP):
        return "all"
    return f"user-{user.pk}"


def _covered_area_ids(user):
    # A subquery rather than a join through the officer table: no duplicate rows, no DISTINCT.
    return Area.officers.through.objects.filter(user_id=user.pk).values("area_id")


def _listed_session_ids(user):
    return Session.officers.through.objects.filter(user_id=user.pk).values("session_id")


# --- areas ---------------------------------------------------------------------------------------


def areas_for(user, queryset=None):
    """The areas `user` works in: every area for supervisors, else those they are assigned to."""
    queryset = Area.objects.all() if queryset is None else queryset
    if not is_active_staff(user):
        return queryset.none()
    if manages_all_areas(user):
        return queryset
    return queryset.filter(pk__in=_covered_area_ids(user))


def export_areas_for(user):
    """The areas whose records `user` may export; `None` is the monthly schedule, which exports all."""
    if user is None or sees_every(user, EVERY_EXPORT_AREA):
        return Area.objects.all()
    if not is_active_staff(user):
        return Area.objects.none()
    return Area.objects.filter(pk__in=_covered_area_ids(user))


# --- sessions ------------------------------------------------------------------------------------


def sessions_for(user, queryset=None):
    """The sessions `user` may see: their areas' and those they are listed on; all for supervisors."""
    queryset = Session.objects.all() if queryset is None else queryset
    if not is_active_staff(user):
        return queryset.none()
    if manages_all_areas(user):
        return queryset
    if not user.has_perm(VIEW_SESSION):
        return queryset.none()
    return queryset.filter(Q(area_id__in=_covered_area_ids(user)) | Q(pk__in=_listed_session_ids(user)))


def can_see_session(user, session):
    return manages_all_areas(user) or sessions_for(user).filter(pk=session.pk).exists()


# --- tips ----------------------------------------------------------------------------------------


def tips_for(user, queryset=None):
    """The tips `user` may see, as a queryset (the row-level rule of every tip list and lookup)."""
    queryset = _tip_model().objects.all() if queryset is None else queryset
    if not is_active_staff(user):
        return queryset.none()
    if sees_every(user, EVERY_TIP):
        return queryset
    if not user.has_perm(VIEW_TIP):
        return queryset.none()
    their_areas = _covered_area_ids(user)
    return queryset.filter(
        Q(area_id__in=their_areas)
        | Q(session_id__in=_listed_session_ids(user))
        | Q(session__area_id__in=their_areas)
        | Q(assigned_to=user)
    )


def can_see_tip(user, tip):
    # Those who see every tip are answered without a query, as can_see_session does for sessions:
    # the audit log asks this for each of its rows.
    if is_active_staff(user) and sees_every(user, EVERY_TIP):
        return True
    return tips_for(user).filter(pk=tip.pk).exists()


def may_reveal_identity(user):
    return is_active_staff(user) and user.has_perm(REVEAL_IDENTITY)


# --- export jobs ---------------------------------------------------------------------------------


def export_jobs_for(user, queryset=None):
    """Export jobs `user` may see and download: their own; everyone's for supervisors."""
    queryset = _export_job_model().objects.all() if queryset is None else queryset
    if not is_active_staff(user):
        return queryset.none()
    if sees_every(user, EVERY_EXPORT_JOB):
        return queryset
    return queryset.filter(requested_by_id=user.pk)


def can_see_export_job(user, job):
    if sees_every(user, EVERY_EXPORT_JOB):
        return True
    return is_active_staff(user) and job.requested_by_id is not None and job.requested_by_id == user.pk


# --- audit entries -------------------------------------------------------------------------------


class _PkAsText(Func):
    """A primary key as the text Wagtail stores in a log entry's object_id (str(pk)).

    A UUID is stored by SQLite as 32 hex digits while str(uuid) has dashes: put them back there.
    """

    output_field = CharField()

    def __init__(self, expression):
        super().__init__(Cast(expression, CharField()))

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        if not self._is_uuid():
            return sql, params
        parts = ["substr({0}, 1, 8)", "substr({0}, 9, 4)", "substr({0}, 13, 4)", "substr({0}, 17, 4)"]
        dashed = " || '-' || ".join([*parts, "substr({0}, 21, 12)"]).format(sql)
        return f"({dashed})", params * 5

    def _is_uuid(self):
        field = self.source_expressions[0].source_expressions[0].output_field
        return field.get_internal_type() == "UUIDField"


def _scoped_kinds(user):
    """(model, the objects of it `user` may see) for each kind scoped by area that `user` does not
    see in full."""
    kinds = [
        (Area, EVERY_SESSION, areas_for),
        (Session, EVERY_SESSION, sessions_for),
        (_tip_model(), EVERY_TIP, tips_for),
        (_export_job_model(), EVERY_EXPORT_JOB, export_jobs_for),
    ]
    return [(model, visible(user)) for model, every, visible in kinds if not sees_every(user, every)]


def _names_objects(log_model):
    return any(field.name == "object_id" for field in log_model._meta.fields)


def log_entries_for(user, queryset):
    """Narrow Wagtail log entries (site history, an object's history) to what `user` may see.

    Entries about areas, sessions, tips and export jobs follow their objects; other entries (pages,
    images, topics) are left as Wagtail's own permission rule decided.
    """
    hidden = Q()
    # Page entries (PageLogEntry) name a page, never one of these kinds.
    kinds = _scoped_kinds(user) if _names_objects(queryset.model) else []
    for model, objects in kinds:
        object_ids = objects.order_by().values_list(_PkAsText("pk"), flat=True)
        hidden |= Q(content_type=ContentType.objects.get_for_model(model)) & ~Q(object_id__in=object_ids)
    visible = queryset.exclude(hidden) if hidden else queryset
    if not may_reveal_identity(user):
        visible = visible.exclude(action=IDENTITY_VIEWED)
    return visible
