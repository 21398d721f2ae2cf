"""Links every audit entry about a tip to its tip and office (TipLogEntryLink); those written from now
on are linked as they are written (reporting.tips.audit_links)."""

import uuid

import django.db.models.deletion
from django.db import migrations, models

BATCH = 5000


def link_existing_entries(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    Tip = apps.get_model("reporting", "Tip")
    TipLogEntryLink = apps.get_model("reporting", "TipLogEntryLink")
    tip_type = ContentType.objects.filter(app_label="reporting", model="tip").first()
    if tip_type is None:
        return
    entries = ModelLogEntry.objects.filter(content_type=tip_type).order_by("pk").values_list("pk", "object_id")
    last_pk = 0
    while rows := list(entries.filter(pk__gt=last_pk)[:BATCH]):
        last_pk = rows[-1][0]
        keys = {}
        for pk, object_id in rows:
            try:
                keys[pk] = uuid.UUID(object_id)
            except ValueError:
                continue
        offices = dict(Tip.objects.filter(pk__in=set(keys.values())).values_list("pk", "office_id"))
        TipLogEntryLink.objects.bulk_create(
            TipLogEntryLink(entry_id=pk, tip_id=tip_id, office_id=offices[tip_id])
            for pk, tip_id in keys.items()
            if tip_id in offices
        )


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('offices', '0002_default_office'),
        ('reporting', '0023_tips_in_office_scope'),
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [
        migrations.CreateModel(
            name='TipLogEntryLink',
            fields=[
                ('entry', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='wagtailcore.modellogentry')),
                ('office', models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='offices.office')),
                ('tip', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='reporting.tip')),
            ],
            options={
                'verbose_name': 'audit entry about a tip',
                'verbose_name_plural': 'audit entries about tips',
                'indexes': [models.Index(fields=['office', 'entry'], name='tip_log_entries_by_office')],
            },
        ),
        migrations.RunPython(link_existing_entries, migrations.RunPython.noop, elidable=True),
    ]
