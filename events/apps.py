from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Sessions and attendance")

    def ready(self):
        # The audit log shows areas' and sessions' entries only to those who see them.
        from pimpasa import audit_scope

        from . import (
            scoping,
            signals,  # noqa: F401  (connects the check-in cache invalidation)
        )
        from .models import Area, Session

        audit_scope.register_kind(Area, scoping.areas_for)
        audit_scope.register_kind(Session, scoping.sessions_for)
