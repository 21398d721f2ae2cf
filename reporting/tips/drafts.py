"""What an officer typed in a tip's triage form but did not save, carried across the page's other
buttons (refer, revoke or renew a referral link, approve sharing the identity).

Every button of the tip page submits the one triage form (HTML `form`/`formaction` attributes, no
script), so its target receives the typed triage too. It keeps what the officer changed, and the tip
page shows it again, marked "not saved yet", instead of losing it or saving it unasked.

A draft is only what the officer changed, never the page's own values: a status or an officer that
was left as shown is not carried, so a referral made meanwhile (status "Forwarded") is never undone
by it; and a changed status or officer is given back only if nobody changed that part of the tip
since. Internal notes may name people: a draft is sealed with the Fernet keys (PIMPASA_FERNET_KEYS,
outside the database), lives in its own table (never the session), is read once, expires after
DRAFT_HOURS, and goes when the officer saves or logs out and when the tip's data is purged.
"""

import json
from datetime import timedelta

from cryptography.fernet import InvalidToken
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.utils import timezone

from reporting.tips.forms import TriageForm
from reporting.tips.models import TriageDraft
from reporting.tips.services import identity
from reporting.tips.services.tips import Seen

PREFIX = "triage"
DRAFT_HOURS = 4
SEEN_FIELDS = TriageForm.SEEN_FIELDS
# Typed fields carried as typed (empty ones are nothing to carry).
TYPED_FIELDS = ("note", "public_note", "message", "closing_note", "forward_to", "original_q", "duplicate_of")


def typed(data):
    """What the triage form posted (only the fields it posted), as the form's initial values: for
    showing it again in the very response to that POST."""
    return {
        name: data.get(f"{PREFIX}-{name}", "")
        for name in TriageForm.base_fields
        if f"{PREFIX}-{name}" in data
    }


def seen_of(data):
    """The Seen a posted triage form carries, or None for a form without it."""
    values = typed(data)
    try:
        history_id = int(values.get("seen_history") or "")
    except ValueError:
        return None
    return Seen(
        history_id=history_id,
        status=values.get("seen_status") or None,
        assigned_to=values.get("seen_assigned_to"),
    )


def changed(data, tip):
    """Only what the officer changed on the page (None when nothing): the typed texts and choices,
    and the status and officer only where they differ from what the page showed."""
    if f"{PREFIX}-status" not in data:
        return None
    values = typed(data)
    seen = {
        "seen_history": values.get("seen_history") or "0",
        "seen_status": values.get("seen_status") or tip.status,
        "seen_assigned_to": values.get("seen_assigned_to", str(tip.assigned_to_id or "")),
    }
    draft = {name: values[name] for name in TYPED_FIELDS if str(values.get(name) or "").strip()}
    if values.get("status") and values["status"] != seen["seen_status"]:
        draft["status"] = values["status"]
    if "assigned_to" in values and str(values["assigned_to"] or "") != seen["seen_assigned_to"]:
        draft["assigned_to"] = str(values["assigned_to"] or "")
    if not draft:
        return None
    return {**draft, **seen}


def keep(request, tip):
    """Keep what the officer changed in this POST's triage form (if anything) for their return."""
    if f"{PREFIX}-status" not in request.POST:
        return
    draft = changed(request.POST, tip)
    if draft is None:
        drop(tip, request.user)
        return
    sealed = identity.fernet().encrypt(json.dumps(draft, ensure_ascii=False).encode()).decode("ascii")
    TriageDraft.objects.update_or_create(
        tip=tip,
        user=request.user,
        defaults={"sealed": sealed, "expires_at": timezone.now() + timedelta(hours=DRAFT_HOURS)},
    )


def take(request, tip):
    """(initial values, what could not be given back) of the draft kept before another button was
    pressed, once; (None, []) when there is none (or it expired)."""
    row = TriageDraft.objects.filter(tip=tip, user=request.user).first()
    if row is None:
        return None, []
    row.delete()
    if row.expires_at <= timezone.now():
        return None, []
    try:
        draft = json.loads(identity.fernet().decrypt(row.sealed.encode("ascii"), ttl=DRAFT_HOURS * 3600))
    except InvalidToken:
        return None, []  # expired, or sealed with a key since retired: nothing to give back
    dropped = []
    # A status or officer chosen on a page that showed another state is not given back: it would
    # undo what happened meanwhile. The page now shows the tip as it is.
    if "status" in draft and tip.status != draft["seen_status"]:
        dropped.append("status")
        del draft["status"]
    if "assigned_to" in draft and str(tip.assigned_to_id or "") != draft["seen_assigned_to"]:
        dropped.append("assigned_to")
        del draft["assigned_to"]
    initial = {name: value for name, value in draft.items() if name not in SEEN_FIELDS}
    return initial, dropped


def drop(tip, user=None):
    """Forget the drafts of `tip` (of one officer, or everybody's)."""
    drafts = TriageDraft.objects.filter(tip=tip)
    if user is not None:
        drafts = drafts.filter(user=user)
    drafts.delete()


def delete_expired(now=None):
    """The hourly task: delete drafts past their expiry; returns how many."""
    deleted, _by_model = TriageDraft.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


@receiver(user_logged_out, dispatch_uid="reporting_triage_drafts_logout")
def _forget_on_logout(sender, user, **kwargs):
    if user is not None:
        TriageDraft.objects.filter(user=user).delete()
