"""Public tip pages: the form, the one-time receipt with the tracking code, and the status page.

Thin views: the rules live in reporting.tips.services. Every answer that carries a code or a tip's status
is marked no-store, so that neither a shared phone's cache nor a proxy keeps it.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from pimpasa.multipart import MultipartCheck
from pimpasa.ratelimit import Limit, is_limited, too_many_requests
from reporting.tips.forms import CodeForm, TipForm
from reporting.tips.services import tips as tip_service
from reporting.tips.services.evidence import EvidenceUploadLimit

# A village session may share one phone's hotspot: generous per hour, yet no flood.
SUBMIT_LIMIT = Limit(scope="tips-submit", count=20, seconds=60 * 60)
# Codes have 80 bits; the limit is against load and noise, and keeps guessing pointless.
LOOKUP_LIMIT = Limit(scope="tips-lookup", count=10, seconds=10 * 60)
# The code travels from the POST to the receipt in a short-lived signed cookie, so that it is never
# stored on the server, not even in the session table; the receipt deletes it as it shows it.
RECEIPT_COOKIE = "pimpasa_tip_receipt"
RECEIPT_SALT = "reporting.tip-receipt"
RECEIPT_MAX_AGE = 10 * 60


def _no_store(response):
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


@csrf_exempt
def report(request):
    # The size limit must be in place before anything reads the body, which CSRF checking would do;
    # hence csrf_exempt here and csrf_protect on the inner view.
    upload_limit = EvidenceUploadLimit(request)
    request.upload_handlers.insert(0, upload_limit)
    # Likewise the watch for what Django's parser would forgive: a body cut short, a file name that
    # is not UTF-8 (Django drops that file without a word).
    body_check = MultipartCheck(request)
    return _report(request, upload_limit, body_check)


@csrf_protect
def _report(request, upload_limit, body_check):
    if request.method != "POST":
        return _form_page(request, TipForm(initial={"session": request.GET.get("session")}))
    if is_limited(request, SUBMIT_LIMIT):
        return _throttled(request)
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
                    "The name of an attached file could not be read. Rename the file (for example foto1.jpg) and attach it again."
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
    _tip, code = tip_service.submit_tip(form.submission(), form.prepared_files)
    response = redirect("tips:receipt")
    response.set_signed_cookie(
        RECEIPT_COOKIE,
        code,
        salt=RECEIPT_SALT,
        max_age=RECEIPT_MAX_AGE,
        secure=request.is_secure(),
        httponly=True,
        samesite="Strict",
    )
    return response


def _refused(request, message):
    """The form again with what arrived of it, the reason, and a 400; nothing is stored."""
    form = TipForm(request.POST)
    form.is_valid()
    form.add_error(None, message)
    return _form_page(request, form, status=400)


def _throttled(request):
    """The form again with everything typed in it, a 429 and when to try again; files not even decoded."""
    form = TipForm(request.POST)
    form.is_valid()
    form.add_error(None, _("You have sent many reports in a short time. Please wait an hour and send again."))
    response = _form_page(request, form, status=429)
    response["Retry-After"] = str(SUBMIT_LIMIT.seconds)
    return response


def _form_page(request, form, status=200):
    context = {"form": form, "session": _chosen_session(form)}
    return _no_store(render(request, "reporting/tips/form.html", context, status=status))


def _chosen_session(form):
    """The session the form is about, if the id in it names one that can be reported on."""
    if form.is_bound and hasattr(form, "cleaned_data"):
        return form.cleaned_data.get("session")
    return form.find_session(form["session"].value())


def receipt(request):
    """The code, once: the cookie that carried it is deleted by this very response."""
    code = request.get_signed_cookie(RECEIPT_COOKIE, default=None, salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE)
    response = render(request, "reporting/tips/receipt.html", {"code": code}, status=200 if code else 410)
    response.delete_cookie(RECEIPT_COOKIE, samesite="Strict")
    return _no_store(response)


def status(request):
    """The status and public notes of the tip a code belongs to; one answer for every wrong code."""
    tip = history = None
    not_found = False
    if request.method == "POST":
        if is_limited(request, LOOKUP_LIMIT):
            return too_many_requests(request, LOOKUP_LIMIT)
        form = CodeForm(request.POST)
        if form.is_valid():
            tip = tip_service.find_by_code(form.cleaned_data["code"])
            not_found = tip is None
            if tip is not None:
                history = list(tip_service.public_history(tip))
                form = CodeForm()  # the code is not echoed back into the page
    else:
        form = CodeForm()
    context = {"form": form, "tip": tip, "history": history, "not_found": not_found}
    return _no_store(render(request, "reporting/tips/status.html", context))
