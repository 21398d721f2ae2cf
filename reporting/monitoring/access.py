"""Who may see the monitoring figures, and of which offices: the national role every office's, a
Kantor Wilayah its region's (offices.monitoring decides which), a supervisor their own office's
(reporting.monitor_own_office). Nobody else."""

from offices import monitoring as offices_monitoring

MONITOR_OWN_OFFICE = "reporting.monitor_own_office"


def may_monitor(user):
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return (
        offices_monitoring.monitors_every_office(user)
        or user.has_perm(offices_monitoring.MONITOR_REGION)
        or user.has_perm(MONITOR_OWN_OFFICE)
    )


def offices_for(user):
    """The offices whose figures `user` may see (a queryset; empty for anyone who may not monitor)."""
    offices = offices_monitoring.monitored_offices(user)
    return offices if may_monitor(user) else offices.none()
