"""The "Agencies" menu (agencies, service levels), the referral pages, the deadlines panel and the
audit log's names for referral events. Imported by reporting/wagtail_hooks.py (Wagtail looks only there)."""

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from reporting.tips import scoping as tip_scoping

from .admin_views import DeadlinesPanel, admin_urlpatterns
from .viewsets import ReferralsGroup


@hooks.register("register_admin_viewset")
def register_referral_viewsets():
    return ReferralsGroup()


@hooks.register("register_admin_urls")
def register_referral_urls():
    return admin_urlpatterns()


@hooks.register("insert_global_admin_css")
def referral_admin_css():
    # The clocks appear in the tips list, the tip page and the dashboard.
    return format_html('<link rel="stylesheet" href="{}">', static("css/referrals-admin.css"))


@hooks.register("construct_homepage_panels")
def add_deadlines_panel(request, panels):
    if request.user.has_perm(tip_scoping.VIEW_TIP):
        panels.append(DeadlinesPanel(request.user))


@hooks.register("register_log_actions")
def register_referral_log_actions(actions):
    actions.register_action(
        "reporting.referral.sent", _("Refer a tip to an agency"), _("Tip referred to an agency")
    )
    actions.register_action("reporting.referral.mailed", _("E-mail an agency"), _("Agency e-mailed"))
    actions.register_action(
        "reporting.referral.renewed", _("Renew a referral link"), _("Referral link renewed")
    )
    actions.register_action(
        "reporting.referral.revoked", _("Revoke a referral link"), _("Referral link revoked")
    )
    actions.register_action(
        "reporting.referral.identity", _("Approve sharing the identity"), _("Identity sharing approved")
    )
    actions.register_action("reporting.referral.viewed", _("Open a referral page"), _("Referral page opened"))
    actions.register_action(
        "reporting.referral.evidence_opened", _("Download shared evidence"), _("Shared evidence downloaded")
    )
    actions.register_action(
        "reporting.referral.acknowledged", _("Acknowledge a referral"), _("Referral acknowledged")
    )
    actions.register_action(
        "reporting.referral.outcome", _("Report a referral outcome"), _("Outcome reported")
    )
    actions.register_action(
        "reporting.escalation.digest", _("Send the overdue digest"), _("Overdue digest sent")
    )
