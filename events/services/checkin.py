"""Recording who came: the one check-in function every door (QR form, officer, ticket) goes through.

In the pretix manner: a transaction, a database constraint as the real guard against doubles, a
domain error with a code for each refusal, an audit entry. Refusals are counted per session and
reason, without personal data, so the officer sees how many came too late.

What the audit trail (Wagtail's ModelLogEntry, on the session) records: everything an officer
does: walk-ins, ticket scans, corrections, removals, status changes, minutes. A resident's own
check-in is recorded by its attendance row alone (source, consent proof, check-in time, form nonce),
which nothing but an audited officer action changes: a second log row per scan would double the
writes at the busiest moment of a session and say nothing the row does not.
"""

import dataclasses
import hashlib
from contextlib import nullcontext
from dataclasses import dataclass, replace

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.log_actions import log

from events.models import Attendance, CheckinRefusal, Guest, Session
from pimpasa.phones import normalise_mobile
from pimpasa.ratelimit import Limit, hit

from .consent import Consent, consent_of_guest, consent_to_officer
from .errors import CheckinError, Reason
from .people import matching, person_key
from .tokens import ticket_code_from

OFFICER_SOURCES = {Attendance.Source.OFFICER, Attendance.Source.TICKET}


@dataclass(frozen=True)
class AttendeeDetails:
    """Who one person at a session is, as every door takes it: the resident's own form, an officer's
    walk-in (on the Run page or in field mode), a guest registered for a ticket, a scanned ticket.

    Built by the forms (`attendee_details()`) and by checkin_ticket from the guest list. Consent is not
    a detail: it travels beside it, as proof (a Consent) or as the officer's word.
    """

    name: str
    gender: str
    age_group: str
    phone: str = ""  # perform_checkin takes it normalised (+62…); see with_phone_normalised
    rw: str = ""
    address: str = ""
    institution: str = ""

    @classmethod
    def from_cleaned_data(cls, data):
        """From a valid form's cleaned_data: the details it asks for (a guest's form has no RW or
        address), without the rest of the form (consent, field mode's ids)."""
        return cls(
            **{field.name: data[field.name] for field in dataclasses.fields(cls) if field.name in data}
        )

    def with_phone_normalised(self):
        """The same details with the phone as stored (+62…), whichever way an officer typed it."""
        return replace(self, phone=normalise_mobile(self.phone) if self.phone else "")

    def stored(self):
        """The Attendance fields these details fill, without the spaces around what was typed."""
        return {
            "name": self.name.strip(),
            "phone": self.phone,
            "gender": self.gender,
            "age_group": self.age_group,
            "rw": self.rw.strip(),
            "address": self.address.strip(),
            "institution": self.institution.strip(),
        }


@dataclass(frozen=True)
class CheckinResult:
    attendance: Attendance
    created: bool


def window_state(session, now=None):
    """ "open", "not_open_yet" or "window_closed" for the session's check-in window at `now`.

    The one rule for every page and door: check-in is open from `checkin_opens_at` until
    `checkin_closes_at`, and closes at once when an officer finishes (or cancels) the session.
    """
    now = now or timezone.now()
    if session.status in (Session.Status.FINISHED, Session.Status.CANCELLED):
        return Reason.WINDOW_CLOSED
    if now < session.checkin_opens_at:
        return Reason.NOT_OPEN_YET
    if now > session.checkin_closes_at:
        return Reason.WINDOW_CLOSED
    return "open"


def check_session_accepts(session, *, source=Attendance.Source.SELF_SCAN, now=None):
    """Raise CheckinError if the session takes no check-ins through `source` now."""
    if session.status == Session.Status.CANCELLED:
        raise CheckinError(Reason.CANCELLED)
    if source in OFFICER_SOURCES:
        return  # officers may add people before, during and after the session
    if session.status == Session.Status.DRAFT:
        raise CheckinError(Reason.NOT_PUBLISHED)
    state = window_state(session, now)
    if state != "open":
        raise CheckinError(state)


def count_refusal(session, reason):
    """Add one to the session's counter for `reason`; safe under concurrent refusals."""
    updated = CheckinRefusal.objects.filter(session=session, reason=reason).update(count=F("count") + 1)
    if updated:
        return
    try:
        with transaction.atomic():
            CheckinRefusal.objects.create(session=session, reason=reason, count=1)
    except IntegrityError:  # another request created the counter first
        CheckinRefusal.objects.filter(session=session, reason=reason).update(count=F("count") + 1)


# An anonymous visitor's refusals are counted at most once per client, session and reason an hour, and
# at most this many per session and reason an hour: a crawler walking the ids, or one phone reloading a
# closed page, cannot grow the counters (or the writes behind them) without bound.
ANONYMOUS_REFUSALS_PER_HOUR = 500


def count_visitor_refusal(session, reason, client):
    """Count a refusal an anonymous visitor (`client`: a hashed address) met; False if not counted."""
    scope = f"{session.pk}:{Reason(reason).value}"
    if not hit(Limit(scope="checkin-refusal-client", count=1, seconds=3600), f"{scope}:{client}"):
        return False
    if not hit(
        Limit(scope="checkin-refusal-session", count=ANONYMOUS_REFUSALS_PER_HOUR, seconds=3600), scope
    ):
        return False
    count_refusal(session, reason)
    return True


