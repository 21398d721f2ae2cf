"""The "Laporan" menu and the audit log's names for tip events.

Imported by reporting/wagtail_hooks.py (Wagtail only looks there), like reporting/exports/wagtail_hooks.py.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .case_views import CaseViewSet
from .models import Tip
from .permissions import TipPermissionPolicy
from .share_views import SharedTipViewSet
from .viewsets import TipViewSet

# Registered before the viewset, so Wagtail never creates a default policy for tips (Wagtail 8).
register_permission_policy(Tip, TipPermissionPolicy(Tip))


@hooks.register("register_admin_viewset")
def register_tip_viewset():
    return TipViewSet()


@hooks.register("register_admin_viewset")
def register_shared_tip_viewset():
    return SharedTipViewSet()


@hooks.register("register_admin_viewset")
def register_case_viewset():
    return CaseViewSet()


@hooks.register("register_log_actions")
def register_tip_log_actions(actions):
    actions.register_action("reporting.tip.status", _("Change the status of a tip"), _("Tip status changed"))
    actions.register_action("reporting.tip.assign", _("Assign a tip"), _("Tip assigned"))
    actions.register_action("reporting.tip.forward", _("Forward a tip"), _("Tip forwarded"))
    actions.register_action("reporting.tip.note", _("Add a note to a tip"), _("Note added"))
    actions.register_action("reporting.tip.duplicate", _("Mark a tip as duplicate"), _("Marked as duplicate"))
    actions.register_action(
        "reporting.tip.identity_viewed", _("View the reporter's identity"), _("Reporter identity viewed")
    )
    actions.register_action("reporting.tip.evidence_viewed", _("Open evidence"), _("Evidence opened"))
    actions.register_action("reporting.tip.viewed", _("View a tip"), _("Tip viewed"))
    actions.register_action(
        "reporting.tip.flood_swept", _("Sweep a flood of tips"), _("Flood of tips marked not actionable")
    )
    actions.register_action(
        "reporting.tip.purged", _("Purge identity and evidence"), _("Identity and evidence purged")
    )
    actions.register_action(
        "reporting.tip.handed_over", _("Hand a tip to another office"), _("Tip handed to another office")
    )
    actions.register_action(
        "reporting.tip.shared_national",
        _("Share a tip with the Directorate"),
        _("Tip shared with the Directorate"),
    )
    actions.register_action(
        "reporting.tip.share_withdrawn",
        _("Withdraw a tip's sharing with the Directorate"),
        _("Sharing with the Directorate withdrawn"),
    )
