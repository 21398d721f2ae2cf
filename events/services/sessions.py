"""A session's life: draft → scheduled → ongoing → finished (or cancelled), and its minutes."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from events import scoping as event_scoping
from events.models import Attendance, Session

Status = Session.Status

_TRANSITIONS = {
    "start": ({Status.DRAFT, Status.SCHEDULED}, Status.ONGOING),
    "finish": ({Status.SCHEDULED, Status.ONGOING}, Status.FINISHED),
    "cancel": ({Status.DRAFT, Status.SCHEDULED}, Status.CANCELLED),
    # Finishing by mistake is undone: the session is ongoing again and check-in reopens (within its window).
    "reopen": ({Status.FINISHED}, Status.ONGOING),
}


@transaction.atomic
def _move(session, user, step):
    allowed_from, target = _TRANSITIONS[step]
    if session.status not in allowed_from:
        raise ValidationError(
            _("A session that is “%(status)s” cannot be moved to “%(target)s”.")
            % {"status": session.get_status_display(), "target": target.label},
            code="status",
        )
    session.status = target
    session.save(update_fields=["status", "updated_at"])
    log(session, f"events.session_{step}", user=user)
    return session


def start_session(session, user):
    return _move(session, user, "start")


def finish_session(session, user):
    return _move(session, user, "finish")


def cancel_session(session, user):
    return _move(session, user, "cancel")


def reopen_session(session, user):
    return _move(session, user, "reopen")


PASSES_INVALIDATED = "events.passes_invalidated"
CHANGE_SESSION = "events.change_session"


@transaction.atomic
def invalidate_printed_passes(session, user):
    """Make every printed poster and shared QR image of the session stop working (a new pass generation).

    Moving a session keeps them working; this is for a poster that went where it should not (a photo of
    it posted online). The projector's rotating QR follows at its next turn. Recorded in the history.
    """
    Session.objects.filter(pk=session.pk).update(pass_generation=F("pass_generation") + 1)
    session.refresh_from_db(fields=["pass_generation", "updated_at"])
    # update() sends no signal: save the clock too, so the cached copies (events.signals) are dropped.
    session.save(update_fields=["updated_at"])
    log(session, PASSES_INVALIDATED, user=user, data={"generation": session.pass_generation})
    return session


def newest_attendances(session, limit):
    """The latest check-ins first, with who added them: what the run page shows live."""
    return session.attendances.select_related("added_by").order_by("-checked_in_at", "-pk")[:limit]


@transaction.atomic
def save_minutes(session, user, minutes):
    session.minutes = minutes.strip()
    session.save(update_fields=["minutes", "updated_at"])
    log(session, "events.minutes_saved", user=user)
    return session


def attendance_totals(session):
    """Totals by gender, age group and RW, from one grouped query."""
    rows = (
        Attendance.objects.filter(session=session)
        .order_by()
        .values("gender", "age_group", "rw")
        .annotate(n=Count("id"))
    )
    totals = {"total": 0, "gender": {}, "age_group": {}, "rw": {}}
    for row in rows:
        totals["total"] += row["n"]
        for key in ("gender", "age_group", "rw"):
            totals[key][row[key]] = totals[key].get(row[key], 0) + row["n"]
    gender_labels = dict(Attendance.Gender.choices)
    age_labels = dict(Attendance.AgeGroup.choices)
    return {
        "total": totals["total"],
        "gender": [(gender_labels[k], totals["gender"].get(k, 0)) for k in gender_labels],
        "age_group": [(age_labels[k], totals["age_group"].get(k, 0)) for k in age_labels],
        "rw": sorted(((k or "–"), v) for k, v in totals["rw"].items()),
    }


def attendance_count(session_id):
    return Attendance.objects.filter(session_id=session_id).count()


def can_manage_session(user, session):
    """May `user` run this session (check people in, start, finish, write minutes)?"""
    return user.has_perm(CHANGE_SESSION) and event_scoping.can_see_session(user, session)


def staff_who_run_sessions(office_id=None):
    """Users who may be listed as a session's officers: anyone allowed to change sessions (of the
    office `office_id`, when given)."""
    users = get_user_model().objects.filter(is_active=True)
    if office_id is not None:
        users = users.filter(office_membership__office_id=office_id)
    can_run = Q(is_superuser=True)
    for relation in ("groups__permissions", "user_permissions"):
        can_run |= Q(
            **{f"{relation}__codename": "change_session", f"{relation}__content_type__app_label": "events"}
        )
    return users.filter(pk__in=users.filter(can_run).values("pk")).order_by(
        "first_name", "last_name", "username"
    )


ATTENDEES_VIEWED = "events.attendees_viewed"


def record_attendees_viewed(session, user, *, page):
    """Audit: `user` opened a page listing the session's attendees or guests (personal data).

    The entry names who and when (the log's own fields), the session, and which list (`page`).
    """
    log(session, ATTENDEES_VIEWED, user=user, data={"page": page})