def describable(session):
    """May an anonymous visitor's page describe the session (title, time, venue)? Only a public one
    that is neither a draft nor cancelled: internal TIMPORA meetings are described to nobody."""
    return session.is_public and session.status not in (Session.Status.DRAFT, Session.Status.CANCELLED)


def perform_checkin(
    session,
    details,
    *,
    consent,
    nonce="",
    client_id=None,
    source=Attendance.Source.SELF_SCAN,
    capped=None,
    guest=None,
    user=None,
    now=None,
):
    """Record one person (`details`, an AttendeeDetails) at one session, or raise CheckinError.
    Returns CheckinResult.

    The phone must already be normalised (see pimpasa.phones.normalise_mobile). `consent` is a Consent
    (see events.services.consent): nobody is recorded without one. A resubmitted form (same nonce) or a
    replayed field-mode entry (same client_id) gets its first answer again, not a refusal or a second
    row. The capacity holds for self check-ins; `capped` says otherwise for an officer's entry.
    """
    if not isinstance(consent, Consent):
        raise TypeError("perform_checkin needs a Consent (who agreed to which privacy notice, and how).")
    try:
        return _record(
            session,
            details,
            consent=consent,
            nonce=nonce,
            client_id=client_id,
            source=source,
            capped=source not in OFFICER_SOURCES if capped is None else capped,
            guest=guest,
            user=user,
            now=now or timezone.now(),
        )
    except CheckinError as error:
        count_refusal(session, error.code)
        raise


def _record(session, details, *, nonce, client_id, **how):
    try:
        return _insert(session, details, nonce=nonce, client_id=client_id, **how)
    except CheckinError:
        # A form resubmitted after the window closed or the session filled up still gets its first
        # answer. Looked up only on refusal: the busy path needs no SELECT before its INSERT.
        if earlier := _earlier_answer(session, nonce, client_id):
            return CheckinResult(earlier, created=False)
        raise


def _insert(session, details, *, consent, nonce, client_id, source, capped, guest, user, now):
    check_session_accepts(session, source=source, now=now)
    capped = capped and session.capacity is not None
    phone, key = details.phone, person_key(details.name)
    try:
        with _transaction_if(capped or user is not None or bool(phone)):
            if phone:
                # One phone may bring a family; the same person (a typo-level variation of a name
                # already recorded with this phone) is "already checked in". The lock makes two
                # submissions of one phone take turns, so each sees the other's row.
                _lock_phone(session, phone)
                if earlier := matching(key, list(_rows_of_phone(session, phone))):
                    raise CheckinError(Reason.ALREADY_CHECKED_IN, attendance=earlier)
            if capped:
                _check_capacity(session)
            attendance = Attendance.objects.create(
                session=session,
                **consent.fields(now),
                source=source,
                checked_in_at=now,
                added_by=user,
                nonce=nonce,
                client_id=client_id,
                guest=guest,
                name_key=key,
                **details.stored(),
            )
            if user is not None:
                _audit(session, "events.checkin", user, attendance=attendance.pk, source=source)
    except IntegrityError:
        # A resubmitted form (same nonce), a replayed entry (same client id) or the same person
        # (same phone and name): the constraints kept the second row out, whichever request won
        # the race; answer as the earlier request did.
        if earlier := _earlier_answer(session, nonce, client_id):
            return CheckinResult(earlier, created=False)
        earlier = _by_person(session, phone, key) if phone else None
        if earlier is None and guest is not None:
            earlier = Attendance.objects.filter(guest=guest).first()
        if earlier is None:
            raise
        raise CheckinError(Reason.ALREADY_CHECKED_IN, attendance=earlier) from None
    return CheckinResult(attendance, created=True)


def _transaction_if(needed):
    # A self check-in without a phone or a cap is one INSERT: autocommit makes it atomic already and
    # saves the BEGIN/COMMIT round trips. A phone (the per-phone lock), a cap (row lock) or an audit
    # entry need a transaction; inside a caller's transaction a savepoint keeps a lost race from
    # spoiling it.
    if needed or transaction.get_connection().in_atomic_block:
        return transaction.atomic()
    return nullcontext()


def _lock_phone(session, phone):
    """Hold, until the transaction ends, the lock of one phone number at one session.

    PostgreSQL: an advisory lock on a 64-bit digest of (session, phone): other phones never wait.
    SQLite: transactions are IMMEDIATE (pimpasa.settings.env), so writers already take turns.
    """
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        digest = hashlib.blake2b(f"events.checkin:{session.pk}:{phone}".encode(), digest_size=8).digest()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)])
    elif connection.vendor != "sqlite":
        Session.objects.select_for_update().filter(pk=session.pk).first()


def _rows_of_phone(session, phone):
    return Attendance.objects.filter(session=session, phone=phone).only("pk", "name", "name_key")


