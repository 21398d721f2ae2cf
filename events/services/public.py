"""What the public site may know of sessions: the upcoming list (cms asks for it) and calendar files."""

from datetime import UTC

from django.utils import timezone

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


def _ics_text(value):
    return str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _ics_time(moment):
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line):
    # RFC 5545: lines longer than 75 octets continue on the next line after a space.
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def session_ics(session, *, url):
    """The session as an iCalendar file (one event), times in UTC."""
    status = "CANCELLED" if session.status == Session.Status.CANCELLED else "CONFIRMED"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Pimpasa//Ngopi Pimpasa//ID",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:session-{session.pk}@pimpasa",
        f"DTSTAMP:{_ics_time(session.updated_at)}",
        f"DTSTART:{_ics_time(session.starts_at)}",
        f"DTEND:{_ics_time(session.ends_at)}",
        f"SUMMARY:{_ics_text(session.title)}",
        f"LOCATION:{_ics_text(f'{session.venue}, {session.area}')}",
        f"URL:{url}",
        f"STATUS:{status}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
