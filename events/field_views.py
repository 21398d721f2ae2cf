"""Field mode: one session's page for its officers that keeps working with no signal.

Without JavaScript the page is an ordinary form posting here. With it, entries go to the phone's
IndexedDB first and are sent to `sync` when the connection allows; a service worker serves the page
(its "shell": the same page naming nobody) and its assets when offline. Every entry, either way, goes
through events.services.field.send_entry. The URLs live under /admin/field/ (Wagtail's admin login
and language).
"""

import hashlib
import json
import uuid
from functools import cache

from django import forms
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events.services import sessions
from pimpasa.security import camera_allowed

from .forms import FieldTicketForm, FieldWalkInForm
from .permissions import session_tool
from .services import field as field_service

# The files the service worker keeps for offline use (the page itself is cached per session).
OFFLINE_ASSETS = (
    "css/pimpasa.css",
    "css/field.css",
    "js/field-store.js",
    "js/field.js",
    "img/favicon.svg",
    "img/icon-192.png",
    "img/icon-512.png",
    "vendor/jsqr/jsQR.js",  # the camera's QR decoder on browsers without BarcodeDetector
)
SERVICE_WORKER = "js/field-sw.js"


def _urls(session):
    return {
        "page": reverse("events_field:page", args=[session.pk]),
        "shell": reverse("events_field:shell", args=[session.pk]),
        "data": reverse("events_field:data", args=[session.pk]),
        "sync": reverse("events_field:sync", args=[session.pk]),
        "manifest": reverse("events_field:manifest", args=[session.pk]),
        "worker": reverse("events_field:worker"),
        "scope": reverse("events_field:worker").rsplit("/", 1)[0] + "/",
        "run": reverse("events_session:run", args=[session.pk]),
        "decoder": static("vendor/jsqr/jsQR.js"),
    }


def _strings():
    """What the page's script says, translated here (the script itself holds no text)."""
    return {
        "online": _("Online: entries are sent at once."),
        "offline": _("No connection: entries are kept on this phone and sent when the signal returns."),
        "waiting": _("Waiting to send (%(count)s)"),
        "sending": _("Sending…"),
        "loggedOut": _("You are logged out: log in again to send the waiting entries."),
        "serverError": _("The server did not answer; the entries stay here and are sent again later."),
        "recorded": _("Recorded"),
        "already": _("Already checked in"),
        "refused": _("Refused"),
        "waitingEntry": _("Waiting to send"),
        "correct": _("Correct"),
        "discard": _("Discard"),
        "discardConfirm": _("Discard this entry? It will not be sent."),
        "logoutConfirm": _(
            "Entries not sent yet: %(count)s. Logging out deletes them from this phone. Log out?"
        ),
        "ticket": _("Guest ticket"),
        "ticketUnknown": _(
            "This ticket is not on the guest list this phone fetched; the server will decide when it is sent."
        ),
        "ticketTwice": _("This ticket is already checked in (on this phone or before)."),
        "ticketEmpty": _("Type or scan a ticket code."),
        "expired": _("Field mode for this session has ended: entries are no longer accepted."),
        "nobody": _("Nobody is recorded yet."),
        "saved": _("%(name)s is saved on this phone."),
        "required": str(forms.Field.default_error_messages["required"]),  # Django's own words
        "consent": _("Record the person only once they have agreed."),
    }


def _page_context(session, *, kept, walk_in_form=None, ticket_form=None):
    urls = _urls(session)
    keep_until = field_service.keep_until(session)
    return {
        "session": session,
        "kept": kept,
        "walk_in_form": walk_in_form or _walk_in_form(),
        "ticket_form": ticket_form or _ticket_form(),
        # The kept page is what the phone keeps offline: it names nobody.
        "attendances": () if kept else session.attendances.order_by("-checked_in_at"),
        "keep_until": session.local(keep_until),
        "expired": keep_until < timezone.now(),
        "urls": urls,
        # For the page's script, in a data attribute (no inline script under the coming CSP).
        "field_config": json.dumps(
            {"session": session.pk, "keep_until": keep_until.isoformat(), "urls": urls, "strings": _strings()}
        ),
    }


def _walk_in_form(data=None):
    # Without JavaScript each rendering carries a fresh id: a double-tapped "Add" records once.
    return FieldWalkInForm(data, prefix="walkin", initial={"client_id": uuid.uuid4()})


def _ticket_form(data=None):
    return FieldTicketForm(data, prefix="ticket", initial={"client_id": uuid.uuid4()})


@never_cache
@camera_allowed
@require_http_methods(["GET", "POST"])
@session_tool
def page(request, session):
    if request.method == "GET":
        sessions.record_attendees_viewed(session, request.user, page="field")
        return render(request, "events/field/page.html", _page_context(session, kept=False))
    # The page without JavaScript: one entry per post, answered at once.
    is_ticket = request.POST.get("kind") == "ticket"
    form = _ticket_form(request.POST) if is_ticket else _walk_in_form(request.POST)
    forms = {"ticket_form" if is_ticket else "walk_in_form": form}
    if not form.is_valid():
        messages.error(request, _("Not saved: please check the fields."))
        return render(
            request, "events/field/page.html", _page_context(session, kept=False, **forms), status=400
        )
    answer = _send(session, request.user, form)
    if answer.status == field_service.RECORDED:
        messages.success(request, _("%(name)s is recorded.") % {"name": answer.name})
    elif answer.status == field_service.ALREADY:
        messages.warning(request, f"{answer.name}: {answer.message}" if answer.name else answer.message)
    else:
        messages.error(request, answer.message)
        context = _page_context(session, kept=False, **forms)
        return render(request, "events/field/page.html", context, status=409)
    return redirect("events_field:page", session.pk)


