"""The second factor of staff sign-in: a code from an authenticator app (TOTP, django-otp) and
single-use recovery codes, required of everyone who can open the back office.

Who needs it: every account with back-office access (and any staff or superuser). Officers and
supervisors see reporters, attendees and tips; editors see no personal data, but they publish the
hotline numbers and the tip form's pages on a government site, and a stolen editor account that
changes the hotline to a recruiter's number would send residents' reports to the very people they
report. So nobody with back-office access is exempt.

The flow: after the password, SecondFactorMiddleware sends an unverified session to enrolment (no
confirmed authenticator yet: a QR code and the secret as text, one code to confirm, then ten recovery
codes shown once) or to verification (a code from the app, or a recovery code). Every /admin/ page
except sign-in, sign-out, password reset and these pages needs a verified session. A supervisor can
reset another account's second factor (audited); the next sign-in enrols again, and any session
verified with the removed authenticator is signed out.

Recovery codes are stored as keyed hashes (django-otp's static tokens hold the hash, never the
code), so a copy of the database does not hold a code that passes the second factor. The
authenticator's key is stored as django-otp keeps it: the server must compute the code.
"""

import base64
import hashlib
import hmac
import secrets
from io import BytesIO
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.backends import ModelBackend
from django.core import signing
from django.db import transaction
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

ENROLLED_ACTION = "pimpasa.two_factor_enrolled"
RECOVERY_USED_ACTION = "pimpasa.two_factor_recovery_used"
FAILED_ACTION = "pimpasa.two_factor_failed"
RESET_ACTION = "pimpasa.two_factor_reset"
RESET_PERMISSION = "otp_totp.delete_totpdevice"

RECOVERY_CODE_COUNT = 10
# Recovery codes: 10 characters from an alphabet without look-alikes (no 0/o, 1/l/i), about 50 bits.
RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
RECOVERY_LENGTH = 10

KNOWN_BROWSER_COOKIE = "pimpasa_known_browser"
KNOWN_BROWSER_SALT = "pimpasa.two_factor.known_browser"

# Pages an unverified session may open: signing in and out, resetting the password, the second
# factor's own pages, and what every admin screen loads: Wagtail's icon sprite and JavaScript catalogue.
OPEN_URL_NAMES = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    "pimpasa_two_factor_verify",
    "pimpasa_two_factor_setup",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
}


def required_for(user):
    """Whether this signed-in user must pass the second factor to use the back office."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.is_staff or user.has_perm("wagtailadmin.access_admin")


def with_second_factor(queryset):
    """Users with the ids of their confirmed authenticator and recovery-code device, in the same query."""
    from django.db.models import OuterRef, Subquery

    return queryset.annotate(
        second_factor_totp=Subquery(
            TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True).values("pk")[:1]
        ),
        second_factor_static=Subquery(StaticDevice.objects.filter(user=OuterRef("pk")).values("pk")[:1]),
    )


class AccountBackend(ModelBackend):
    """Django's model backend whose get_user() also brings the user's second-factor devices, so that
    telling a verified session costs no query of its own on every back-office request."""

    def get_user(self, user_id):
        from django.contrib.auth import get_user_model

        model = get_user_model()
        try:
            user = with_second_factor(model._default_manager).get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


def is_verified(request):
    """Whether this session passed the second factor with a device the user still has (a supervisor's
    reset deletes it, and the session stops being verified at its next request)."""
    user = request.user
    device_id = request.session.get(DEVICE_ID_SESSION_KEY)
    if not user.is_authenticated or not device_id:
        return False
    if not hasattr(user, "second_factor_totp"):  # a user loaded elsewhere than AccountBackend
        user = with_second_factor(type(user)._default_manager).get(pk=user.pk)
    devices = set()
    if user.second_factor_totp:
        devices.add(f"{TOTPDevice.model_label()}/{user.second_factor_totp}")
    if user.second_factor_static:
        devices.add(f"{StaticDevice.model_label()}/{user.second_factor_static}")
    return device_id in devices


def authenticator(user):
    """The user's confirmed authenticator (TOTP device), or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_enrolled(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_authenticator(user):
    """The authenticator being enrolled: a fresh unconfirmed key, kept until confirmed or replaced."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)
    return device


def secret_text(device):
    """The key as the authenticator apps ask for it when typed: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def config_url(device):
    """otpauth:// URL with the site name as issuer and the user name as the account."""
    label = f"{settings.OTP_TOTP_ISSUER}:{device.user.get_username()}"
    params = {
        "secret": base64.b32encode(device.bin_key).decode().rstrip("="),
        "issuer": settings.OTP_TOTP_ISSUER,
        "algorithm": "SHA1",
        "digits": device.digits,
        "period": device.step,
    }
    from urllib.parse import quote

    return f"otpauth://totp/{quote(label)}?{urlencode(params)}"


