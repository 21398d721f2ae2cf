"""Back office: the second factor's screens (enrolment, verification) and the supervisors' page that
resets another account's second factor. The rules are in pimpasa.two_factor."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from pimpasa import two_factor


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )

    def __init__(self, *args, numeric=False, **kwargs):
        super().__init__(*args, **kwargs)
        if numeric:
            self.fields["code"].widget.attrs.update({"inputmode": "numeric", "pattern": "[0-9 ]*"})
            self.fields["code"].help_text = gettext_lazy("The 6 digits your authenticator app shows now.")
        else:
            self.fields["code"].help_text = gettext_lazy(
                "The 6 digits your authenticator app shows now, or one of your recovery codes."
            )


def _refused_message(seconds):
    return ngettext(
        "Too many wrong codes. Wait %(seconds)d second before trying again.",
        "Too many wrong codes. Wait %(seconds)d seconds before trying again.",
        seconds,
    ) % {"seconds": seconds}


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request):
    user = request.user
    next_url = two_factor.safe_next(request)
    if not two_factor.required_for(user) or two_factor.is_verified(request):
        return redirect(next_url)
    if not two_factor.is_enrolled(user):
        return redirect(f"{_url('pimpasa_two_factor_setup')}?next={_quote(next_url)}")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            kind = two_factor.verify(request, form.cleaned_data["code"])
        except two_factor.Refused as refused:
            form.add_error("code", _refused_message(refused.seconds))
            status = 429
        else:
            if kind is not None:
                if kind == "recovery":
                    left = two_factor.recovery_codes_left(user)
                    messages.warning(
                        request,
                        ngettext(
                            "You signed in with a recovery code. %(left)d recovery code is left.",
                            "You signed in with a recovery code. %(left)d recovery codes are left.",
                            left,
                        )
                        % {"left": left},
                    )
                response = redirect(next_url)
                two_factor.remember_browser(response, user)
                return response
            form.add_error(
                "code", _("That code is not right. Check the time on your phone and try the newest code.")
            )
    context = {"form": form, "next": next_url}
    return render(request, "pimpasa/two_factor/verify.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def setup(request):
    user = request.user
    next_url = two_factor.safe_next(request)
    if not two_factor.required_for(user) or two_factor.is_verified(request):
        return redirect(next_url)
    if two_factor.is_enrolled(user):
        # Replacing an authenticator needs the old one (or a recovery code), or a supervisor's reset.
        return redirect(f"{_url('pimpasa_two_factor_verify')}?next={_quote(next_url)}")
    device = two_factor.pending_authenticator(user)
    form = CodeForm(request.POST or None, numeric=True)
    status = 200
    if request.method == "POST" and form.is_valid():
        allowed, data = device.verify_is_allowed()
        if not allowed:
            form.add_error("code", _refused_message(two_factor.seconds_locked(data)))
            status = 429
        else:
            codes = two_factor.confirm_enrolment(request, device, form.cleaned_data["code"])
            if codes is not None:
                response = render(
                    request, "pimpasa/two_factor/recovery_codes.html", {"codes": codes, "next": next_url}
                )
                two_factor.remember_browser(response, user)
                return response
            form.add_error(
                "code", _("That code is not right. Check the time on your phone and try the newest code.")
            )
    context = {
        "form": form,
        "next": next_url,
        "qr_svg": two_factor.qr_svg(device),
        "secret": two_factor.secret_text(device),
        "issuer": device.user.get_username(),
    }
    return render(request, "pimpasa/two_factor/setup.html", context, status=status)


def _check_manager(request):
    if not request.user.has_perm(two_factor.RESET_PERMISSION):
        raise PermissionDenied


@never_cache
def accounts(request):
    _check_manager(request)
    return render(request, "pimpasa/two_factor/accounts.html", {"accounts": two_factor.staff_accounts()})


@never_cache
@require_http_methods(["GET", "POST"])
def reset(request, pk):
    _check_manager(request)
    account = get_object_or_404(get_user_model(), pk=pk)
    if not two_factor.can_reset(request.user, account):
        raise PermissionDenied
    if request.method == "POST":
        two_factor.reset(account, by=request.user)
        messages.success(
            request,
            _("The second factor of %(username)s was removed: they set up a new one at their next sign-in.")
            % {"username": account.get_username()},
        )
        return redirect("pimpasa_two_factor_accounts")
    return render(request, "pimpasa/two_factor/reset_confirm.html", {"account": account})


def _url(name):
    from django.urls import reverse

    return reverse(name)


def _quote(value):
    from urllib.parse import quote

    return quote(value, safe="/")


__all__ = ["accounts", "reset", "setup", "verify"]
