"""The "Monitoring" menu. Imported by reporting/wagtail_hooks.py (Wagtail looks only there)."""

from wagtail import hooks

from .viewsets import MonitoringGroup


@hooks.register("register_admin_viewset")
def register_monitoring_viewsets():
    return MonitoringGroup()
