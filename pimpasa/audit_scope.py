"""Narrowing Wagtail's audit entries to what a user may see: a shared utility the apps fill in.

Wagtail decides who reads log entries by model permission alone. Each app that owns a scoped kind
registers it here from its AppConfig.ready (events: areas and sessions; reporting: tips and export
jobs) with the function saying which objects of it a user sees (the app's own `scoping` module), and
any action only some may read (a reporter's identity viewed). This module imports no app: the rules
stay in the apps that own the data (docs/architecture.md, "Scoping").
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Exists, Func, OuterRef, Q, When
from wagtail.models import ModelLogEntry


@dataclass(frozen=True)
class ScopedKind:
    model: type
    # visible(user) -> the queryset of the objects of `model` user may see
    visible: object
    # sees_all(user) -> True when user sees every object of the kind (no filter needed)
    sees_all: object
    # entry_ids(user) -> the keys of the ModelLogEntry rows about objects user may see, for a kind whose
    # app links its entries to their objects; None: each entry's object_id is matched instead
    entry_ids: object = None


@dataclass(frozen=True)
class RestrictedAction:
    action: str
    # allowed(user) -> may user read entries of this action?
    allowed: object


_KINDS = {}
_ACTIONS = {}


def register_kind(model, visible, sees_all=None, entry_ids=None):
    """Entries about `model`'s objects follow the objects: only those in `visible(user)` are shown.

    With `entry_ids`, ModelLogEntry rows about the kind are those `entry_ids(user)` names (the app keeps
    a link from each entry to its object): a national office's 100,000 entries matched by their text
    object_id cost most of an audit log page."""
    _KINDS[model._meta.label] = ScopedKind(
        model, visible, sees_all or (lambda user: user.is_superuser), entry_ids
    )


def register_restricted_action(action, allowed):
    """Entries of `action` are shown only to users for whom `allowed(user)` is true."""
    _ACTIONS[action] = RestrictedAction(action, allowed)


def registered_kinds():
    return list(_KINDS.values())


class ObjectKey(Func):
    """A log entry's object_id (the text Wagtail stores, str(pk)) as `model`'s primary key, so that a
    subquery can find the object through its primary key index.

    Asking it the other way round (object_id IN the visible objects' keys as text) made PostgreSQL
    compare every entry with every visible key once there were more of them than its work_mem could
    hash: the audit log took minutes at 200,000 tips. Only used under a CASE on the entry's content
    type, so an entry about another kind is never cast.
    """

    def __init__(self, expression, model):
        self.pk_field = model._meta.pk
        super().__init__(expression, output_field=self.pk_field)

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST({sql} AS {self.pk_field.cast_db_type(connection)})", params

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        if self.pk_field.get_internal_type() == "UUIDField":
            # SQLite keeps a UUID as 32 hex digits; str(uuid) has dashes.
            return f"REPLACE({sql}, '-', '')", params
        return f"CAST({sql} AS integer)", params


def _names_objects(log_model):
    return any(field.name == "object_id" for field in log_model._meta.fields)


def log_entries_for(user, queryset):
    """Narrow Wagtail log entries (site history, an object's history) to what `user` may see.

    Entries about the registered kinds follow their objects; other entries (pages, images, topics)
    are left as Wagtail's own permission rule decided; restricted actions only for those allowed.
    """
    # Page entries (PageLogEntry) name a page, never one of these kinds.
    kinds = registered_kinds() if _names_objects(queryset.model) else []
    return _without_refused_actions(user, _narrowed(user, queryset, kinds))


def visible_parts(user, queryset):
    """`log_entries_for(user, queryset)` as a list of querysets that share no entry: one for each kind
    whose entries are linked to their objects (`entry_ids`), selected through the links alone, and one
    for the rest. Counted or listed part by part, the database joins the links to the entries; in
    one query, each entry is tested against every kind's rule in turn (a third of an audit log page
    at a national office's 100,000 entries)."""
    linked = [kind for kind in registered_kinds() if kind.entry_ids is not None]
    if queryset.model is not ModelLogEntry or not linked:
        return [log_entries_for(user, queryset)]
    parts = []
    for kind in linked:
        part = queryset.filter(content_type=ContentType.objects.get_for_model(kind.model))
        if not kind.sees_all(user):
            part = part.filter(pk__in=kind.entry_ids(user))
        parts.append(_without_refused_actions(user, part))
    others = [kind for kind in registered_kinds() if kind.entry_ids is None]
    rest = queryset.exclude(
        content_type__in=[ContentType.objects.get_for_model(kind.model) for kind in linked]
    )
    parts.append(_without_refused_actions(user, _narrowed(user, rest, others)))
    return parts


def _narrowed(user, queryset, kinds):
    visible = queryset
    for kind in kinds:
        if kind.sees_all(user):
            continue
        content_type = ContentType.objects.get_for_model(kind.model)
        if kind.entry_ids is not None and queryset.model is ModelLogEntry:
            visible = visible.filter(~Q(content_type=content_type) | Q(pk__in=kind.entry_ids(user)))
            continue
        key = f"scoped_{kind.model._meta.label_lower.replace('.', '_')}_key"
        visible = visible.alias(
            **{key: Case(When(content_type=content_type, then=ObjectKey("object_id", kind.model)))}
        )
        its_object_is_visible = Exists(kind.visible(user).order_by().filter(pk=OuterRef(key)))
        visible = visible.filter(~Q(content_type=content_type) | its_object_is_visible)
    return visible


def _without_refused_actions(user, queryset):
    refused = [name for name, restricted in _ACTIONS.items() if not restricted.allowed(user)]
    return queryset.exclude(action__in=refused) if refused else queryset
