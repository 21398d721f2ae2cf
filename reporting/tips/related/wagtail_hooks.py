"""The audit log's names for cases (imported by reporting/wagtail_hooks.py); the "Cases" menu and pages
are registered by reporting/tips/wagtail_hooks.py (reporting/tips/case_views.py)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_case_log_actions(actions):
    actions.register_action(
        "reporting.tip.case", _("Put a tip in a case or take it out"), _("Case of the tip changed")
    )
    actions.register_action("reporting.case.add", _("Add tips to a case"), _("Tips added to the case"))
    actions.register_action(
        "reporting.case.remove", _("Take tips out of a case"), _("Tips taken out of the case")
    )
    actions.register_action("reporting.case.split", _("Split a case"), _("Case split"))
    actions.register_action(
        "reporting.case.status", _("Change the status of a case"), _("Case status changed")
    )
    actions.register_action(
        "reporting.case.officer", _("Change the officer of a case"), _("Case officer changed")
    )
