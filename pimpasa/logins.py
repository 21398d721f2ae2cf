"""Sign-in throttling (django-axes) as the back office sees it: who is locked out, unlocking, and the
audit of failed sign-ins.

django-axes counts failures per user name *and* client address together (pimpasa.client finds the
address behind the proxies), so a stranger guessing one officer's password from their own network does
not lock that officer out at the office. After PIMPASA_LOGIN_FAILURE_LIMIT failures the pair is locked
for PIMPASA_LOGIN_LOCKOUT_MINUTES, or until a supervisor unlocks it. Every failed sign-in is kept by
axes (AccessFailureLog: user name, address, browser, time) and, when the user name belongs to an
account, also written to that account's Wagtail audit log.
"""

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone
from wagtail.log_actions import log

UNLOCK_PERMISSION = "axes.delete_accessattempt"
FAILED_LOGIN_ACTION = "pimpasa.login_failed"
UNLOCK_ACTION = "pimpasa.login_unlocked"


class ThrottledSignInBackend(AxesStandaloneBackend):
    """django-axes' check before every sign-in made over HTTP (Wagtail's login passes the request).

    authenticate() without a request (a management command, a test client's login()) is no sign-in
    attempt anyone could repeat from outside, so it is left to the next backend instead of failing.
    """

    def authenticate(self, request=None, *args, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


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
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    response = render(request, "pimpasa/login_locked.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


def audit_failed_login(sender, credentials, request=None, **kwargs):
    """user_login_failed receiver: the account's audit log names each failed sign-in and its address."""
    account = _account((credentials or {}).get(get_user_model().USERNAME_FIELD, ""))
    if account is None:
        return  # no such account: axes' failure log alone keeps the attempt
    address = get_client_ip_address(request) if request is not None else None
    log(account, FAILED_LOGIN_ACTION, user=None, data={"ip_address": address})


def _account(username):
    if not username:
        return None
    model = get_user_model()
    return model.objects.filter(**{f"{model.USERNAME_FIELD}__iexact": username}).first()
