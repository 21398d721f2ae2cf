"""The public side of events: the attendee's check-in form, the list of upcoming sessions, .ics files.

Thin: every rule is in events.services.
"""

import secrets

from django.conf import settings
from django.core.cache import caches
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cms.privacy import current_notice
from events.services import checkin as checkin_service
from events.services import checkin_cache, consent, errors, public, tokens
from pimpasa.ratelimit import Limit, client_key, exceeded, hashed, too_many_requests
from pimpasa.request_limits import body_limit
from pimpasa.shared_device import new_turn

from .forms import CheckinForm

# How long a process reuses a rendered thank-you page: a renamed topic or area shows within this.
THANK_YOU_SECONDS = 60
# A check-in form is a few hundred bytes; anything near this is not a resident's phone.
CHECKIN_BODY_LIMIT = 16 * 1024


def _limit(scope, setting):
    count, seconds = getattr(settings, setting)
    return Limit(scope=scope, count=count, seconds=seconds)


def _over_limit_before_reading(request, nonce):
    """The address's ceiling (a village behind one hotspot) and the opened form's own limit."""
    return exceeded(
        [
            (_limit("checkin-address", "PIMPASA_CHECKIN_LIMIT_PER_ADDRESS"), client_key(request)),
            (
                _limit("checkin-form", "PIMPASA_CHECKIN_LIMIT_PER_FORM"),
                hashed(f"form:{nonce}") if nonce else "",
            ),
        ]
    )


def _over_limit_for_phone(session, phone):
    return exceeded(
        [(_limit("checkin-phone", "PIMPASA_CHECKIN_LIMIT_PER_PHONE"), hashed(f"{session.pk}:{phone}"))]
    )


def _render(request, template, context):
    """One of the attendee's pages as HTML (they all link to the privacy notice)."""
    context["privacy_url"] = current_notice().url
    return render_to_string(f"events/{template}.html", context, request)


def _page(request, template, context, status=200):
    return HttpResponse(_render(request, template, context), status=status)


# Where each attendee's own form pass and CSRF token go in the shared rendering of the thank-you page.
PASS_SLOT, CSRF_SLOT = "__pimpasa_form_pass__", "__pimpasa_csrf_token__"


def _thank_you(request, session, form_pass):
    """The thank-you page names no one, so one rendering serves every attendee of a session.

    Rendering it was the largest part of a check-in's CPU. Each process keeps it per session
    version, topics and language; a change to the session or its topics gives a new key at once.
    Only its "check in another person" button carries this attendee's form pass and CSRF token.
    """
    topics = session.topics.all()
    key = "events:thank-you:{}:{}:{}:{}".format(
        session.pk,
        session.updated_at.timestamp(),
        ",".join(str(topic.pk) for topic in topics),
        get_language(),
    )
    html = caches["local"].get(key)
    if html is None:
        context = {"session": session, "topics": topics, "pass_slot": PASS_SLOT, "csrf_slot": CSRF_SLOT}
        html = _render(request, "checkin_done", context)
        caches["local"].set(key, html, THANK_YOU_SECONDS)
    # Both are URL-safe base64 and ":" (signing, CSRF): nothing to escape in an attribute.
    html = html.replace(PASS_SLOT, form_pass).replace(CSRF_SLOT, get_token(request))
    return HttpResponse(html)


TOKEN_ERRORS = {errors.Reason.BAD_TOKEN, errors.Reason.EXPIRED_TOKEN}


def _refused(request, session, error, *, count=False):
    """A refusal page. Without a valid token it names nothing of the session (ids are sequential:
    anyone can try them); with one, it describes only a public session that is not a draft or
    cancelled. An anonymous visitor's refusals are counted within bounds (see count_visitor_refusal)."""
    if count and session is not None:
        checkin_service.count_visitor_refusal(session, error.code, client_key(request))
    shown = (
        session
        if session is not None and error.code not in TOKEN_ERRORS and checkin_service.describable(session)
        else None
    )
    context = {"session": shown, "error": error, "attendance": error.attendance}
    return _page(request, "checkin_refused", context, status=error.status)


@body_limit(CHECKIN_BODY_LIMIT)
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def checkin(request, pk):
    # An unknown id answers exactly as a forged QR does, so probing ids tells nothing.
    session = checkin_cache.session_for_checkin(pk)
    if session is None:
        return _refused(request, None, errors.CheckinError(errors.Reason.BAD_TOKEN))
    if request.method == "POST":
        return new_turn(request, _submit(request, session))
    try:
        tokens.verify_checkin_token(session, request.GET.get("t", ""))
        checkin_service.check_session_accepts(session)
    except errors.CheckinError as error:
        return _refused(request, session, error, count=True)
    form_pass = tokens.form_pass(session, secrets.token_urlsafe(12))
    return _form_page(request, session, CheckinForm(), form_pass)


def _form_page(request, session, form, form_pass, status=200):
    context = {"session": session, "form": form, "form_pass": form_pass}
    return _page(request, "checkin", context, status=status)


def _submit(request, session):
    form_pass = request.POST.get("pass", "")
    try:
        nonce, refusal = tokens.verify_form_pass(session, form_pass), None
    except errors.CheckinError as error:
        nonce, refusal = "", error
    if over := _over_limit_before_reading(request, nonce):
        return too_many_requests(request, over)
    if refusal is not None:
        return _refused(request, session, refusal, count=True)
    if request.POST.get("another"):
        return _another_person(request, session, nonce)
    form = CheckinForm(request.POST)
    if not form.is_valid():
        # Everything typed comes back in the form; the same pass (and nonce) stays valid.
        return _form_page(request, session, form, form_pass, status=400)
    details = form.attendee_details()
    if over := _over_limit_for_phone(session, details.phone):
        return too_many_requests(request, over)
    try:
        checkin_service.perform_checkin(
            session,
            details,
            consent=consent.consent_on_form(),
            # One opened form may record a whole family on a shared phone: the nonce answers a
            # double tap of the same details, never a second person typed into the same form.
            nonce=tokens.submission_nonce(nonce, details),
        )
    except errors.CheckinError as error:
        return _refused(request, session, error)
    return _thank_you(request, session, form_pass)


def _another_person(request, session, nonce):
    """The thank-you page's "check in another person": an empty form on the same opened form's nonce
    (its limits go on counting), with a new pass so the next person has the full time to type."""
    try:
        checkin_service.check_session_accepts(session)
    except errors.CheckinError as error:
        return _refused(request, session, error)
    return _form_page(request, session, CheckinForm(), tokens.form_pass(session, nonce))


@require_http_methods(["GET", "HEAD"])
def session_list(request):
    sessions = public.upcoming_public_sessions(limit=50)
    return render(request, "events/session_list.html", {"sessions": sessions})


@require_http_methods(["GET", "HEAD"])
def session_ics(request, pk):
    session = public.public_session(pk)
    if session is None:
        raise Http404
    url = tokens.public_url(reverse("events:list"))
    response = HttpResponse(public.session_ics(session, url=url), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ngopi-pimpasa-{session.pk}.ics"'
    return response
