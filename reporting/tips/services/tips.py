"""The life of a tip: submitted by a resident, seen by the officers of its area or session, triaged with
a history entry for every change and an audit log entry (Wagtail's) for every staff action.

Who may see a tip is reporting.tips.scoping's rule (supervisors every tip of their office; officers their areas' and sessions'
tips and those assigned to them; editors none). Changing a tip needs reporting.change_tip on top of
seeing it.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Replace
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from cms.privacy import current_notice
from offices.models import Office
from pimpasa import blind_index
from reporting.tips import scoping as tip_scoping
from reporting.tips.models import Evidence, Tip, TipHistory, TipSearchToken
from reporting.tips.related.services import fingerprints as related_fingerprints

from . import codes, evidence, fingerprints, identity

Status = Tip.Status
Kind = TipHistory.Kind

# Where a tip may go from each status. An urgent tip may be forwarded (to the police, say) at once;
# closed and not-actionable tips can be reopened for verification.
TRANSITIONS = {
    Status.RECEIVED: {Status.VERIFYING, Status.FORWARDED, Status.NOT_ACTIONABLE, Status.CLOSED},
    Status.VERIFYING: {Status.FOLLOWED_UP, Status.FORWARDED, Status.NOT_ACTIONABLE, Status.CLOSED},
    Status.FOLLOWED_UP: {Status.FORWARDED, Status.CLOSED, Status.VERIFYING},
    Status.FORWARDED: {Status.FOLLOWED_UP, Status.CLOSED, Status.VERIFYING},
    Status.CLOSED: {Status.VERIFYING},
    Status.NOT_ACTIONABLE: {Status.VERIFYING},
}
FINAL_STATUSES = {Status.CLOSED, Status.NOT_ACTIONABLE}

CHANGE_PERMISSION = "reporting.change_tip"


class TipError(ValidationError):
    """A triage action that the tip's state forbids; the message is for the officer."""


class StaleTriage(TipError):
    """A triage save made from a page that no longer shows the tip as it is: someone (another
    officer, a referral, an agency, a scheduled job) changed it after the page was loaded. `changes`
    are the history entries written since, for the officer to read before saving again."""

    def __init__(self, changes):
        super().__init__(
            _(
                "This tip was changed after you opened it, so nothing was saved. Read the changes, then press Save again."
            ),
            code="stale",
        )
        self.changes = changes


@dataclass(frozen=True)
class Seen:
    """What an officer's page showed of a tip when it was loaded (carried in the triage form): the
    last history entry, the status and the assigned officer's id ("" for nobody). None is unknown."""

    history_id: int = 0
    status: str | None = None
    assigned_to: str | None = None

    def differs_from(self, tip):
        return (self.status is not None and self.status != tip.status) or (
            self.assigned_to is not None and self.assigned_to != str(tip.assigned_to_id or "")
        )


@dataclass(frozen=True)
class Submission:
    category: str
    description: str
    session: object = None
    area: object = None
    address: str = ""
    rw: str = ""
    occurred_when: str = ""
    people_involved: str = ""
    reporter_name: str = ""
    reporter_contact: str = ""
    consent: bool = False

    @property
    def is_anonymous(self):
        return not (self.consent and (self.reporter_name.strip() or self.reporter_contact.strip()))


# --- seeing tips (who sees which tip is reporting.tips.scoping's rule) -------------------------------------


def can_change(user, tip):
    return user.has_perm(CHANGE_PERMISSION) and tip_scoping.can_see_tip(user, tip)


def get_visible_tip(user, pk):
    tip = tip_scoping.tips_for(user).filter(pk=pk).first()
    if tip is None:
        raise PermissionDenied
    return tip


def _require_change(user, tip):
    if not can_change(user, tip):
        raise PermissionDenied


def assignable_officers(office_id=None):
    """Staff who may be given a tip: active users allowed to change tips (of the office `office_id`,
    when given: a tip is assigned only within its office)."""
    users = get_user_model().objects.filter(is_active=True)
    if office_id is not None:
        users = users.filter(office_membership__office_id=office_id)
    may_change = Q(is_superuser=True)
    for relation in ("groups__permissions", "user_permissions"):
        may_change |= Q(
            **{f"{relation}__codename": "change_tip", f"{relation}__content_type__app_label": "reporting"}
        )
    return users.filter(pk__in=users.filter(may_change).values("pk")).order_by(
        "first_name", "last_name", "username"
    )


# --- submitting ------------------------------------------------------------------------------------


