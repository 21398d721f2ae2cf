"""Staff password reset that tells nobody which e-mail addresses have an account, and cannot be used
to flood an inbox.

Django's reset view looks the address up and sends the mail while the requester waits: an address
with an account answers measurably later than one without (the mail is rendered and handed to the
mail server), which tells an attacker whose address it is. Here the request does the same work
whatever the address: one indexed look-up and one task queued (django-q) carrying only the matching
accounts' ids, possibly none; the task makes the link and sends the mail after the answer has left.
The answer is the same page for every address. No address, token or link is queued or logged.

Requests are counted per client address and per e-mail address (salted hashes in the shared cache,
pimpasa.ratelimit): over either, a 429 page says why, for an unknown address exactly as for a known
one.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_q.tasks import async_task
from wagtail.admin.forms.auth import PasswordResetForm
from wagtail.admin.views.account import PasswordResetView

from pimpasa import ratelimit

SUBJECT_TEMPLATE = "wagtailadmin/account/password_reset/email_subject.txt"
EMAIL_TEMPLATE = "wagtailadmin/account/password_reset/email.txt"


def address_limit():
    return ratelimit.Limit("password-reset-address", settings.PIMPASA_PASSWORD_RESETS_PER_ADDRESS, 60 * 60)


def email_limit():
    return ratelimit.Limit("password-reset-email", settings.PIMPASA_PASSWORD_RESETS_PER_EMAIL, 60 * 60)


class QueuedPasswordResetForm(PasswordResetForm):
    """Wagtail's reset form whose save() queues the mail instead of sending it (see the module)."""

    def save(self, *args, **kwargs):
        user_ids = [user.pk for user in self.get_users(self.cleaned_data["email"])]
        # Queued whether or not an account matched: the same work for every address.
        transaction.on_commit(lambda: async_task("pimpasa.password_reset.send_reset_links", user_ids))


def send_reset_links(user_ids):
    """Task: e-mail each account its one-use reset link (Wagtail's templates, the site's language).
    Accounts that became inactive or lost their password meanwhile are skipped. Returns the count."""
    model = get_user_model()
    public = urlsplit(settings.PIMPASA_PUBLIC_URL)
    form = PasswordResetForm()
    sent = 0
    for user in model.objects.filter(pk__in=user_ids, is_active=True):
        if not user.has_usable_password():
            continue
        context = {
            "email": user.email,
            "domain": public.netloc,
            "site_name": settings.WAGTAIL_SITE_NAME,
            "uid": urlsafe_base64_encode(force_bytes(model._meta.pk.value_to_string(user))),
            "user": user,
            "token": default_token_generator.make_token(user),
            "protocol": public.scheme or "https",
        }
        with translation.override(settings.LANGUAGE_CODE):
            form.send_mail(SUBJECT_TEMPLATE, EMAIL_TEMPLATE, context, None, user.email)
        sent += 1
    return sent


def _throttled(request, reason, limit):
    seconds = ratelimit.seconds_left(limit)
    context = {"reason": reason, "minutes": max(1, -(-seconds // 60))}
    response = render(request, "pimpasa/password_reset_throttled.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


class ThrottledPasswordResetView(PasswordResetView):
    """Wagtail's password reset page, counted per address and per e-mail, answered the same way for
    every address (the mail goes out from the task queue)."""

    form_class = QueuedPasswordResetForm

    def get_form_class(self):
        return QueuedPasswordResetForm

    def post(self, request, *args, **kwargs):
        limit = address_limit()
        if not ratelimit.hit(limit, ratelimit.client_key(request)):
            return _throttled(request, "address", limit)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        limit = email_limit()
        email = form.cleaned_data["email"].strip().lower()
        if not ratelimit.hit(limit, ratelimit.hashed(f"password-reset:{email}")):
            return _throttled(self.request, "email", limit)
        form.save()
        return redirect(self.get_success_url())
