"""Wagtail's audit views narrowed by pimpasa.audit_scope (the apps' scoping rules): the site history report ("Reports → Site
history") and each object's history and usage pages show an officer only their areas' objects, and
identity reveals only to those who may reveal identities.

Wagtail decides who sees log entries by model permission alone, so an officer would read every
area's tips, sessions and everyone's exports there. The site history view replaces Wagtail's at the
same address (pimpasa/urls.py routes it first); the viewsets use the history and usage views below.
"""

from collections import Counter, defaultdict

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils.functional import cached_property
from wagtail.admin.admin_url_finder import AdminURLFinder, ModelAdminURLFinder, finder_classes
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.views.reports.audit_logging import LogEntriesView, SiteHistoryReportFilterSet
from wagtail.log_actions import registry as log_action_registry
from wagtail.permissions import policy_registry

from pimpasa import audit_scope


def _visible_entries(user):
    """The entries `user` may see, as querysets that share no entry (pimpasa.audit_scope.visible_parts)."""
    for log_model in log_action_registry.get_log_entry_models():
        yield from audit_scope.visible_parts(user, log_model.objects.viewable_by_user(user))


class ScopedSiteHistoryFilterSet(SiteHistoryReportFilterSet):
    """The filters offer only the people and actions of entries the user may see."""

    @cached_property
    def visible_counts(self):
        """{(user id, action): how many entries the user may see}, from one pass over the visible
        entries: with the scope applied each pass reads every entry (hundreds of milliseconds at a
        national office's 100,000 entries), so both filter menus and the list's count come from it."""
        counts = Counter()
        for entries in _visible_entries(self.request.user):
            rows = entries.order_by().values_list("user_id", "action").annotate(n=Count("pk"))
            for user_id, action, n in rows:
                counts[(user_id, action)] += n
        return counts

    @cached_property
    def _visible_users_and_actions(self):
        pairs = self.visible_counts
        return {user_id for user_id, _action in pairs if user_id is not None}, {
            action for _user, action in pairs
        }

    def count_from_visible_counts(self):
        """How many entries the list holds, when only the person and action filters narrow it (the
        others need the database); None otherwise."""
        if not self.is_bound or not self.form.is_valid():
            return None
        chosen = self.form.cleaned_data
        if any(value for name, value in chosen.items() if name not in ("user", "action")):
            return None
        users = {user.pk for user in chosen.get("user") or []}
        actions = set(chosen.get("action") or [])
        return sum(
            n
            for (user_id, action), n in self.visible_counts.items()
            if (not users or user_id in users) and (not actions or action in actions)
        )

    def get_action_choices(self):
        _users, actions = self._visible_users_and_actions
        return [choice for choice in log_action_registry.get_choices() if choice[0] in actions]

    def get_users_queryset(self):
        ids, _actions = self._visible_users_and_actions
        User = get_user_model()
        return User.objects.filter(pk__in=ids).order_by(User.USERNAME_FIELD)


class NewestEntriesFirst:
    """The log models' entries as one list, newest first, read a page at a time by Django's
    Paginator: each model's newest entries up to the page's end, merged here. Wagtail's union sorted
    every visible entry in the database for each page (250 ms of a page at 100,000 entries)."""

    def __init__(self, parts, count):
        self.parts = parts  # values (pk, timestamp, log_model_index), filtered, sharing no entry
        self._count = count
        # What Wagtail's paginator names the entries by ("1 of 40 entries"), as for its union.
        self.model = parts[0].model

    def count(self):
        return self._count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        stop = index.stop if index.stop is not None else self.count()
        rows = []
        for part in self.parts:
            rows += part.order_by("-timestamp", "-pk")[:stop]
        rows.sort(key=lambda row: (row["timestamp"], row["pk"]), reverse=True)
        return rows[index]


class SiteHistoryView(LogEntriesView):
    filterset_class = ScopedSiteHistoryFilterSet

    def get_filtered_queryset(self):
        self.filtered_parts = []
        return super().get_filtered_queryset()

    def filter_queryset(self, queryset):
        # Called once per log entry model, before Wagtail joins them into one list (which the paginator
        # below does not read): the model's visible parts are kept for NewestEntriesFirst.
        user = self.request.user
        filtered = super().filter_queryset
        self.filtered_parts += [filtered(part) for part in audit_scope.visible_parts(user, queryset)]
        return super().filter_queryset(audit_scope.log_entries_for(user, queryset))

    def paginate_queryset(self, queryset, page_size):
        parts = getattr(self, "filtered_parts", None)
        if not parts:
            return super().paginate_queryset(queryset, page_size)

        def count():
            known = self.filters.count_from_visible_counts() if self.filters else None
            return known if known is not None else sum(part.order_by().count() for part in parts)

        return super().paginate_queryset(NewestEntriesFirst(parts, count), page_size)

    def decorate_paginated_queryset(self, queryset):
        """Wagtail's, but each entry's edit link is decided by EditLinks: one permission query per kind
        of object on the page, not one per entry (an officer's page of 50 entries asked 50)."""
        rows = list(queryset)
        pks_by_log_model_index = defaultdict(list)
        for row in rows:
            pks_by_log_model_index[row["log_model_index"]].append(row["pk"])
        found = []
        for log_model_index, pks in pks_by_log_model_index.items():
            entries = (
                self.log_models[log_model_index]
                .objects.prefetch_related("user__wagtail_userprofile", "content_type")
                .filter(pk__in=pks)
                .with_instances()
            )
            found += [(log_model_index, entry, instance) for entry, instance in entries]
        links = EditLinks(self.request.user, [instance for _index, _entry, instance in found])
        by_key = {}
        for log_model_index, entry, instance in found:
            entry.edit_url = links.get_edit_url(instance)
            by_key[(log_model_index, entry.pk)] = entry
        return [by_key[(row["log_model_index"], row["pk"])] for row in rows]


class EditLinks(AdminURLFinder):
    """Wagtail's AdminURLFinder for a known list of objects: where Wagtail would ask the model's
    permission policy about each object in turn, the objects of each model the user may change are
    found in one query (the same rule: the policy's instances_user_has_permission_for)."""

    def __init__(self, user, instances):
        super().__init__(user)
        by_model = defaultdict(list)
        for instance in instances:
            if instance is not None and self._checks_each(instance):
                by_model[type(instance)].append(instance)
        self.changeable = {
            model: set(
                policy_registry.get(objects[0])  # the registry is asked with an object, not a model
                .instances_user_has_permission_for(user, "change")
                .filter(pk__in=[instance.pk for instance in objects])
                .values_list("pk", flat=True)
            )
            for model, objects in by_model.items()
        }

    @staticmethod
    def _checks_each(instance):
        """Does Wagtail's finder for this object ask its permission policy (ModelAdminURLFinder's own
        rule, not a subclass's)?"""
        finder_class = finder_classes.get(instance)
        return (
            finder_class is not None
            and issubclass(finder_class, ModelAdminURLFinder)
            and finder_class.get_edit_url is ModelAdminURLFinder.get_edit_url
            and policy_registry.get(instance) is not None
        )

    def get_edit_url(self, instance):
        changeable = self.changeable.get(type(instance))
        if changeable is None:
            return super().get_edit_url(instance)
        if instance.pk not in changeable:
            return None
        return finder_classes.get(instance)(self.user).construct_edit_url(instance)


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