def _earlier_answer(session, nonce, client_id):
    """The row an earlier try of this very submission made: same client id first, then same nonce."""
    if client_id and (earlier := Attendance.objects.filter(session=session, client_id=client_id).first()):
        return earlier
    if nonce:
        return Attendance.objects.filter(session=session, nonce=nonce).first()
    return None


def _by_person(session, phone, key):
    return Attendance.objects.filter(session=session, phone=phone, name_key=key).first()


def _check_capacity(session):
    # The row lock makes concurrent check-ins for a capped session take turns, so the cap holds.
    Session.objects.select_for_update().filter(pk=session.pk).first()
    if Attendance.objects.filter(session=session).count() >= session.capacity:
        raise CheckinError(Reason.CAPACITY_FULL)


def _audit(session, action, user, **data):
    # Logged against the session, naming the attendance by id only: the audit trail holds no
    # names or phone numbers of its own.
    log(session, action, user=user, data=data)


# Officer tools -----------------------------------------------------------------------------------


def add_walk_in(session, user, details, *, consent, client_id=None, capped=False, at=None):
    """An officer adds someone by hand (the grandmother without a phone). The window does not apply;
    the cap only when `capped` (field mode: the entry may have been written offline, blind to the count).

    `details` is an AttendeeDetails; its phone may be typed any usual way. `consent` is the officer's
    statement that the person agreed, told to them; without it nothing is recorded (CheckinError
    "no_consent"). The attendance names the officer it was given to. `at` is when the person came and
    agreed (field mode: when the officer wrote the entry); now by default.
    """
    if consent is not True:
        raise CheckinError(Reason.NO_CONSENT)
    return perform_checkin(
        session,
        details.with_phone_normalised(),
        consent=consent_to_officer(user, at=at),
        client_id=client_id,
        source=Attendance.Source.OFFICER,
        capped=capped,
        user=user,
        now=at,
    )


CORRECTABLE_FIELDS = ("name", "phone", "gender", "age_group", "rw", "address", "institution")


def correct_attendance(attendance, user, **changes):
    """Change an entry's details; the audit names the fields changed, not their values."""
    if changes.get("phone"):
        changes["phone"] = normalise_mobile(changes["phone"])
    changed = []
    for field, value in changes.items():
        if field not in CORRECTABLE_FIELDS:
            raise ValueError(f"{field} cannot be corrected")
        if getattr(attendance, field) != value:
            setattr(attendance, field, value)
            changed.append(field)
    if not changed:
        return attendance
    if "name" in changed:
        attendance.name_key = person_key(attendance.name)
    saved = changed + ["name_key"] if "name" in changed else changed
    try:
        with transaction.atomic():
            attendance.save(update_fields=saved)
            _audit(
                attendance.session,
                "events.attendance_corrected",
                user,
                attendance=attendance.pk,
                fields=changed,
            )
    except IntegrityError:
        raise CheckinError(
            Reason.ALREADY_CHECKED_IN,
            attendance=_by_person(attendance.session, attendance.phone, attendance.name_key),
        ) from None
    return attendance


@transaction.atomic
def remove_attendance(attendance, user):
    session = attendance.session
    _audit(session, "events.attendance_removed", user, attendance=attendance.pk, source=attendance.source)
    attendance.delete()


# Guests with tickets (TIMPORA) ------------------------------------------------------------------


# What a guest's record keeps of their details, and what their ticket's check-in takes from it.
GUEST_FIELDS = ("name", "gender", "age_group", "institution", "phone")


@transaction.atomic
def register_guest(session, user, details, *, consent):
    """Register an invited guest (`details`, an AttendeeDetails: a guest has no RW or address);
    `consent` is the officer's statement that the guest agreed."""
    if consent is not True:
        raise CheckinError(Reason.NO_CONSENT)
    fields = details.with_phone_normalised().stored()
    guest = Guest.objects.create(
        session=session,
        **consent_to_officer(user).fields(),
        **{field: fields[field] for field in GUEST_FIELDS},
    )
    _audit(session, "events.guest_registered", user, guest=guest.pk)
    return guest


def checkin_ticket(session, user, ticket, *, client_id=None, at=None):
    """Check a guest in from their scanned or typed ticket, through perform_checkin. `at`: when the
    ticket was scanned (field mode, perhaps offline); now by default."""
    try:
        code = ticket_code_from(ticket)
        guest = Guest.objects.filter(session=session, code=code).select_related("consent_given_to").first()
        if guest is None:
            raise CheckinError(Reason.BAD_TICKET)
        consent = consent_of_guest(guest)
        if consent is None:  # registered before consent was recorded: add them as a walk-in instead
            raise CheckinError(Reason.NO_CONSENT)
    except CheckinError as error:
        count_refusal(session, error.code)
        raise
    return perform_checkin(
        session,
        AttendeeDetails(**{field: getattr(guest, field) for field in GUEST_FIELDS}),
        consent=consent,
        nonce=f"ticket-{guest.pk}",  # scanning the same ticket twice answers as the first scan did
        client_id=client_id,
        source=Attendance.Source.TICKET,
        guest=guest,
        user=user,
        now=at,
    )
