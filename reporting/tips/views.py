"""Public tip pages: the form, the one-time receipt with the tracking code, and the status page.

Thin views: the rules live in reporting.tips.services. Every answer that carries a code or a tip's status
is marked no-store, so that neither a shared phone's cache nor a proxy keeps it.
"""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.utils import ErrorDict
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from events.services import tokens as event_tokens
from pimpasa import devices, proof_of_work
from pimpasa.multipart import MultipartCheck
from pimpasa.ratelimit import Limit, client_key, exceeded
from pimpasa.request_limits import body_limit
from pimpasa.shared_device import new_turn
from reporting.tips.conversation import pages as conversation_pages
from reporting.tips.conversation.forms import ReplyForm
from reporting.tips.forms import CodeForm, TipForm
from reporting.tips.services import receipts
from reporting.tips.services import tips as tip_service
from reporting.tips.services.evidence import MAX_BYTES, MAX_FILES, EvidenceInMemory, EvidenceUploadLimit

# Codes have 80 bits; the limits are against load and noise, and keep guessing pointless. Like the
# tip form's, they count per browser with a ceiling per address: a training on one Wi-Fi shares it.
LOOKUP_LIMIT_PER_DEVICE = Limit(scope="tips-lookup-device", count=10, seconds=10 * 60)
LOOKUP_LIMIT_PER_ADDRESS = Limit(scope="tips-lookup-address", count=100, seconds=10 * 60)
# The receipt (the tracking code) is the answer to the form's POST itself, shown once on that page:
# reporting.tips.services.receipts says how a reload, Back/Forward or a new tab never shows it again.
# Receipts of an earlier release travelled in this cookie; it is deleted wherever it is still found.
LEGACY_RECEIPT_COOKIE = "pimpasa_tip_receipt"
# The whole request: every evidence file at its largest plus the text. Larger is refused unread (413);
# a single oversized file below this is dropped by EvidenceUploadLimit and explained in the form.
TIP_BODY_LIMIT = MAX_FILES * MAX_BYTES + 2 * 1024 * 1024
LOOKUP_BODY_LIMIT = 16 * 1024


# The tip form's proof of work (pimpasa.proof_of_work): the widget posts its payload in this field.
CHALLENGE_PURPOSE = "tip"
CHALLENGE_FIELD = "altcha"
# Issuing a challenge costs the server one key derivation: a ceiling per address, sized for a village.
CHALLENGE_LIMIT_PER_ADDRESS = Limit(scope="tips-challenge-address", count=600, seconds=10 * 60)
SITEWIDE = "site"


def _limit(scope, setting):
    count, seconds = setting
    return Limit(scope=scope, count=count, seconds=seconds)


def _submit_checks(request, solved):
    """Per browser (the server-issued id, pimpasa.devices), so that 30 neighbours on one Wi-Fi can
    report together; a ceiling per address. A tip without a solved challenge also meets far smaller
    budgets and a ceiling for the whole site: it cost its sender nothing."""
    device, address = devices.device_key(request), client_key(request)
    checks = [
        (_limit("tips-submit-device", settings.PIMPASA_TIP_LIMIT_PER_DEVICE), device),
        (_limit("tips-submit-address", settings.PIMPASA_TIP_LIMIT_PER_ADDRESS), address),
    ]
    if not solved:
        checks += [
            (_limit("tips-unsolved-device", settings.PIMPASA_TIP_UNSOLVED_LIMIT_PER_DEVICE), device),
            (_limit("tips-unsolved-address", settings.PIMPASA_TIP_UNSOLVED_LIMIT_PER_ADDRESS), address),
            (_limit("tips-unsolved-site", settings.PIMPASA_TIP_UNSOLVED_LIMIT_SITEWIDE), SITEWIDE),
        ]
    return checks


def _over_limit(request, per_device, per_address):
    return exceeded([(per_device, devices.device_key(request)), (per_address, client_key(request))])


