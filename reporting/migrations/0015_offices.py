"""Tips, export jobs and agencies belong to offices (issue 25); tips can be handed between offices.

The tips already there go to their area's office (or their session's area's), else the first office;
export jobs asked for by a person go to that person's office (else the first); the monthly schedule's
files stay without one, as the national level's are.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

import pimpasa.encryption


def tips_and_jobs_to_offices(apps, schema_editor):
    Office = apps.get_model("offices", "Office")
    Area = apps.get_model("events", "Area")
    Session = apps.get_model("events", "Session")
    Membership = apps.get_model("offices", "Membership")
    Tip = apps.get_model("reporting", "Tip")
    ExportJob = apps.get_model("reporting", "ExportJob")
    first = Office.objects.order_by("pk").first()
    if first is None:
        return
    Tip.objects.filter(office__isnull=True, area__isnull=False).update(
        office=Subquery(Area.objects.filter(pk=OuterRef("area_id")).values("office_id")[:1])
    )
    Tip.objects.filter(office__isnull=True, session__isnull=False).update(
        office=Subquery(Session.objects.filter(pk=OuterRef("session_id")).values("area__office_id")[:1])
    )
    Tip.objects.filter(office__isnull=True).update(office=first)
    people = ExportJob.objects.filter(office__isnull=True, is_scheduled=False)
    people.filter(requested_by__isnull=False).update(
        office=Subquery(
            Membership.objects.filter(user_id=OuterRef("requested_by_id")).values("office_id")[:1]
        )
    )
    ExportJob.objects.filter(office__isnull=True, is_scheduled=False).update(office=first)


class Migration(migrations.Migration):
    dependencies = [
        ("offices", "0002_default_office"),
        ("events", "0007_area_office"),
        ("reporting", "0014_open_tips_covering_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="agency",
            name="offices",
            field=models.ManyToManyField(
                blank=True,
                help_text="The immigration offices that refer tips to this agency. None: every office.",
                related_name="agencies",
                to="offices.office",
                verbose_name="offices working with it",
            ),
        ),
        migrations.AddField(
            model_name="exportjob",
            name="office",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="export_jobs",
                to="offices.office",
                verbose_name="office",
            ),
        ),
        migrations.AddField(
            model_name="tip",
            name="identity_kept_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="offices.office",
                verbose_name="identity kept by",
            ),
        ),
        migrations.AddField(
            model_name="tip",
            name="office",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="tips",
                to="offices.office",
                verbose_name="office",
            ),
        ),
        migrations.AlterField(
            model_name="tiphistory",
            name="kind",
            field=models.CharField(
                choices=[
                    ("received", "Received"),
                    ("status", "Status changed"),
                    ("assignment", "Assigned"),
                    ("forward", "Forwarded"),
                    ("internal_note", "Internal note"),
                    ("public_note", "Note for the reporter"),
                    ("duplicate", "Marked as duplicate"),
                    ("purged", "Identity and evidence purged"),
                    ("referred", "Referred to an agency"),
                    ("referral_ack", "Referral received by the agency"),
                    ("referral_outcome", "Agency's outcome"),
                    ("referral_revoked", "Referral link revoked"),
                    ("identity_shared", "Identity sharing approved"),
                    ("message", "Message to the reporter"),
                    ("reply", "Reporter's answer"),
                    ("message_shared", "Reporter's message shared with an agency"),
                    ("handed_over", "Handed over to another office"),
                ],
                max_length=16,
                verbose_name="kind",
            ),
        ),
        migrations.CreateModel(
            name="TipHandoff",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("reason", pimpasa.encryption.EncryptedTextField(blank=True, verbose_name="reason")),
                (
                    "identity_travelled",
                    models.BooleanField(default=False, verbose_name="reporter's identity went with it"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="at")),
                (
                    "from_office",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="offices.office",
                        verbose_name="from office",
                    ),
                ),
                (
                    "handed_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="handed over by",
                    ),
                ),
                (
                    "tip",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="handoffs",
                        to="reporting.tip",
                        verbose_name="tip",
                    ),
                ),
                (
                    "to_office",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="offices.office",
                        verbose_name="to office",
                    ),
                ),
            ],
            options={
                "verbose_name": "hand-off to another office",
                "verbose_name_plural": "hand-offs to other offices",
                "ordering": ["created_at", "id"],
            },
        ),
        migrations.RunPython(tips_and_jobs_to_offices, migrations.RunPython.noop),
    ]
