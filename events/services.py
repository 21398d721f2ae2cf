"""Business rules for sessions and attendance. Views, admin views, tasks and commands call these."""

from django.utils import timezone

from .models import Session


def upcoming_public_sessions(*, limit=None, now=None):
    """Public sessions that have not ended and are not draft or cancelled, soonest first.

    This is the interface the public site (cms) uses to list sessions.
    """
    now = now or timezone.now()
    sessions = (
        Session.objects.filter(
            is_public=True,
            status__in=[Session.Status.SCHEDULED, Session.Status.ONGOING],
            ends_at__gte=now,
        )
        .select_related("area")
        .order_by("starts_at")
    )
    return sessions[:limit] if limit else sessions
