"""Wagtail's audit views narrowed by pimpasa.audit_scope (the apps' scoping rules): the site history report ("Reports → Site
history") and each object's history and usage pages show an officer only their areas' objects, and
identity reveals only to those who may reveal identities.

Wagtail decides who sees log entries by model permission alone, so an officer would read every
area's tips, sessions and everyone's exports there. The site history view replaces Wagtail's at the
same address (pimpasa/urls.py routes it first); the viewsets use the history and usage views below.
"""

from django.contrib.auth import get_user_model
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.views.reports.audit_logging import LogEntriesView, SiteHistoryReportFilterSet
from wagtail.log_actions import registry as log_action_registry

from pimpasa import audit_scope


def _visible_entries(user):
    for log_model in log_action_registry.get_log_entry_models():
        yield audit_scope.log_entries_for(user, log_model.objects.viewable_by_user(user))


class ScopedSiteHistoryFilterSet(SiteHistoryReportFilterSet):
    """The filters offer only the people and actions of entries the user may see."""

    def get_action_choices(self):
        actions = set().union(*(entries.get_actions() for entries in _visible_entries(self.request.user)))
        return [choice for choice in log_action_registry.get_choices() if choice[0] in actions]

    def get_users_queryset(self):
        ids = set().union(*(entries.get_user_ids() for entries in _visible_entries(self.request.user)))
        User = get_user_model()
        return User.objects.filter(pk__in=ids).order_by(User.USERNAME_FIELD)


class SiteHistoryView(LogEntriesView):
    filterset_class = ScopedSiteHistoryFilterSet

    def filter_queryset(self, queryset):
        # Called once per log entry model, before Wagtail joins them into one list.
        return super().filter_queryset(audit_scope.log_entries_for(self.request.user, queryset))


class InScopeObjectMixin:
    """An object outside the user's scope is not found (404), as the model's permission policy says."""

    def get_base_object_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["add", "change", "delete", "view"]
        )


class ScopedHistoryView(InScopeObjectMixin, HistoryView):
    """An object's history page, with only the audit entries the user may see."""

    def get_base_queryset(self):
        return audit_scope.log_entries_for(self.request.user, super().get_base_queryset())


class ScopedUsageView(InScopeObjectMixin, UsageView):
    """Where an object is used, for those who may see the object."""
