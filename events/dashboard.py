"""The admin home's panel of upcoming sessions (registered by events/wagtail_hooks.py)."""

from django.db.models import Count
from django.utils import timezone
from laces.components import Component

from events import scoping as event_scoping

from .models import Session


class UpcomingSessionsPanel(Component):
    """The dashboard's first panel for officers and supervisors: the sessions to run, each a tap from its run page."""

    name = "events_upcoming_sessions"
    order = 50
    template_name = "events/admin/dashboard_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        upcoming = (
            event_scoping.sessions_for(self.user)
            .filter(ends_at__gte=timezone.now())
            .exclude(status__in=[Session.Status.CANCELLED, Session.Status.FINISHED])
            .select_related("area")
            .annotate(attendee_count=Count("attendances"))
            .order_by("starts_at")[:5]
        )
        return {"sessions": upcoming}