# What the resident reads when the browser's check did not hold; nothing is stored, nothing typed lost.
CHALLENGE_REFUSALS = {
    proof_of_work.Reason.EXPIRED: gettext_lazy(
        "The security check of this form expired (it was open a long time). Nothing was sent: press "
        "“Send the report” again and your browser will do a new check."
    ),
    proof_of_work.Reason.REPLAYED: gettext_lazy(
        "This security check was already used (perhaps the report was sent twice). Nothing new was "
        "sent: press “Send the report” again and your browser will do a new check."
    ),
}
CHALLENGE_NOT_CONFIRMED = gettext_lazy(
    "The security check of your browser could not be confirmed. Nothing was sent: press “Send the "
    "report” again and your browser will do a new check."
)


def _no_store(response):
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


@body_limit(TIP_BODY_LIMIT)
@require_http_methods(["GET", "HEAD", "POST"])
@csrf_exempt
def report(request):
    # The size limit must be in place before anything reads the body, which CSRF checking would do;
    # hence csrf_exempt here and csrf_protect on the inner view.
    upload_limit = EvidenceUploadLimit(request)
    request.upload_handlers = [upload_limit, EvidenceInMemory(request)]
    # Likewise the watch for what Django's parser would forgive: a body cut short, a file name that
    # is not UTF-8 (Django drops that file without a word).
    body_check = MultipartCheck(request)
    response = _report(request, upload_limit, body_check)
    return new_turn(request, response) if request.method == "POST" else response


@csrf_protect
def _report(request, upload_limit, body_check):
    if request.method != "POST":
        return _form_page(request, TipForm(initial={"session": request.GET.get("session")}))
    # First of all: was this very form sent already? Then whoever sends it again (a reload, Back then
    # Forward on a shared phone) sees neither the code nor anything typed in it.
    nonce = request.POST.get("nonce", "")
    try:
        earlier = receipts.sent_before(nonce)
    except receipts.FormExpired:
        return _expired_form(request)
    if earlier is not None:
        return _receipt_answer(request, earlier, nonce)
    verdict = proof_of_work.verify(request.POST.get(CHALLENGE_FIELD, ""), CHALLENGE_PURPOSE)
    if over := exceeded(_submit_checks(request, verdict.solved)):
        return _throttled(request, over, solved=verdict.solved)
    if not verdict.solved and not verdict.missing:
        if verdict.reason == proof_of_work.Reason.REPLAYED:
            # A double tap sends the same solution twice: if the first try holds this form, the
            # browser shows this second answer, so it must be the receipt, not a refusal.
            outcome = receipts.before_recording(nonce)
            if not outcome.record:
                return _receipt_answer(request, outcome, nonce)
            receipts.not_recorded(nonce)
        # A payload that is not a valid, unused solution of ours: forged, expired or replayed.
        return _refused(request, CHALLENGE_REFUSALS.get(verdict.reason, CHALLENGE_NOT_CONFIRMED))
    if body_check.truncated:
        return _refused(
            request,
            _(
                "Your report did not arrive whole (the connection was cut). Nothing was stored: please send it again."
            ),
        )
    upload_errors = upload_limit.errors()
    if body_check.undecodable_parts:
        upload_errors.append(
            ValidationError(
                _(
                    "The name of an attached file could not be read. Rename the file (for example "
                    "foto1.jpg) and attach it again."
                ),
                code="undecodable_name",
            )
        )
    form = TipForm(request.POST, request.FILES, upload_errors=upload_errors)
    if not form.is_valid():
        return _form_page(request, form, status=400 if body_check.undecodable_parts else 200)
    if form.is_bot:
        # A person whose browser filled the hidden field can send again; a bot gets nowhere.
        form.data = form.data.copy()
        form.data["homepage"] = ""
        form.add_error(None, _("Your report was not sent. Please check it and send it again."))
        return _form_page(request, form)
    outcome = receipts.before_recording(nonce)
    if not outcome.record:  # a double tap: the first try recorded it (or is recording it)
        return _receipt_answer(request, outcome, nonce)
    try:
        tip, code = tip_service.submit_tip(form.submission(), form.prepared_files)
    except BaseException:
        receipts.not_recorded(nonce)
        raise
    receipts.recorded(nonce, code)
    return _receipt_answer(request, receipts.Outcome(code=code), nonce, office=tip.office)


