"""Signed QR tokens: what the session's QR carries, and what a guest's ticket carries.

A token names the session and its pass generation, never its times or venue: a poster taped to the
RW hall's wall, or a QR image shared by WhatsApp, keeps working when the session moves, and is
accepted whenever check-in is open by the session's current times. Only cancelling the session, or an
officer's "invalidate printed QR codes" (a new generation), makes old posters stop.

The projector's token also names a rotation slot of ~30 s; the previous slot stays valid as a grace
for whoever was typing while it turned. Slots follow the clock, so every worker agrees on them
without sharing state. The poster's token carries no slot.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from .errors import CheckinError

_CHECKIN_SALT = "events.checkin"
_FORM_SALT = "events.checkin-form"
_TICKET_SALT = "events.ticket"


def rotation_seconds():
    return settings.PIMPASA_QR_ROTATION_SECONDS


def form_pass_max_age():
    """How long an opened check-in form stays valid: enough to type a name on a cheap phone."""
    return settings.PIMPASA_CHECKIN_FORM_MINUTES * 60


def current_slot(now=None):
    now = now or timezone.now()
    return int(now.timestamp()) // rotation_seconds()


def _generation(session):
    # "g" and the generation: "g" is not a hex digit, so a pass of the old form (the window's opening
    # minute in hex, printed before passes named generations) is told apart. Old passes count as the
    # first generation: posters already on the walls survive a reschedule too.
    return f"g{session.pass_generation}"


def _signer():
    return signing.Signer(salt=_CHECKIN_SALT)


def poster_token(session):
    return _signer().sign(f"{session.pk}.{_generation(session)}")


def rotating_token(session, now=None):
    return _signer().sign(f"{session.pk}.{_generation(session)}.{current_slot(now)}")


@dataclass(frozen=True)
class TokenInfo:
    session_id: int
    rotating: bool


def verify_checkin_token(session, token, now=None):
    """Check a QR token for `session`; raise CheckinError "bad_token" (forged, damaged, another
    session's), "revoked_token" (an older generation: the officer invalidated printed codes) or
    "expired_token" (a projector code past its grace). Whether check-in is open is not the token's
    business: the session's current window decides (check_session_accepts)."""
    try:
        value = _signer().unsign(token or "")
    except signing.BadSignature:
        raise CheckinError("bad_token") from None
    parts = value.split(".")
    if len(parts) not in (2, 3) or parts[0] != str(session.pk):
        raise CheckinError("bad_token")
    if parts[1].startswith("g"):
        if parts[1] != _generation(session):
            # A forged generation (ahead of the session's) is as bad as a forged signature.
            older = parts[1][1:].isdigit() and int(parts[1][1:]) < session.pass_generation
            raise CheckinError("revoked_token" if older else "bad_token")
    elif session.pass_generation > 1:
        raise CheckinError("revoked_token")
    if len(parts) == 3:
        try:
            slot = int(parts[2])
        except ValueError:
            raise CheckinError("bad_token") from None
        # The current slot, or the one just before it (the grace).
        if current_slot(now) - slot not in (0, 1):
            raise CheckinError("expired_token")
    return TokenInfo(session_id=session.pk, rotating=len(parts) == 3)


def checkin_path(session, token):
    return f"{reverse('events:checkin', args=[session.pk])}?t={token}"


def public_url(path):
    """An absolute URL on the site's configured public address, never the request's Host header."""
    return f"{settings.PIMPASA_PUBLIC_URL}{path}"


def poster_checkin_url(session):
    return public_url(checkin_path(session, poster_token(session)))


def rotating_checkin_url(session, now=None):
    return public_url(checkin_path(session, rotating_token(session, now)))


# The form pass: opening the form with a valid QR hands out a signed, timestamped pass carrying the
# form's nonce, so the attendee may take their time typing after the projector's QR has turned.


def form_pass(session, nonce):
    return signing.TimestampSigner(salt=_FORM_SALT).sign(f"{session.pk}.{nonce}")


def verify_form_pass(session, value):
    """Return the form's nonce; raise CheckinError when the pass is forged or too old."""
    signer = signing.TimestampSigner(salt=_FORM_SALT)
    try:
        unsigned = signer.unsign(value or "", max_age=form_pass_max_age())
    except signing.SignatureExpired:
        raise CheckinError("expired_token") from None
    except signing.BadSignature:
        raise CheckinError("bad_token") from None
    session_id, _, nonce = unsigned.partition(".")
    if session_id != str(session.pk) or not nonce:
        raise CheckinError("bad_token")
    return nonce


def submission_nonce(form_nonce, details):
    """What a submission is recorded under: the opened form's nonce and a digest of what was typed
    (`details`, the AttendeeDetails the form gave).

    A double-tapped or resent form (same details) finds its first row; another person typed into the
    same opened form on a shared phone (Back, new name and phone) is a new submission and a new row.
    Fits Attendance.nonce (32 characters): 16 of the form's nonce, 16 of the digest.
    """
    typed = "\x1f".join(str(getattr(details, field)).strip() for field in SUBMISSION_FIELDS)
    return f"{form_nonce[:16]}{hashlib.sha256(typed.encode()).hexdigest()[:16]}"


SUBMISSION_FIELDS = ("name", "phone", "gender", "age_group", "rw", "address", "institution")


def ticket_token(guest):
    return signing.Signer(salt=_TICKET_SALT).sign(guest.code)


def ticket_code_from(value):
    """The guest code inside a scanned or typed ticket; raise CheckinError("bad_ticket")."""
    value = (value or "").strip()
    try:
        return signing.Signer(salt=_TICKET_SALT).unsign(value)
    except signing.BadSignature:
        raise CheckinError("bad_ticket") from None
