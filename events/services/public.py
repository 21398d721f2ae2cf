"""What the public site may know of sessions: the upcoming list (cms asks for it) and calendar files."""

from datetime import UTC

from django.utils import timezone
from icalendar import Calendar, Event

from events.models import Session


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


def public_session(pk):
    """A session the public may see (listed, not draft), or None."""
    return (
        Session.objects.filter(pk=pk, is_public=True)
        .exclude(status=Session.Status.DRAFT)
        .select_related("area")
        .first()
    )


def session_ics(session, *, url):
    """The session as an iCalendar file (one event, times in UTC), written by the icalendar library
    so that every character a title or venue may hold is escaped and long lines folded (RFC 5545)."""
    event = Event()
    event.add("uid", f"session-{session.pk}@pimpasa")
    event.add("dtstamp", session.updated_at.astimezone(UTC))
    event.add("dtstart", session.starts_at.astimezone(UTC))
    event.add("dtend", session.ends_at.astimezone(UTC))
    event.add("summary", session.title)
    event.add("location", f"{session.venue}, {session.area}")
    event.add("url", url)
    event.add("status", "CANCELLED" if session.status == Session.Status.CANCELLED else "CONFIRMED")
    calendar = Calendar()
    calendar.add("prodid", "-//Pimpasa//Ngopi Pimpasa//ID")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    return calendar.to_ical()
