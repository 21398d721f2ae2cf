"""Sign-in throttling (django-axes) as the back office sees it: who is locked out, unlocking, and the
audit of failed sign-ins.

django-axes counts failures per user name *and* client address together (pimpasa.client finds the
address behind the proxies), so a stranger guessing one officer's password from their own network does
not lock that officer out at the office. After PIMPASA_LOGIN_FAILURE_LIMIT failures the pair is locked
for PIMPASA_LOGIN_LOCKOUT_MINUTES, or until a supervisor unlocks it. Every failed sign-in is kept by
axes (AccessFailureLog: user name, address, browser, time) and, when the user name belongs to an
account, also written to that account's Wagtail audit log.

The pair alone lets one account be guessed from many addresses, and many accounts from one address, so
two more counts stand beside it in the shared cache (pimpasa.ratelimit, keyed by salted hashes):
failures to one account from anywhere (PIMPASA_LOGIN_ACCOUNT_FAILURES an hour) and failures from one
address to any account (PIMPASA_LOGIN_ADDRESS_FAILURES an hour). Over the account's count, signing in
to it with a password pauses until the hour is over, never longer: an attacker who guesses on purpose
to keep an officer out gets at most that, and not even that in a browser where the officer completed
sign-in with the second factor before (pimpasa.two_factor's known-browser cookie). The account's owner
and the supervisors are told by e-mail when it happens. Every refusal is a 429 page saying why.
"""

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_q.tasks import async_task
from wagtail.log_actions import log

from pimpasa import ratelimit, two_factor
from pimpasa.roles import SUPERVISOR

UNLOCK_PERMISSION = "axes.delete_accessattempt"
FAILED_LOGIN_ACTION = "pimpasa.login_failed"
UNLOCK_ACTION = "pimpasa.login_unlocked"
ACCOUNT_PAUSED_ACTION = "pimpasa.login_account_paused"
# What request carries when the per-account or per-address count refused a sign-in.
REFUSAL_ATTRIBUTE = "pimpasa_login_refusal"


def account_limit():
    return ratelimit.Limit(
        "login-account", settings.PIMPASA_LOGIN_ACCOUNT_FAILURES, settings.PIMPASA_LOGIN_THROTTLE_SECONDS
    )


def address_limit():
    return ratelimit.Limit(
        "login-address", settings.PIMPASA_LOGIN_ADDRESS_FAILURES, settings.PIMPASA_LOGIN_THROTTLE_SECONDS
    )


def _account_key(username):
    return ratelimit.hashed(f"login-account:{(username or '').strip().lower()}")


def refusal(request, username):
    """ "address" or "account" when this sign-in must be refused before the password is even checked,
    else None. Reads the counts without adding to them (failures count, in record_failure)."""
    limit = address_limit()
    if ratelimit.peek(limit, ratelimit.client_key(request)) >= limit.count:
        return "address"
    limit = account_limit()
    if (
        username
        and ratelimit.peek(limit, _account_key(username)) >= limit.count
        and not two_factor.is_known_browser(request, username)
    ):
        return "account"
    return None


def record_failure(request, username):
    """Count a failed sign-in for its address and its account; tell the account's owner and the
    supervisors the moment the account's count is reached (once an hour, not at every failure after)."""
    ratelimit.add_hit(address_limit(), ratelimit.client_key(request))
    if not username:
        return
    limit = account_limit()
    count = ratelimit.add_hit(limit, _account_key(username))
    if count == limit.count:
        account = _account(username)
        if account is not None:
            log(account, ACCOUNT_PAUSED_ACTION, user=None, data={"failures": count})
            transaction.on_commit(lambda: async_task("pimpasa.logins.notify_account_paused", account.pk))


def notify_account_paused(user_id):
    """Task: e-mail the account's owner and every supervisor that its password sign-in is paused."""
    account = get_user_model().objects.filter(pk=user_id).first()
    if account is None:
        return 0
    supervisors = get_user_model().objects.filter(groups__name=SUPERVISOR, is_active=True).exclude(email="")
    recipients = sorted({account.email, *supervisors.values_list("email", flat=True)} - {""})
    if not recipients:
        return 0
    minutes = settings.PIMPASA_LOGIN_THROTTLE_SECONDS // 60
    with translation.override(settings.LANGUAGE_CODE):
        context = {"username": account.get_username(), "minutes": minutes, "failures": account_limit().count}
        subject = render_to_string("pimpasa/email/account_paused_subject.txt", context).strip()
        body = render_to_string("pimpasa/email/account_paused.txt", context)
    return send_mail(subject, body, None, recipients)


class ThrottledSignInBackend(AxesStandaloneBackend):
    """django-axes' check before every sign-in made over HTTP (Wagtail's login passes the request).

    authenticate() without a request (a management command, a test client's login()) is no sign-in
    attempt anyone could repeat from outside, so it is left to the next backend instead of failing.
    """

    def authenticate(self, request=None, *args, **kwargs):
        if request is None:
            return None
        reason = refusal(request, kwargs.get(get_user_model().USERNAME_FIELD))
        if reason is not None:
            # Django stops at PermissionDenied and reports a failed sign-in; the middleware below
            # turns it into the 429 page with this reason.
            setattr(request, REFUSAL_ATTRIBUTE, reason)
            raise PermissionDenied
        return super().authenticate(request, *args, **kwargs)


class LoginThrottleMiddleware:
    """A sign-in refused by the per-account or per-address count gets its 429 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        reason = getattr(request, REFUSAL_ATTRIBUTE, None)
        if reason is None:
            return response
        limit = account_limit() if reason == "account" else address_limit()
        seconds = ratelimit.seconds_left(limit)
        return _locked_page(request, reason, seconds)


def can_unlock(user):
    return user.is_active and user.has_perm(UNLOCK_PERMISSION)


def lockouts(now=None):
    """The user name and address pairs locked out now, most recent first."""
    now = now or timezone.now()
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=now - settings.AXES_COOLOFF_TIME,
    ).order_by("-attempt_time")


def recent_failures(limit=50):
    return AccessFailureLog.objects.order_by("-attempt_time")[:limit]


@transaction.atomic
def unlock(attempt, by):
    """Lift one lockout (every browser of that user name and address); audited on the account."""
    removed = AxesProxyHandler.reset_attempts(username=attempt.username, ip_address=attempt.ip_address)
    account = _account(attempt.username)
    if account is not None:
        log(account, UNLOCK_ACTION, user=by, data={"ip_address": attempt.ip_address})
    return removed


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out sign-in gets: HTTP 429 in the user's language, with when to try again."""
    return _locked_page(request, "pair", int(settings.AXES_COOLOFF_TIME.total_seconds()))


def _locked_page(request, reason, seconds):
    minutes = max(1, -(-seconds // 60))
    context = {"minutes": minutes, "reason": reason}
    response = render(request, "pimpasa/login_locked.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


def audit_failed_login(sender, credentials, request=None, **kwargs):
    """user_login_failed receiver: the account's audit log names each failed sign-in and its address."""
    username = (credentials or {}).get(get_user_model().USERNAME_FIELD, "")
    if request is not None:
        record_failure(request, username)
    account = _account(username)
    if account is None:
        return  # no such account: axes' failure log alone keeps the attempt
    address = get_client_ip_address(request) if request is not None else None
    log(account, FAILED_LOGIN_ACTION, user=None, data={"ip_address": address})


def _account(username):
    if not username:
        return None
    model = get_user_model()
    return model.objects.filter(**{f"{model.USERNAME_FIELD}__iexact": username}).first()
