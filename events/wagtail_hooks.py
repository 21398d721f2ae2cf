"""What events adds to the Wagtail admin: its permission policies, the "Ngopi Pimpasa" menu
(events/viewsets.py), the dashboard's upcoming sessions (events/dashboard.py), field mode's URLs and
the audit log's names for events' actions.
"""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from . import field_views
from .dashboard import UpcomingSessionsPanel
from .models import Area, Session
from .permissions import AreaPermissionPolicy, SessionPermissionPolicy
from .viewsets import NgopiPimpasaGroup

# Wagtail 8: custom policies are registered before any viewset asks for one (the viewsets are made by
# the register_admin_viewset hook below).
register_permission_policy(Session, SessionPermissionPolicy(Session))
register_permission_policy(Area, AreaPermissionPolicy(Area))


@hooks.register("construct_homepage_panels")
def add_upcoming_sessions_panel(request, panels):
    if request.user.has_perm("events.view_session"):
        panels.append(UpcomingSessionsPanel(request.user))


@hooks.register("register_admin_urls")
def register_field_mode_urls():
    # Field mode: a page of its own (no admin chrome) that a service worker can keep for offline use.
    return [path("field/", include((field_views.urlpatterns, "events_field")))]


@hooks.register("register_admin_viewset")
def register_viewsets():
    return NgopiPimpasaGroup()


LOG_ACTIONS = [
    ("events.checkin", _("Checked in"), _("Someone checked in")),
    ("events.attendance_corrected", _("Attendance corrected"), _("An attendance entry was corrected")),
    ("events.attendance_removed", _("Attendance removed"), _("An attendance entry was removed")),
    ("events.guest_registered", _("Guest registered"), _("An invited guest was registered")),
    ("events.session_start", _("Session started"), _("The session was started")),
    ("events.session_finish", _("Session finished"), _("The session was finished")),
    ("events.session_cancel", _("Session cancelled"), _("The session was cancelled")),
    ("events.session_reopen", _("Session reopened"), _("The finished session was reopened")),
    (
        "events.passes_invalidated",
        _("Printed QR codes invalidated"),
        _("Every printed poster and shared QR image of the session was invalidated"),
    ),
    ("events.minutes_saved", _("Minutes saved"), _("The minutes were saved")),
    ("events.attendees_viewed", _("Attendee list viewed"), _("The attendee list was viewed")),
    ("events.boundary_uploaded", _("Area outline uploaded"), _("The area's outline was uploaded (GeoJSON)")),
]


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for action, label, message in LOG_ACTIONS:
        actions.register_action(action, label, message)