def office_for(submission):
    """The office a resident's tip goes to, decided here and never taken from the form's POST: the
    office of the area they chose on the form, else of the session they attended (a tip filed from a
    session's page or QR), else the default office (Office.default()) when they named neither: an
    officer there can hand it on (reporting.tips.services.handoffs)."""
    if submission.area is not None:
        return submission.area.office
    if submission.session is not None:
        return submission.session.area.office
    return Office.default()


def submit_tip(submission, prepared_files=()):
    """Record a resident's tip with its evidence; returns (tip, tracking code). The code exists only here."""
    code = codes.new_code()
    stored = []
    try:
        with transaction.atomic():
            tip = Tip(
                office=office_for(submission),
                session=submission.session,
                area=submission.area or (submission.session.area if submission.session else None),
                category=submission.category,
                description=submission.description.strip(),
                address=submission.address.strip(),
                rw=submission.rw.strip(),
                occurred_when=submission.occurred_when.strip(),
                people_involved=submission.people_involved.strip(),
                is_anonymous=submission.is_anonymous,
                tracking_code_hash=codes.hash_code(code),
                text_fingerprint=fingerprints.fingerprint(submission.description),
            )
            if not submission.is_anonymous:
                tip.reporter_identity = identity.encrypt_identity(
                    submission.reporter_name, submission.reporter_contact
                )
                tip.identity_consent_at = timezone.now()
                tip.identity_consent_notice_revision = current_notice().revision_id
            tip.save()
            TipHistory.objects.create(tip=tip, kind=Kind.RECEIVED, to_status=Status.RECEIVED, is_public=True)
            for prepared in prepared_files:
                stored.append(evidence.store(tip, prepared))
            log(tip, "wagtail.create", user=None, data={"evidence": len(stored), "session": tip.session_id})
            # Large files are cleaned by the worker once this has committed; the resident does not wait.
            evidence.queue_cleaning(stored)
            # What the tip shares with others is found by the worker too (reporting.tips.related).
            related_fingerprints.queue(tip.pk)
    except Exception:
        # The rows are rolled back; the files written so far must not outlive them.
        for item in stored:
            evidence.delete_file(item)
        raise
    return tip, code


def find_by_code(code):
    """The tip a tracking code belongs to, or None for anything else (one answer for every wrong code)."""
    hashes = codes.candidate_hashes(code)
    if not hashes:
        return None
    return Tip.objects.filter(tracking_code_hash__in=hashes).select_related("office").first()


def public_history(tip):
    return tip.history.filter(is_public=True).order_by("created_at", "id")


def evidence_notices(tip):
    """(files still being processed, files refused after upload) for the reporter's status page."""
    items = list(tip.evidence.exclude(state=Evidence.State.READY).order_by("created_at", "id"))
    pending = [item for item in items if item.state == Evidence.State.PENDING]
    return pending, [item for item in items if item.state == Evidence.State.REFUSED]


# --- triage ----------------------------------------------------------------------------------------


def _record(tip, user, kind, *, audit_action, audit_data=None, **fields):
    entry = TipHistory.objects.create(tip=tip, kind=kind, actor=user, **fields)
    log(tip, audit_action, user=user, data={"history": entry.pk, **(audit_data or {})})
    return entry


def _set_status(tip, new_status):
    old = tip.status
    tip.status = new_status
    if new_status in FINAL_STATUSES:
        tip.closed_at = timezone.now()
    elif old in FINAL_STATUSES:
        tip.closed_at = None
    tip.save(update_fields=["status", "closed_at", "updated_at"])
    return old


def _check_transition(tip, new_status):
    if new_status not in TRANSITIONS[Status(tip.status)]:
        raise TipError(
            _("A tip that is “%(old)s” cannot become “%(new)s”."),
            code="bad_transition",
            params={"old": tip.get_status_display(), "new": Status(new_status).label},
        )


def transition_to(tip, new_status):
    """Move `tip` to `new_status` if TRANSITIONS allow it (TipError otherwise); returns the old status.

    For a caller that records the step itself (a referral is its own history entry) on a tip it has
    already locked for update inside its transaction; it writes no history and no audit entry."""
    _check_transition(tip, new_status)
    return _set_status(tip, new_status)


# Each step below is written once: the one-action functions and the one triage form both call it on
# a tip already locked for update, inside their transaction.


def _change_status(tip, user, new_status, note):
    old = transition_to(tip, new_status)
    return _record(
        tip,
        user,
        Kind.STATUS,
        from_status=old,
        to_status=new_status,
        note=note.strip(),
        is_public=True,
        audit_action="reporting.tip.status",
        audit_data={"from": old, "to": new_status},
    )