def _receipt_answer(request, outcome, nonce, office=None):
    """The receipt as the answer to the POST: the code, or "already sent" without it. It names the
    office the tip went to (a double tap's answer finds it by the code it carries)."""
    entry = receipts.entry_id(nonce) if outcome.code and receipts.is_genuine(nonce) else None
    if office is None and outcome.code:
        tip = tip_service.find_by_code(outcome.code)
        office = tip.office if tip is not None else None
    return _receipt_page(
        request, code=outcome.code, entry=entry, already_sent=outcome.already_sent, office=office
    )


def _expired_form(request):
    """A form opened over a day ago that recorded nothing we still remember: shown again empty, since
    what it holds may be the last person's on a shared phone."""
    form = TipForm()
    message = _(
        "This form was opened more than a day ago. For the safety of whoever filled it in, it is not "
        "shown again: please fill it in again."
    )
    form._errors = ErrorDict({NON_FIELD_ERRORS: form.error_class([message])})  # an unbound form's message
    return _form_page(request, form)


def _refused(request, message):
    """The form again with what arrived of it, the reason, and a 400; nothing is stored."""
    form = TipForm(request.POST)
    form.is_valid()
    form.add_error(None, message)
    return _form_page(request, form, status=400)


def _throttled(request, limit, solved=True):
    """The form again with everything typed in it, a 429 and when to try again; files not even decoded."""
    form = TipForm(request.POST)
    form.is_valid()
    if solved or limit.scope.startswith("tips-submit"):
        message = _("You have sent many reports in a short time. Please wait an hour and send again.")
    else:
        message = _(
            "Your browser did not do the security check (it needs JavaScript), and without it only a "
            "few reports can be sent each hour. Turn JavaScript on or use another browser and send "
            "again, or wait an hour. In an emergency, call the police at 110."
        )
    form.add_error(None, message)
    response = _form_page(request, form, status=429)
    response["Retry-After"] = str(limit.seconds)
    return response


def _form_page(request, form, status=200):
    # A form shown again keeps its nonce (it has recorded nothing yet); a new one gets a new nonce.
    nonce = request.POST.get("nonce", "") if form.is_bound else ""
    if not receipts.is_genuine(nonce):
        nonce = receipts.new_form_nonce()
    session = _chosen_session(form)
    context = {
        "form": form,
        "session": session,
        # A tip from a session's page: the footer shows that session's office (cms.office_contact).
        "office": session.area.office if session is not None else None,
        "nonce": nonce,
        "challenge_field": CHALLENGE_FIELD,
    }
    response = render(request, "reporting/tips/form.html", context, status=status)
    return _no_store(devices.ensure_device(request, response))


@require_http_methods(["GET", "HEAD"])
def challenge(request):
    """A fresh proof-of-work challenge for the tip form's widget (JSON, never cached)."""
    if exceeded([(CHALLENGE_LIMIT_PER_ADDRESS, client_key(request))]):
        response = JsonResponse({"error": _("Too many requests. Please wait a few minutes.")}, status=429)
        response["Retry-After"] = str(CHALLENGE_LIMIT_PER_ADDRESS.seconds)
        return _no_store(response)
    return _no_store(JsonResponse(proof_of_work.new_challenge(CHALLENGE_PURPOSE)))


def _chosen_session(form):
    """The session the form is about, if the id in it names one that can be reported on."""
    if form.is_bound and hasattr(form, "cleaned_data"):
        return form.cleaned_data.get("session")
    return form.find_session(form["session"].value())


