"""Narrowing Wagtail's audit entries to what a user may see: a shared utility the apps fill in.

Wagtail decides who reads log entries by model permission alone. Each app that owns a scoped kind
registers it here from its AppConfig.ready (events: areas and sessions; reporting: tips and export
jobs) with the function saying which objects of it a user sees (the app's own `scoping` module), and
any action only some may read (a reporter's identity viewed). This module imports no app: the rules
stay in the apps that own the data (docs/architecture.md, "Scoping").
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Func, Q
from django.db.models.functions import Cast


@dataclass(frozen=True)
class ScopedKind:
    model: type
    # visible(user) -> the queryset of the objects of `model` user may see
    visible: object
    # sees_all(user) -> True when user sees every object of the kind (no filter needed)
    sees_all: object


@dataclass(frozen=True)
class RestrictedAction:
    action: str
    # allowed(user) -> may user read entries of this action?
    allowed: object


_KINDS = {}
_ACTIONS = {}


def register_kind(model, visible, sees_all=None):
    """Entries about `model`'s objects follow the objects: only those in `visible(user)` are shown."""
    _KINDS[model._meta.label] = ScopedKind(model, visible, sees_all or (lambda user: user.is_superuser))


def register_restricted_action(action, allowed):
    """Entries of `action` are shown only to users for whom `allowed(user)` is true."""
    _ACTIONS[action] = RestrictedAction(action, allowed)


def registered_kinds():
    return list(_KINDS.values())


class PkAsText(Func):
    """A primary key as the text Wagtail stores in a log entry's object_id (str(pk)).

    A UUID is stored by SQLite as 32 hex digits while str(uuid) has dashes: put them back there.
    """

    output_field = CharField()

    def __init__(self, expression):
        super().__init__(Cast(expression, CharField()))

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        if not self._is_uuid():
            return sql, params
        parts = ["substr({0}, 1, 8)", "substr({0}, 9, 4)", "substr({0}, 13, 4)", "substr({0}, 17, 4)"]
        dashed = " || '-' || ".join([*parts, "substr({0}, 21, 12)"]).format(sql)
        return f"({dashed})", params * 5

    def _is_uuid(self):
        field = self.source_expressions[0].source_expressions[0].output_field
        return field.get_internal_type() == "UUIDField"


def _names_objects(log_model):
    return any(field.name == "object_id" for field in log_model._meta.fields)


def log_entries_for(user, queryset):
    """Narrow Wagtail log entries (site history, an object's history) to what `user` may see.

    Entries about the registered kinds follow their objects; other entries (pages, images, topics)
    are left as Wagtail's own permission rule decided; restricted actions only for those allowed.
    """
    hidden = Q()
    # Page entries (PageLogEntry) name a page, never one of these kinds.
    kinds = registered_kinds() if _names_objects(queryset.model) else []
    for kind in kinds:
        if kind.sees_all(user):
            continue
        object_ids = kind.visible(user).order_by().values_list(PkAsText("pk"), flat=True)
        hidden |= Q(content_type=ContentType.objects.get_for_model(kind.model)) & ~Q(object_id__in=object_ids)
    visible = queryset.exclude(hidden) if hidden else queryset
    refused = [name for name, restricted in _ACTIONS.items() if not restricted.allowed(user)]
    if refused:
        visible = visible.exclude(action__in=refused)
    return visible