@never_cache
@camera_allowed
@require_GET
@session_tool
def shell(request, session):
    """The page as the phone keeps it for offline use: the forms, the session, nobody's name."""
    return render(request, "events/field/page.html", _page_context(session, kept=True))


@never_cache
@require_GET
@session_tool
def data(request, session):
    """Fetched while online: what the phone keeps (no personal data), the CSRF token for the next sync,
    and the list of who is recorded, which the page shows but never stores."""
    attendances = session.attendances.order_by("-checked_in_at").values_list(
        "name", "source", "checked_in_at"
    )
    sources = dict(session.attendances.model.Source.choices)
    sessions.record_attendees_viewed(session, request.user, page="field-data")
    return JsonResponse(
        {
            "offline": field_service.offline_data(session),
            "csrf_token": get_token(request),
            "recorded": [
                {"name": name, "how": str(sources[source]), "at": session.local(at).strftime("%H:%M")}
                for name, source, at in attendances
            ],
        }
    )


class BadSync(Exception):
    pass


def _entries(request):
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise BadSync(_("The request is not valid JSON.")) from None
    entries = body.get("entries") if isinstance(body, dict) else None
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise BadSync(_("The request carries no list of entries."))
    if len(entries) > field_service.MAX_ENTRIES_PER_SYNC:
        raise BadSync(
            _("At most %(count)s entries per request.") % {"count": field_service.MAX_ENTRIES_PER_SYNC}
        )
    return entries


def answer_entry(session, user, entry):
    """The answer to one entry of a sync: its form's errors, or what the service made of it."""
    is_ticket = entry.get("kind") == "ticket"
    form = (FieldTicketForm if is_ticket else FieldWalkInForm)(entry)
    if not form.is_valid():
        client_id = entry.get("client_id") if isinstance(entry.get("client_id"), str) else ""
        return field_service.invalid(client_id, {name: list(errors) for name, errors in form.errors.items()})
    return _send(session, user, form)


def _send(session, user, form):
    """A valid field form's entry, sent: a guest's ticket, or a walk-in's details with the consent."""
    data = form.cleaned_data
    if isinstance(form, FieldTicketForm):
        entry = {"ticket": data["ticket"]}
    else:
        entry = {"details": form.attendee_details(), "consent": data["consent"]}
    return field_service.send_entry(
        session, user, client_id=data["client_id"], made_at=data["made_at"], **entry
    )


@never_cache
@require_POST
@session_tool
def sync(request, session):
    """Record a batch of field entries; answer each by its client id. Replays are answered, never doubled.

    CSRF-protected like any form of the admin: the page sends the token from `data` in X-CSRFToken.
    Each entry is its own transaction, so a batch cut short keeps what it recorded and is sent again.
    """
    try:
        entries = _entries(request)
    except BadSync as error:
        return JsonResponse({"error": str(error)}, status=400)
    answers = [answer_entry(session, request.user, entry).as_json() for entry in entries]
    return JsonResponse({"results": answers, "count": sessions.attendance_count(session.pk)})


@require_GET
@session_tool
def manifest(request, session):
    """The web app manifest: "Add to home screen" opens this session's field page."""
    urls = _urls(session)
    data = {
        "name": _("Pimpasa field mode: %(title)s") % {"title": session.title},
        "short_name": _("Pimpasa field"),
        "description": _("Record walk-ins and guests at a session, also with no signal."),
        "lang": request.LANGUAGE_CODE,
        "start_url": urls["page"],
        "scope": urls["scope"],
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b3c6d",
        "icons": [
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


@cache
def _worker_source():
    """The service worker: its static file, after a line naming the assets it keeps and their version
    (a hash of their contents, so changing any of them makes phones fetch the new ones)."""
    paths = [finders.find(name) for name in (*OFFLINE_ASSETS, SERVICE_WORKER)]
    digest = hashlib.sha256()
    for found in paths:
        with open(found, "rb") as source:
            digest.update(source.read())
    config = {"version": digest.hexdigest()[:16], "assets": [static(name) for name in OFFLINE_ASSETS]}
    with open(paths[-1], encoding="utf-8") as source:
        return f"self.PIMPASA_FIELD = {json.dumps(config)};\n" + source.read()


@require_GET
def worker(request):
    response = HttpResponse(_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


urlpatterns = [
    path("sw.js", worker, name="worker"),
    path("<int:pk>/", page, name="page"),
    path("<int:pk>/shell/", shell, name="shell"),
    path("<int:pk>/data/", data, name="data"),
    path("<int:pk>/sync/", sync, name="sync"),
    path("<int:pk>/manifest.webmanifest", manifest, name="manifest"),
]
