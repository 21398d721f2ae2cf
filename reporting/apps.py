import importlib

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Importing an exporter module registers its exporter; this order is the order in the admin.
EXPORTER_MODULES = [
    "reporting.exports.attendance",
    "reporting.exports.tips",
    "reporting.exports.monthly",
    "reporting.monitoring.exporter",
]


class ReportingConfig(AppConfig):
    """Tips, referrals, Excel exports and the dashboard (reporting/tips/, referrals/, exports/,
    dashboard/): one app label, four packages."""

    name = "reporting"
    verbose_name = _("Tips and exports")

    def ready(self):
        for module in EXPORTER_MODULES:
            importlib.import_module(module)
        # Its receiver forgets an officer's unsaved triage drafts when they log out.
        importlib.import_module("reporting.tips.drafts")
        # A task worker starting takes back the exports a killed one left running.
        from django_q.signals import post_spawn

        from reporting.exports.jobs import recover_on_worker_start

        post_spawn.connect(recover_on_worker_start, dispatch_uid="reporting.exports.recover_on_worker_start")
        # Each new audit entry about a tip is linked to the tip and its office.
        from reporting.tips import audit_links

        audit_links.connect()
        # The audit log shows tips' and export jobs' entries only to those who see the objects, and
        # identity reveals only to those who may reveal (pimpasa.audit_scope).
        from pimpasa import audit_scope
        from reporting.exports import scoping as export_scoping
        from reporting.exports.models import ExportJob
        from reporting.tips import scoping as tip_scoping
        from reporting.tips.models import Tip

        audit_scope.register_kind(Tip, tip_scoping.tips_for, entry_ids=tip_scoping.log_entry_ids_for)
        audit_scope.register_kind(ExportJob, export_scoping.export_jobs_for)
        audit_scope.register_restricted_action(tip_scoping.IDENTITY_VIEWED, tip_scoping.may_reveal_identity)
