"""Links each new audit entry about a tip to the tip and its office (TipLogEntryLink).

Wagtail writes every entry through ModelLogEntry.objects.log_action (a plain create), so a receiver
of its post_save sees them all; entries created in bulk (the benchmark's fill, the migration that
linked the entries written before) are linked by `link_entries`.
"""

import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models.signals import post_save
from wagtail.models import ModelLogEntry

from reporting.tips.models import Tip, TipLogEntryLink


def _tip_key(entry):
    try:
        return uuid.UUID(str(entry.object_id))
    except ValueError:
        return None


def link_new_entry(sender, instance, created, raw=False, **kwargs):
    if not created or raw or instance.content_type_id != ContentType.objects.get_for_model(Tip).pk:
        return
    tip_id = _tip_key(instance)
    if tip_id is None:
        return
    # One statement that reads the tip's office and writes the link (the ORM would need two): every
    # page that logs (an agency opening its referral, an identity revealed) pays it. No row when the
    # tip is gone (an entry written after its deletion): nobody but superusers sees it, as before.
    quote = connection.ops.quote_name
    link, tip = TipLogEntryLink._meta, Tip._meta
    columns = ", ".join(quote(link.get_field(name).column) for name in ("entry", "tip", "office"))
    sql = (
        f"INSERT INTO {quote(link.db_table)} ({columns}) "  # noqa: S608 (names from _meta, values as parameters)
        f"SELECT %s, {quote(tip.pk.column)}, {quote(tip.get_field('office').column)} "
        f"FROM {quote(tip.db_table)} WHERE {quote(tip.pk.column)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [instance.pk, tip.pk.get_db_prep_value(tip_id, connection)])


def link_entries(entries, batch_size=5000):
    """Link the tip entries among `entries` (a ModelLogEntry queryset) that have no link yet; returns
    how many were linked."""
    tip_type = ContentType.objects.get_for_model(Tip)
    unlinked = (
        entries.filter(content_type=tip_type)
        .exclude(pk__in=TipLogEntryLink.objects.values("entry_id"))
        .values_list("pk", "object_id")
        .order_by("pk")
    )
    linked = 0
    last_pk = 0
    while True:
        rows = list(unlinked.filter(pk__gt=last_pk)[:batch_size])
        if not rows:
            return linked
        last_pk = rows[-1][0]
        keys = {}
        for pk, object_id in rows:
            try:
                keys[pk] = uuid.UUID(object_id)
            except ValueError:
                continue
        offices = dict(Tip.objects.filter(pk__in=set(keys.values())).values_list("pk", "office_id"))
        links = [
            TipLogEntryLink(entry_id=pk, tip_id=tip_id, office_id=offices[tip_id])
            for pk, tip_id in keys.items()
            if tip_id in offices
        ]
        TipLogEntryLink.objects.bulk_create(links)
        linked += len(links)


def connect():
    post_save.connect(link_new_entry, sender=ModelLogEntry, dispatch_uid="reporting.tips.link_new_log_entry")