def _assign(tip, user, officer):
    if officer is not None and not assignable_officers(tip.office_id).filter(pk=officer.pk).exists():
        raise TipError(_("This person cannot be given tips."), code="not_assignable")
    tip.assigned_to = officer
    tip.save(update_fields=["assigned_to", "updated_at"])
    return _record(
        tip,
        user,
        Kind.ASSIGNMENT,
        assigned_to=officer,
        audit_action="reporting.tip.assign",
        audit_data={"assigned_to": officer.pk if officer else None},
    )


def _add_note(tip, user, text, public):
    return _record(
        tip,
        user,
        Kind.PUBLIC_NOTE if public else Kind.INTERNAL_NOTE,
        note=text.strip(),
        is_public=public,
        audit_action="reporting.tip.note",
        audit_data={"public": public},
    )


@transaction.atomic
def change_status(tip, user, new_status, *, note="", public_note=""):
    """Move a tip to `new_status`. The note is internal; the public note is what the reporter reads."""
    _require_change(user, tip)
    tip = Tip.objects.select_for_update().get(pk=tip.pk)
    _change_status(tip, user, new_status, note)
    if public_note.strip():
        _add_note(tip, user, public_note, public=True)
    return tip


@transaction.atomic
def assign(tip, user, officer):
    _require_change(user, tip)
    tip = Tip.objects.select_for_update().get(pk=tip.pk)
    _assign(tip, user, officer)
    return tip


def _forward(tip, user, target, note):
    if tip.status != Status.FORWARDED:
        _check_transition(tip, Status.FORWARDED)
    old = _set_status(tip, Status.FORWARDED)
    return _record(
        tip,
        user,
        Kind.FORWARD,
        from_status=old,
        to_status=Status.FORWARDED,
        forwarded_to=target,
        note=note.strip(),
        is_public=False,
        audit_action="reporting.tip.forward",
        audit_data={"to": target},
    )


@transaction.atomic
def forward(tip, user, target, *, note=""):
    """Hand a tip to BP3MI, the police or the intelligence division; its status becomes forwarded."""
    _require_change(user, tip)
    tip = Tip.objects.select_for_update().get(pk=tip.pk)
    _forward(tip, user, target, note)
    return tip


@transaction.atomic
def add_note(tip, user, text, *, public=False):
    _require_change(user, tip)
    if not text.strip():
        raise TipError(_("Write the note first."), code="empty_note")
    return _add_note(tip, user, text, public)


def _check_duplicate(tip, user, original):
    if not tip_scoping.can_see_tip(user, original):
        raise PermissionDenied
    if original.pk == tip.pk or original.duplicate_of_id == tip.pk:
        raise TipError(_("A tip cannot be a duplicate of itself."), code="self_duplicate")


def _mark_duplicate(tip, user, original, note):
    tip.duplicate_of = original.duplicate_of or original
    tip.save(update_fields=["duplicate_of", "updated_at"])
    old = tip.status
    if tip.status != Status.CLOSED:
        _set_status(tip, Status.CLOSED)
    return _record(
        tip,
        user,
        Kind.DUPLICATE,
        from_status=old,
        to_status=Status.CLOSED,
        note=note.strip(),
        is_public=False,
        audit_action="reporting.tip.duplicate",
        audit_data={"original": str(tip.duplicate_of_id)},
    )


@transaction.atomic
def mark_duplicate(tip, user, original, *, note=""):
    """Close `tip` as a repeat of `original`; both must be tips the officer can see."""
    _require_change(user, tip)
    _check_duplicate(tip, user, original)
    tip = Tip.objects.select_for_update().get(pk=tip.pk)
    _mark_duplicate(tip, user, original, note)
    return tip


def record_tip_viewed(tip, user):
    """Audit: `user` opened the tip's page (what happened, where, who is involved: personal data)."""
    log(tip, "reporting.tip.viewed", user=user, data={})


def open_evidence(item, user):
    """The evidence file for a member of staff who may see its tip; the access is audited."""
    if not tip_scoping.can_see_tip(user, item.tip):
        raise PermissionDenied
    if not item.is_ready:  # a pending file is what arrived, not yet cleaned: never served
        return None
    log(item.tip, "reporting.tip.evidence_viewed", user=user, data={"evidence": str(item.pk)})
    return item.file.open("rb")


# --- what the officer saw (optimistic concurrency) -----------------------------------------------


def last_history_id(tip):
    return tip.history.order_by("-pk").values_list("pk", flat=True).first() or 0


def seen_state(tip):
    """The Seen of a page showing `tip` as it is now."""
    return Seen(last_history_id(tip), tip.status, str(tip.assigned_to_id or ""))


def changes_since(tip, history_id):
    """The history entries written after `history_id`, oldest first."""
    return (
        tip.history.filter(pk__gt=history_id or 0)
        .select_related("actor", "assigned_to", "referral__agency")
        .order_by("pk")
    )


