"""Officer tools in the Wagtail admin: run a session, its QR codes, poster, projector, walk-ins,
corrections, minutes, guests and ticket scanning. Each view checks the session is the user's to run,
then calls a service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from events.services import checkin, errors, sessions, tokens
from pimpasa.security import camera_allowed

from .forms import AttendanceDetailsForm, GuestForm, MinutesForm, TicketForm, WalkInForm
from .models import Attendance, Guest, Session
from .permissions import session_tool
from .qr import qr_png, qr_svg, share_png


def run_url(session):
    return reverse("events_session:run", args=[session.pk])


def _png(data, filename=None):
    response = HttpResponse(data, content_type="image/png")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# How many of the latest check-ins the run page shows live; the full list is below them.
NEWEST_SHOWN = 10
# How often the run page's script asks for the live part (the projector's count turns as often).
LIVE_SECONDS = 5


def _live_context(session):
    """The part of the run page that updates itself: the count, the totals, the newest check-ins."""
    return {
        "session": session,
        "totals": sessions.attendance_totals(session),
        "newest": sessions.newest_attendances(session, NEWEST_SHOWN),
        "window_state": checkin.window_state(session),
    }


def _run_context(session, walk_in_form):
    return {
        **_live_context(session),
        "attendances": session.attendances.select_related("added_by").order_by("-checked_in_at", "-pk"),
        "refusals": session.refusals.order_by("reason"),
        "walk_in_form": walk_in_form,
        "poster_url": tokens.poster_checkin_url(session),
        "guest_count": session.guests.count(),
        "live_seconds": LIVE_SECONDS,
    }


@never_cache
@session_tool
def run(request, session):
    sessions.record_attendees_viewed(session, request.user, page="run")
    return render(request, "events/admin/run.html", _run_context(session, WalkInForm(prefix="walkin")))


@never_cache
@session_tool
def run_live(request, session):
    """The live part of the run page as an HTML fragment, which the page's script swaps in."""
    return render(request, "events/admin/includes/run_live.html", _live_context(session))


@session_tool
def poster(request, session):
    url = tokens.poster_checkin_url(session)
    return render(
        request,
        "events/admin/poster.html",
        {"session": session, "checkin_url": url, "qr_svg": qr_svg(url)},
    )


@never_cache
@session_tool
def projector(request, session):
    url = tokens.rotating_checkin_url(session)
    context = {
        "session": session,
        "checkin_url": url,
        "qr_svg": qr_svg(url),
        "count": sessions.attendance_count(session.pk),
        "refresh_seconds": tokens.rotation_seconds(),
    }
    return render(request, "events/admin/projector.html", context)


@never_cache
@session_tool
def projector_state(request, session):
    """What the projector's script polls: the count, and the current QR when it has turned."""
    url = tokens.rotating_checkin_url(session)
    return JsonResponse(
        {"count": sessions.attendance_count(session.pk), "slot": tokens.current_slot(), "svg": qr_svg(url)}
    )


@session_tool
def qr_image(request, session, fmt):
    url = tokens.poster_checkin_url(session)
    if fmt == "svg":
        response = HttpResponse(qr_svg(url), content_type="image/svg+xml")
        response["Content-Disposition"] = f'attachment; filename="qr-sesi-{session.pk}.svg"'
        return response
    return _png(qr_png(url), f"qr-sesi-{session.pk}.png")


@session_tool
def share_image(request, session):
    return _png(share_png(session, tokens.poster_checkin_url(session)), f"ngopi-pimpasa-{session.pk}.png")


@require_POST
@session_tool
def add_walk_in(request, session):
    form = WalkInForm(request.POST, prefix="walkin")
    if form.is_valid():
        try:
            checkin.add_walk_in(
                session, request.user, form.attendee_details(), consent=form.cleaned_data["consent"]
            )
        except errors.CheckinError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": form.cleaned_data["name"]})
            # Back at the walk-in form, ready for the next person; the new entry is just below it.
            return redirect(run_url(session) + "#walk-in")
    else:
        messages.error(request, _("The walk-in was not added: please check the fields."))
    # The run page again, with the officer's typing kept in the walk-in form.
    return render(request, "events/admin/run.html", _run_context(session, form), status=400)


