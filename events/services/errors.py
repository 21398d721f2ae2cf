"""The one domain error of check-in, with a code per refusal (pretix style)."""

from django.utils.translation import gettext_lazy as _

from events.models import CheckinRefusal

Reason = CheckinRefusal.Reason

# What the attendee reads, and the HTTP status their page carries.
MESSAGES = {
    Reason.NOT_OPEN_YET: (_("Check-in for this session is not open yet."), 403),
    Reason.WINDOW_CLOSED: (_("Check-in for this session has closed."), 410),
    Reason.BAD_TOKEN: (
        _("This QR code is not valid. Please scan the code shown at the session again."),
        403,
    ),
    Reason.EXPIRED_TOKEN: (
        _("This QR code has expired. Please scan the code shown at the session now."),
        410,
    ),
    Reason.REVOKED_TOKEN: (
        _(
            "This printed QR code was withdrawn by the session's officer. Please scan the code shown "
            "at the session now, or ask the officer there."
        ),
        410,
    ),
    Reason.CANCELLED: (_("This session has been cancelled."), 410),
    Reason.NOT_PUBLISHED: (_("This session is not open for check-in."), 404),
    Reason.CAPACITY_FULL: (
        _("This session is full. Please speak to the officer at the session: they can still add you."),
        409,
    ),
    Reason.ALREADY_CHECKED_IN: (
        _(
            "This person is already checked in for this session with this phone number. Someone else "
            "sharing the phone checks in with their own name."
        ),
        409,
    ),
    Reason.BAD_TICKET: (_("This ticket is not valid for this session."), 403),
    Reason.NO_CONSENT: (
        _("Nothing was recorded: the person's consent to the privacy notice is needed first."),
        400,
    ),
}


class CheckinError(Exception):
    """A refused check-in. `code` is one of CheckinRefusal.Reason; `attendance` the earlier row, if any."""

    def __init__(self, code, *, attendance=None):
        self.code = Reason(code)
        self.attendance = attendance
        super().__init__(self.code.value)

    @property
    def message(self):
        return MESSAGES[self.code][0]

    @property
    def status(self):
        return MESSAGES[self.code][1]