def qr_svg(device):
    """The enrolment QR as inline SVG, drawn here: the key never leaves the server to a QR service."""
    image = qrcode.make(config_url(device), image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    # Drop the XML declaration: the SVG goes inside the HTML page.
    return svg[svg.index("<svg") :]


def _recovery_hash(code):
    """What is stored for a recovery code: a keyed hash, 16 characters (StaticToken's column)."""
    normalised = normalise_code(code)
    digest = hmac.new(settings.SECRET_KEY.encode(), f"recovery:{normalised}".encode(), hashlib.sha256)
    return digest.hexdigest()[:16]


def normalise_code(code):
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _new_recovery_code():
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


@transaction.atomic
def new_recovery_codes(user):
    """Replace the user's recovery codes with ten new ones; returns them (the only time they exist)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="Recovery codes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    device.token_set.bulk_create(
        [device.token_set.model(device=device, token=_recovery_hash(c)) for c in codes]
    )
    return codes


def recovery_codes_left(user):
    device = StaticDevice.objects.filter(user=user).first()
    return device.token_set.count() if device else 0


@transaction.atomic
def confirm_enrolment(request, device, code):
    """Confirm a pending authenticator with its first code. Returns the new recovery codes, or None
    if the code is wrong. The session is verified with the new authenticator."""
    if not device.verify_token(normalise_code(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # One authenticator per account: enrolling again replaces any older one.
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    codes = new_recovery_codes(device.user)
    _mark_verified(request, device)
    log(device.user, ENROLLED_ACTION, user=device.user)
    return codes


# Set beside django-otp's own key: django-otp drops its key silently once the device is gone, and
# this one tells the middleware that the session had been verified with it.
VERIFIED_SESSION_KEY = "pimpasa_second_factor_passed"


def _mark_verified(request, device):
    otp_login(request, device)
    request.session[VERIFIED_SESSION_KEY] = True


class Refused(Exception):
    """A code could not be checked now: too many wrong codes in a row (wait `seconds`)."""

    def __init__(self, seconds):
        super().__init__(seconds)
        self.seconds = seconds


def verify(request, code):
    """Check a code from the app or a recovery code for request.user; on success the session is
    verified. Returns "authenticator", "recovery" or None (wrong code); raises Refused while the
    device is throttled (django-otp doubles the wait after each wrong code)."""
    user = request.user
    normalised = normalise_code(code)
    totp = authenticator(user)
    if totp is None:
        return None
    recovery = StaticDevice.objects.filter(user=user).first()
    if normalised.isdigit() and len(normalised) == totp.digits:
        device, token, kind = totp, normalised, "authenticator"
    elif recovery is not None:
        device, token, kind = recovery, _recovery_hash(normalised), "recovery"
    else:
        device, token, kind = totp, normalised, "authenticator"
    allowed, data = device.verify_is_allowed()
    if not allowed:
        raise Refused(seconds_locked(data))
    # The audit log wants the account itself, not request.user's lazy wrapper around it.
    account = totp.user
    if not device.verify_token(token):
        log(account, FAILED_ACTION, user=account, data={"kind": kind})
        return None
    _mark_verified(request, device)
    if kind == "recovery":
        log(account, RECOVERY_USED_ACTION, user=account, data={"left": recovery_codes_left(account)})
    return kind


def seconds_locked(data):
    """How long a throttled device still refuses codes, at least a second: `data` is what its
    verify_is_allowed() returned with False (django-otp's throttle names when it is locked until)."""
    from django.utils import timezone

    moment = (data or {}).get("locked_until")
    if moment is None:
        return 1
    return max(1, int((moment - timezone.now()).total_seconds()) + 1)


def can_reset(by, user):
    """A supervisor resets another account's second factor; never their own (that would let a stolen
    password alone replace it), and a superuser's only by a superuser."""
    if not by.is_active or not by.has_perm(RESET_PERMISSION) or by.pk == user.pk:
        return False
    return by.is_superuser or not user.is_superuser


@transaction.atomic
def reset(user, by):
    """Remove the user's authenticator and recovery codes: the next sign-in enrols again. Audited."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    log(user, RESET_ACTION, user=by)


def staff_accounts():
    """Accounts that can open the back office, with whether each has enrolled (one query)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef, Q

    model = get_user_model()
    enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    admin_access = (
        Q(is_superuser=True)
        | Q(is_staff=True)
        | Q(
            groups__permissions__codename="access_admin",
            groups__permissions__content_type__app_label="wagtailadmin",
        )
        | Q(user_permissions__codename="access_admin")
    )
    return (
        model.objects.filter(admin_access, is_active=True)
        .annotate(enrolled=Exists(enrolled))
        .distinct()
        .order_by(model.USERNAME_FIELD)
    )


# --- the known browser: an account's own browser is not held back by an attacker's wrong guesses ---


def remember_browser(response, user):
    """Mark this browser as one where `user` completed sign-in with the second factor."""
    value = signing.dumps(_account_tag(user.get_username()), salt=KNOWN_BROWSER_SALT)
    response.set_cookie(
        KNOWN_BROWSER_COOKIE,
        value,
        max_age=settings.PIMPASA_KNOWN_BROWSER_DAYS * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
        path="/admin/",
    )


def is_known_browser(request, username):
    """Whether this browser completed sign-in with the second factor as `username` before."""
    value = request.COOKIES.get(KNOWN_BROWSER_COOKIE)
    if not value or not username:
        return False
    try:
        tag = signing.loads(
            value, salt=KNOWN_BROWSER_SALT, max_age=settings.PIMPASA_KNOWN_BROWSER_DAYS * 24 * 3600
        )
    except signing.BadSignature:
        return False
    return hmac.compare_digest(tag, _account_tag(username))


def _account_tag(username):
    # The cookie names no account in the clear.
    digest = hmac.new(settings.SECRET_KEY.encode(), f"browser:{username.lower()}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


# --- where an unverified session goes --------------------------------------------------------------


def safe_next(request, default=None):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default or reverse("wagtailadmin_home")


class SecondFactorMiddleware:
    """Every back-office page needs a session verified by the second factor, for everyone who needs
    one (required_for). Placed after the authentication middleware."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = None

    def __call__(self, request):
        refusal = self.check(request)
        return refusal or self.get_response(request)

    def check(self, request):
        if self.prefix is None:
            try:
                self.prefix = reverse("wagtailadmin_home")
            except NoReverseMatch:
                return None  # a URLconf without the back office (a test's own) has nothing to guard
        if not request.path_info.startswith(self.prefix):
            return None
        user = request.user
        if not user.is_authenticated or is_verified(request) or not required_for(user):
            return None
        if request.session.get(VERIFIED_SESSION_KEY):
            # Verified once with an authenticator that is gone (a supervisor reset it): start again
            # from the password, never enrol a new one on the strength of the old session.
            logout(request)
            return redirect(f"{reverse('wagtailadmin_login')}?{urlencode({'next': request.get_full_path()})}")
        match = getattr(request, "resolver_match", None)
        if match is None:
            from django.urls import Resolver404, resolve

            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
        if match is not None and match.url_name in OPEN_URL_NAMES:
            return None
        target = "pimpasa_two_factor_verify" if is_enrolled(user) else "pimpasa_two_factor_setup"
        next_url = request.get_full_path() if request.method == "GET" else reverse("wagtailadmin_home")
        return redirect(f"{reverse(target)}?{urlencode({'next': next_url})}")