@session_tool
def edit_attendance(request, session, attendance_id):
    attendance = get_object_or_404(Attendance, pk=attendance_id, session=session)
    form = AttendanceDetailsForm(request.POST or None, instance=attendance)
    if request.method == "POST" and form.is_valid():
        # The ModelForm has already put the values on the instance; the service compares and logs.
        changes = {field: form.cleaned_data[field] for field in form.changed_data}
        fresh = Attendance.objects.get(pk=attendance.pk)
        try:
            checkin.correct_attendance(fresh, request.user, **changes)
        except errors.CheckinError as error:
            form.add_error("phone", error.message)
        else:
            messages.success(request, _("The entry was corrected."))
            return redirect(run_url(session))
    return render(
        request,
        "events/admin/tool_form.html",
        {"session": session, "attendance": attendance, "form": form, "heading": _("Correct an entry")},
        status=400 if form.errors else 200,
    )


@session_tool
def remove_attendance(request, session, attendance_id):
    attendance = get_object_or_404(Attendance, pk=attendance_id, session=session)
    if request.method == "POST":
        checkin.remove_attendance(attendance, request.user)
        messages.success(request, _("The entry was removed."))
        return redirect(run_url(session))
    return render(
        request, "events/admin/attendance_remove.html", {"session": session, "attendance": attendance}
    )


STEPS = {
    "start": sessions.start_session,
    "finish": sessions.finish_session,
    "cancel": sessions.cancel_session,
    "reopen": sessions.reopen_session,
}
# Steps that end something ask first: the GET shows what will happen, the POST does it.
CONFIRMED_STEPS = {"finish", "cancel"}


@session_tool
def change_status(request, session, step):
    move = STEPS.get(step)
    if move is None:
        raise PermissionDenied
    if request.method == "GET" and step in CONFIRMED_STEPS:
        context = {
            "session": session,
            "step": step,
            "attendance_count": sessions.attendance_count(session.pk),
        }
        return render(request, "events/admin/confirm_status.html", context)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        move(session, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The session is now “%(status)s”.") % {"status": session.get_status_display()}
        )
    return redirect(run_url(session))


@session_tool
def invalidate_passes(request, session):
    """Make old posters stop: the GET tells the officer what that does, the POST does it."""
    if request.method == "GET":
        return render(request, "events/admin/confirm_invalidate.html", {"session": session})
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    sessions.invalidate_printed_passes(session, request.user)
    messages.success(
        request,
        _(
            "The printed QR codes were invalidated: old posters and shared images no longer work. "
            "Print the new poster and share the new image."
        ),
    )
    return redirect(run_url(session))


@session_tool
def minutes(request, session):
    form = MinutesForm(request.POST or None, instance=Session(minutes=session.minutes))
    if request.method == "POST" and form.is_valid():
        sessions.save_minutes(session, request.user, form.cleaned_data["minutes"])
        messages.success(request, _("The minutes were saved."))
        return redirect(run_url(session))
    context = {"session": session, "form": form, "heading": _("Minutes (notulen)")}
    return render(request, "events/admin/tool_form.html", context)


@session_tool
def guests(request, session):
    form = GuestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            guest = checkin.register_guest(
                session, request.user, form.attendee_details(), consent=form.cleaned_data["consent"]
            )
        except errors.CheckinError as error:
            form.add_error("consent", error.message)
        else:
            messages.success(
                request, _("%(name)s is registered; print or send their ticket.") % {"name": guest.name}
            )
            return redirect("events_session:guests", session.pk)
    guest_list = session.guests.select_related("attendance").order_by("name")
    sessions.record_attendees_viewed(session, request.user, page="guests")
    return render(
        request,
        "events/admin/guests.html",
        {"session": session, "form": form, "guests": guest_list},
        status=400 if form.errors else 200,
    )


@session_tool
def ticket(request, session, guest_id):
    guest = get_object_or_404(Guest, pk=guest_id, session=session)
    token = tokens.ticket_token(guest)
    if request.GET.get("format") == "png":
        return _png(qr_png(token), f"tiket-{session.pk}-{guest.pk}.png")
    return render(
        request,
        "events/admin/ticket.html",
        {"session": session, "guest": guest, "token": token, "qr_svg": qr_svg(token)},
    )


@camera_allowed
@session_tool
def scan(request, session):
    """Check a guest in from their ticket: the camera fills the field when the browser can decode
    QR codes; typing or pasting the code always works."""
    form = TicketForm(request.POST or None)
    result = error = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = checkin.checkin_ticket(session, request.user, form.cleaned_data["ticket"])
        except errors.CheckinError as refusal:
            error = refusal
            status = refusal.status
        else:
            form = TicketForm()
    return render(
        request,
        "events/admin/scan.html",
        {
            "session": session,
            "form": form,
            "result": result,
            "error": error,
            "checked_in": session.attendances.filter(source=Attendance.Source.TICKET).count(),
        },
        status=status,
    )
