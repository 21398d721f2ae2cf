"""Field mode: entries an officer made on a phone, perhaps with no signal, sent when it returns.

Each entry carries a UUID the phone made. It goes through the same check-in service as the Run
page's walk-ins and ticket scans, which records a client id once (a database constraint): a replayed,
doubled or half-finished sync answers each entry as its first try did and never makes a second row.

What the phone may keep offline is decided here too: the session's title and window, and its guest
tickets as salted hashes (no names); never anyone's name until it is typed on the phone itself.
"""

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Attendance, Guest

from .checkin import add_walk_in, checkin_ticket
from .errors import CheckinError, Reason

logger = logging.getLogger(__name__)

# The phone keeps nothing, and the server takes nothing, later than this after check-in closes.
KEEP_AFTER_WINDOW = timedelta(days=1)
# A sync carries at most this many entries; the page sends its queue in batches of this size.
MAX_ENTRIES_PER_SYNC = 50

RECORDED = "recorded"
ALREADY = "already"
REFUSED = "refused"
INVALID = "invalid"  # refused because a field was wrong: the officer corrects it and it is sent again
RETRY = (
    "retry"  # not recorded this time (the database was busy or failed): the phone keeps it and sends again
)

# What the officer reads beside a refused entry: written for the officer, not for a resident.
FIELD_MESSAGES = {
    Reason.CANCELLED: _("The session was cancelled: nobody can be added to it."),
    Reason.CAPACITY_FULL: _(
        "The session is full. If there is room after all, raise the capacity or add them on the Run page."
    ),
    Reason.WINDOW_CLOSED: _("Sent too late: field mode takes entries until a day after check-in closes."),
    Reason.BAD_TICKET: _("This ticket is not valid for this session."),
}


def keep_until(session):
    """When field mode's data for `session` expires, on the phone and on the server."""
    return session.checkin_closes_at + KEEP_AFTER_WINDOW


def ticket_hash(session, code):
    """A guest code as the phone may keep it: SHA-256 of "<session id>:<code>" in hex."""
    return hashlib.sha256(f"{session.pk}:{code}".encode()).hexdigest()


def offline_data(session):
    """What the phone stores for working offline: no personal data, two queries."""
    tickets = Guest.objects.filter(session=session).values_list("code", "attendance__id")
    valid, checked_in = [], []
    for code, attendance_id in tickets:
        digest = ticket_hash(session, code)
        valid.append(digest)
        if attendance_id is not None:
            checked_in.append(digest)
    return {
        "session": session.pk,
        "title": session.title,
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "checkin_opens_at": session.checkin_opens_at.isoformat(),
        "checkin_closes_at": session.checkin_closes_at.isoformat(),
        "keep_until": keep_until(session).isoformat(),
        "status": session.status,
        "count": Attendance.objects.filter(session=session).count(),
        "tickets": sorted(valid),
        "checked_in_tickets": sorted(checked_in),
        "batch": MAX_ENTRIES_PER_SYNC,
    }


@dataclass(frozen=True)
class Answer:
    """The server's word on one entry; `name` lets the officer see whom a ticket was for."""

    client_id: str
    status: str
    reason: str = ""
    message: str = ""
    name: str = ""
    errors: dict = field(default_factory=dict)

    def as_json(self):
        data = {"client_id": self.client_id, "status": self.status, "name": self.name}
        if self.status in (REFUSED, INVALID, ALREADY, RETRY):
            data.update(reason=self.reason, message=str(self.message))
        if self.errors:
            data["errors"] = self.errors
        return data


def send_entry(session, user, *, client_id, made_at=None, now=None, **entry):
    """Record one field entry (already validated by its form) and answer it.

    The `entry` is a walk-in (`details`, an AttendeeDetails, with the officer's word that the person
    agreed in `consent`) or a guest's `ticket`. A database failure on one entry (SQLite's busy
    timeout run out, a lost connection) answers "retry" for that entry alone: nothing was recorded,
    the phone keeps it and sends it again, and the rest of the batch is answered as usual instead of
    the whole sync failing.
    """
    try:
        return _send_entry(session, user, client_id, made_at, now, **entry)
    except DatabaseError:
        logger.exception(
            "Field entry %s for session %s not recorded; the phone sends it again.", client_id, session.pk
        )
        return Answer(str(client_id), RETRY, reason=RETRY, message=_("Not recorded yet: it is sent again."))


def _send_entry(session, user, client_id, made_at, now, *, details=None, consent=False, ticket=None):
    """send_entry's work; database errors are its caller's to answer.

    An entry whose client id is already recorded answers "recorded" again, whatever changed since
    (a replay after the session filled up or closed). The row's check-in and consent time is
    `made_at`, when the officer wrote the entry (perhaps offline), by the phone's clock but never
    later than the server's.
    """
    key = str(client_id)
    now = now or timezone.now()
    earlier = Attendance.objects.filter(session=session, client_id=client_id).first()
    if earlier is not None:
        return Answer(key, RECORDED, name=earlier.name)
    if now > keep_until(session):
        return _refused(key, Reason.WINDOW_CLOSED)
    at = min(made_at, now) if made_at else now
    try:
        if ticket is not None:
            result = checkin_ticket(session, user, ticket, client_id=client_id, at=at)
        else:
            result = add_walk_in(
                session, user, details, consent=consent, client_id=client_id, capped=True, at=at
            )
    except CheckinError as error:
        if error.code == Reason.ALREADY_CHECKED_IN:
            name = error.attendance.name if error.attendance else ""
            return Answer(key, ALREADY, reason=error.code, message=_already_message(ticket), name=name)
        return _refused(key, error.code, error.message)
    attendance = result.attendance
    if attendance.client_id == client_id:
        return Answer(key, RECORDED, name=attendance.name)
    # Another scan of the same ticket (another phone, or the Run page) recorded it first.
    return Answer(
        key, ALREADY, reason=Reason.ALREADY_CHECKED_IN, message=_already_message(ticket), name=attendance.name
    )


def invalid(client_id, errors):
    return Answer(
        str(client_id), INVALID, reason="invalid", message=_("Please check the fields."), errors=errors
    )


def _refused(client_id, reason, fallback=""):
    return Answer(client_id, REFUSED, reason=reason, message=FIELD_MESSAGES.get(reason, fallback))


def _already_message(ticket):
    if ticket is not None:
        return _("This ticket was already checked in.")
    return _("This person (same name and phone number) is already checked in for this session.")