def _receipt_page(request, *, code=None, entry=None, already_sent=False, office=None):
    context = {
        # The office handling the tip: its name and hotline on the receipt, its contact in the footer.
        "office": office,
        "code": code,
        "entry": entry,
        "already_sent": already_sent,
        "status_url": event_tokens.public_url(reverse("tips:status")),
    }
    response = render(request, "reporting/tips/receipt.html", context)
    if LEGACY_RECEIPT_COOKIE in request.COOKIES:
        response.delete_cookie(LEGACY_RECEIPT_COOKIE, samesite="Strict")
    return _no_store(response)


@require_http_methods(["GET", "HEAD", "POST"])
def receipt(request):
    """The receipt's old address (and any new tab opened on it): the code is never shown here."""
    return _receipt_page(request)


@require_http_methods(["GET", "HEAD"])
def receipt_displayed(request, entry):
    """Fetched as a stylesheet by the receipt page as it is displayed: the code is then forgotten."""
    return _displayed(receipts.displayed, entry)


@require_http_methods(["GET", "HEAD"])
def status_displayed(request, entry):
    """Likewise for a look-up's answer: sending that look-up again asks for the code again."""
    return _displayed(receipts.lookup_displayed, entry)


def _displayed(mark, entry):
    if not receipts.is_entry_id(entry):
        raise Http404
    mark(entry)
    return _no_store(HttpResponse("", content_type="text/css; charset=utf-8"))


@body_limit(LOOKUP_BODY_LIMIT)
@require_http_methods(["GET", "HEAD", "POST"])
def status(request):
    """The status and public notes of the tip a code belongs to; one answer for every wrong code."""
    response = _status(request)
    return new_turn(request, response) if request.method == "POST" else response


def _status(request):
    tip = history = None
    pending_files, refused_files = [], []
    not_found = False
    if request.method == "POST":
        form = CodeForm(request.POST)
        nonce = request.POST.get("nonce", "")
        if not receipts.lookup_may_answer(nonce):
            # This look-up was answered on this page before: whoever sends it again (Back then Forward
            # on a shared phone) must type the code again.
            form = CodeForm()
            message = _("For your safety, a status is shown only once. Type your code again.")
            form._errors = ErrorDict({NON_FIELD_ERRORS: form.error_class([message])})
            return _status_page(request, form)
        if over := _over_limit(request, LOOKUP_LIMIT_PER_DEVICE, LOOKUP_LIMIT_PER_ADDRESS):
            # The typed code stays in the form, with when to try again.
            form.is_valid()
            form.add_error(
                None, _("You have tried many codes in a short time. Please wait 10 minutes and try again.")
            )
            response = _status_page(request, form, status=429)
            response["Retry-After"] = str(over.seconds)
            return response
        if form.is_valid():
            tip = tip_service.find_by_code(form.cleaned_data["code"])
            not_found = tip is None
            if tip is not None:
                # An answer carried from a reply form that had expired comes back in the reply box.
                carried = request.POST.get("reply", "")
                reply_form = ReplyForm(initial={"body": carried}) if carried.strip() else None
                return conversation_pages.render_status(
                    request,
                    CodeForm(),  # the code is not echoed back into the page
                    answered=receipts.lookup_id(nonce) if nonce else None,
                    **conversation_pages.tip_context(tip, reply_form=reply_form),
                )
    else:
        form = CodeForm()
    files = {"pending_files": pending_files, "refused_files": refused_files}
    return _status_page(request, form, tip=tip, history=history, not_found=not_found, **files)


def _status_page(
    request, form, *, tip=None, history=None, not_found=False, answered=None, status=200, **files
):
    # A refused look-up keeps an answer carried from an expired reply form (reporting.tips.conversation).
    carried = request.POST.get("reply", "") if form.is_bound else ""
    return conversation_pages.render_status(
        request,
        form,
        status=status,
        tip=tip,
        history=history,
        not_found=not_found,
        answered=answered,
        carried_reply=carried,
        **files,
    )
