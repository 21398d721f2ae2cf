"""The "Ekspor" menu and its pages, and the audit log's names for export events.

Imported by reporting/wagtail_hooks.py (Wagtail only looks there), like reporting/tips/wagtail_hooks.py.
"""

from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from . import jobs, views


class ExportsMenuItem(MenuItem):
    def is_shown(self, request):
        return views.may_use_exports(request.user)


class ExportViewSet(ViewSet):
    name = "exports"
    url_namespace = views.URL_NAMESPACE
    icon = "download"
    menu_label = _("Exports")
    menu_order = 350
    add_to_admin_menu = True

    @cached_property
    def menu_item_class(self):
        return ExportsMenuItem

    def get_urlpatterns(self):
        return [
            path("", views.IndexView.as_view(), name="index"),
            path("new/", views.NewExportView.as_view(), name="new"),
            path("<uuid:pk>/", views.JobView.as_view(), name="detail"),
            path("<uuid:pk>/status/", views.status, name="status"),
            path("<uuid:pk>/download/", views.download, name="download"),
            path("<uuid:pk>/retry/", views.retry, name="retry"),
        ]


@hooks.register("register_admin_viewset")
def register_export_viewset():
    return ExportViewSet()


@hooks.register("register_log_actions")
def register_export_log_actions(actions):
    actions.register_action(jobs.REQUESTED, _("Request export"), _("Export requested"))
    actions.register_action(jobs.FINISHED, _("Finish export"), _("Export finished"))
    actions.register_action(jobs.FAILED, _("Fail export"), _("Export failed"))
    actions.register_action(jobs.RETRIED, _("Retry export"), _("Export retried"))
    actions.register_action(jobs.REQUEUED, _("Requeue export"), _("Export queued again: its worker stopped"))
    actions.register_action(jobs.DOWNLOADED, _("Download export"), _("Export downloaded"))
    actions.register_action(jobs.EXPIRED, _("Expire export"), _("Export expired and its file deleted"))
