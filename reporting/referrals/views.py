"""The agency's page behind a referral link: no account, Indonesian, only what was shared.

Every answer is no-store and sends no Referer to another site (the link is the key). An expired, revoked, tampered or
guessed link gets the same page and status, so a visitor learns nothing about whether a tip exists;
refusals are counted per reason and, past a few, the client is throttled.
"""

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_http_methods

from pimpasa.ratelimit import Limit, is_limited, too_many_requests

from .forms import AcknowledgeForm, OutcomeForm
from .services import referrals as services

# An agency desk opens its link a few times a day; this is against floods.
OPEN_LIMIT = Limit(scope="referral-open", count=60, seconds=10 * 60)
# Bad links from one client: a mistyped link or two is fine, a guessing run is not.
REFUSED_LIMIT = Limit(scope="referral-refused", count=10, seconds=60 * 60)


def _private(response):
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    # The link is the key: it never leaves in a Referer to another site. Same-origin still sends one
    # (and a real Origin) to our own forms, which CSRF checking needs.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _refused(request, reason):
    services.count_refusal(reason)
    if is_limited(request, REFUSED_LIMIT):
        services.count_refusal(services.Reason.THROTTLED)
        return _private(too_many_requests(request, REFUSED_LIMIT))
    return _private(render(request, "reporting/referrals/link_refused.html", status=404))


def _open(request, token):
    """(referral, None) for a good link, else (None, the response to send)."""
    if is_limited(request, OPEN_LIMIT):
        return None, _private(too_many_requests(request, OPEN_LIMIT))
    try:
        return services.open_link(token), None
    except services.LinkRefused as refusal:
        return None, _refused(request, refusal.reason)


def _page(request, referral, *, acknowledge_form=None, outcome_form=None, error=None, status=200):
    context = {
        "referral": referral,
        # The footer shows the referring office's contact (cms.office_contact), not the chooser.
        "office": referral.tip.office,
        "token": request.resolver_match.kwargs["token"],
        "shared": services.shared_content(referral),
        "acknowledge_form": acknowledge_form or AcknowledgeForm(),
        "outcome_form": outcome_form or OutcomeForm(),
        "error": error,
    }
    return _private(render(request, "reporting/referrals/agency.html", context, status=status))


@require_http_methods(["GET", "HEAD"])
def agency_page(request, token):
    referral, refusal = _open(request, token)
    if refusal:
        return refusal
    services.record_view(referral)
    return _page(request, referral)


@require_http_methods(["POST"])
def acknowledge(request, token):
    referral, refusal = _open(request, token)
    if refusal:
        return refusal
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        return _page(request, referral, acknowledge_form=form, status=400)
    services.acknowledge(referral, form.cleaned_data["received_by"])
    return _private(redirect("referrals:agency", token=token))


@require_http_methods(["POST"])
def outcome(request, token):
    referral, refusal = _open(request, token)
    if refusal:
        return refusal
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        return _page(request, referral, outcome_form=form, status=400)
    try:
        services.report_outcome(referral, form.cleaned_data["outcome"], form.cleaned_data["text"])
    except services.ReferralError as error:
        form.add_error(None, error.messages[0])
        return _page(request, referral, outcome_form=form, status=400)
    return _private(redirect("referrals:agency", token=token))


@require_http_methods(["GET", "HEAD"])
def evidence(request, token, evidence_id):
    referral, refusal = _open(request, token)
    if refusal:
        return refusal
    opened = services.open_shared_evidence(referral, evidence_id)
    if opened is None:
        raise Http404
    item, handle = opened
    response = FileResponse(
        handle, as_attachment=True, filename=item.download_name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return _private(response)