def check_seen(tip, seen):
    """StaleTriage if `tip` changed since a page showed it as `seen`."""
    changes = list(changes_since(tip, seen.history_id))
    if changes or seen.differs_from(tip):
        raise StaleTriage(changes)


# --- one triage form -------------------------------------------------------------------------------


def _check_one_outcome(tip, status, forward_to, duplicate_of):
    """Forwarding makes a tip "forwarded" and a duplicate is closed: a different status chosen in the
    same save contradicts them, and a tip is not forwarded and closed as a duplicate at once."""
    if forward_to and duplicate_of is not None:
        raise TipError(
            _("A tip marked as a duplicate is closed: it cannot be forwarded in the same save."),
            code="forward_and_duplicate",
        )
    if forward_to and status not in (tip.status, Status.FORWARDED):
        raise TipError(
            _("Forwarding makes the status “%(forwarded)s”: leave the status unchanged or choose it."),
            code="forward_and_status",
            params={"forwarded": Status.FORWARDED.label},
        )
    if duplicate_of is not None and status not in (tip.status, Status.CLOSED):
        raise TipError(
            _("A duplicate is closed: leave the status unchanged or choose “%(closed)s”."),
            code="duplicate_and_status",
            params={"closed": Status.CLOSED.label},
        )


@transaction.atomic
def triage(
    tip, user, *, status, assigned_to, note="", public_note="", forward_to="", duplicate_of=None, seen=None
):
    """Everything an officer decides on a tip in one save: its status (or forwarding it, or closing it
    as a duplicate), who has it, and the notes.

    One transaction, a history row (and an audit entry) for each thing that changed; nothing that
    did not change is recorded, and anything refused saves none of the rest. Returns the tip and
    the list of what changed (empty when nothing did).

    `seen` is what the officer's page showed: if the tip changed since (checked under the row lock,
    which every change of state takes), StaleTriage refuses the save rather than undo that change.
    """
    _require_change(user, tip)
    if duplicate_of is not None:
        _check_duplicate(tip, user, duplicate_of)
    tip = Tip.objects.select_for_update().get(pk=tip.pk)
    if seen is not None:
        check_seen(tip, seen)
    _check_one_outcome(tip, status, forward_to, duplicate_of)
    changed = []
    # The internal note travels with the first change of state it explains, else it stands alone.
    if duplicate_of is not None:
        _mark_duplicate(tip, user, duplicate_of, note)
        changed.append("duplicate")
        note = ""
    elif forward_to:
        _forward(tip, user, forward_to, note)
        changed.append("forward")
        note = ""
    elif status != tip.status:
        _change_status(tip, user, status, note)
        changed.append("status")
        note = ""
    if (assigned_to.pk if assigned_to else None) != tip.assigned_to_id:
        _assign(tip, user, assigned_to)
        changed.append("assignment")
    for text, public in ((note, False), (public_note, True)):
        if text.strip():
            _add_note(tip, user, text, public)
            changed.append("public_note" if public else "note")
    return tip, changed


def search_tips(user, query, queryset=None):
    """Tips `user` may see matching `query`: the id shown in lists (its first characters), a
    reporter's tracking code (found through its hash, never stored as such) or whole words of the
    text (every word typed, through the keyed word index: the text itself is encrypted)."""
    tips = tip_scoping.tips_for(user, queryset)
    query = query.strip()
    if not query:
        return tips
    matches = _words_match(query)
    compact = query.replace("-", "").lower()
    if 4 <= len(compact) <= 32 and all(char in "0123456789abcdef" for char in compact):
        matches |= Q(pk__in=_ids_starting_with(compact))
    hashes = codes.candidate_hashes(query)
    if hashes:
        matches |= Q(tracking_code_hash__in=hashes)
    return tips.filter(matches)


def _words_match(query):
    """Tips holding every word of `query` (whole words, case and accents ignored; pimpasa.blind_index).
    One indexed lookup per word, whatever the number of tips."""
    words = blind_index.query_words(query)
    if not words:
        return Q(pk__in=[])
    matches = Q()
    for word in words:
        tokens = TipSearchToken.objects.filter(token__in=blind_index.query_tokens(word))
        matches &= Q(pk__in=tokens.values("tip_id"))
    return matches


def _ids_starting_with(hex_prefix):
    """Tips whose UUID starts with `hex_prefix` (the short id officers read out is its first 8 digits).

    A UUID is stored as 32 hex digits on SQLite and as a uuid on PostgreSQL: compare on the text."""
    as_text = Replace(Cast("pk", CharField()), Value("-"), Value(""))
    return Tip.objects.annotate(id_text=as_text).filter(id_text__startswith=hex_prefix).values("pk")
