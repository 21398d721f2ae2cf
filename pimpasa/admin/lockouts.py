"""Back office: sign-in lockouts and failed sign-ins, and unlocking (supervisors; pimpasa.logins)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pimpasa import logins


def _check(request):
    if not logins.can_unlock(request.user):
        raise PermissionDenied


@require_GET
def index(request):
    _check(request)
    context = {"lockouts": logins.lockouts(), "failures": logins.recent_failures()}
    return render(request, "pimpasa/admin/lockouts.html", context)


@require_POST
def unlock(request, pk):
    _check(request)
    attempt = get_object_or_404(logins.lockouts(), pk=pk)
    logins.unlock(attempt, by=request.user)
    messages.success(request, _("%(username)s can sign in again.") % {"username": attempt.username})
    return redirect("pimpasa_lockouts")


__all__ = ["index", "unlock"]
