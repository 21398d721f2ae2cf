"""What an officer typed in a tip's triage form but did not save, carried across the page's other
buttons (reveal the reporter, refer, revoke or renew a referral link, approve sharing the identity).

Every button of the tip page submits the one triage form (HTML `form`/`formaction` attributes, no
script), so its target receives the typed triage too. It keeps that typing in the session, and the
tip page shows it again, marked "not saved yet", instead of losing it or saving it unasked.
"""

from reporting.tips.forms import TriageForm

PREFIX = "triage"


def _key(tip_id):
    return f"pimpasa:triage-draft:{tip_id}"


def typed(data):
    """What the officer typed in the triage form, as the form's initial values."""
    return {name: data.get(f"{PREFIX}-{name}", "") for name in TriageForm.base_fields}


def _is_untouched(values, tip):
    """True when the typing is the form as the page showed it: nothing to keep."""
    untouched = {
        "status": tip.status,
        "assigned_to": str(tip.assigned_to_id or ""),
    }
    return all(str(values.get(name) or "").strip() == untouched.get(name, "") for name in values)


def keep(request, tip):
    """Keep the triage typed in this POST (if any) for the tip page's next view."""
    if f"{PREFIX}-status" not in request.POST:
        return
    values = typed(request.POST)
    if _is_untouched(values, tip):
        request.session.pop(_key(tip.pk), None)
        return
    request.session[_key(tip.pk)] = values


def take(request, tip):
    """The triage typed before another button was pressed, once (None when there is none)."""
    return request.session.pop(_key(tip.pk), None)
