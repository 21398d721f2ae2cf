"""Business rules for sessions and attendance. Views, admin views, tasks and commands call these."""

from .checkin import (
    CheckinResult,
    add_walk_in,
    check_session_accepts,
    checkin_ticket,
    correct_attendance,
    count_refusal,
    perform_checkin,
    register_guest,
    remove_attendance,
    window_state,
)
from .checkin_cache import forget_session, session_for_checkin
from .consent import Consent, consent_of_guest, consent_on_form, consent_to_officer
from .errors import CheckinError, Reason
from .field import keep_until, offline_data, send_entry
from .phones import normalise_phone
from .public import public_session, session_ics, upcoming_public_sessions
from .sessions import (
    attendance_count,
    attendance_totals,
    can_manage_session,
    cancel_session,
    finish_session,
    save_minutes,
    staff_who_run_sessions,
    start_session,
)
from .tokens import (
    current_slot,
    form_pass,
    poster_checkin_url,
    poster_token,
    public_url,
    rotating_checkin_url,
    rotating_token,
    ticket_token,
    verify_checkin_token,
    verify_form_pass,
)

__all__ = [
    "CheckinError",
    "CheckinResult",
    "Consent",
    "Reason",
    "add_walk_in",
    "attendance_count",
    "attendance_totals",
    "can_manage_session",
    "cancel_session",
    "check_session_accepts",
    "checkin_ticket",
    "consent_of_guest",
    "consent_on_form",
    "consent_to_officer",
    "correct_attendance",
    "count_refusal",
    "current_slot",
    "finish_session",
    "forget_session",
    "form_pass",
    "keep_until",
    "normalise_phone",
    "offline_data",
    "perform_checkin",
    "poster_checkin_url",
    "poster_token",
    "public_session",
    "public_url",
    "register_guest",
    "remove_attendance",
    "rotating_checkin_url",
    "rotating_token",
    "save_minutes",
    "send_entry",
    "session_for_checkin",
    "session_ics",
    "staff_who_run_sessions",
    "start_session",
    "ticket_token",
    "upcoming_public_sessions",
    "verify_checkin_token",
    "verify_form_pass",
    "window_state",
]
