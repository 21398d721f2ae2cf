"""Areas belong to an office (issue 25); a Desa Binaan Imigrasi has the date it became one.

The existing areas go to the office offices.0002 made (the first one): the column is added empty,
filled, then made required.
"""

import django.db.models.deletion
from django.db import migrations, models

import offices.models


def areas_to_first_office(apps, schema_editor):
    Area = apps.get_model("events", "Area")
    Office = apps.get_model("offices", "Office")
    office = Office.objects.order_by("pk").first()
    if office is not None:
        Area.objects.filter(office__isnull=True).update(office=office)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0006_passes_by_generation_people_by_name"),
        ("offices", "0002_default_office"),
    ]

    operations = [
        migrations.AddField(
            model_name="area",
            name="dbi_since",
            field=models.DateField(
                blank=True,
                help_text="The date the area became a Desa Binaan Imigrasi",
                null=True,
                verbose_name="Desa Binaan Imigrasi since",
            ),
        ),
        migrations.AddField(
            model_name="area",
            name="office",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="areas",
                to="offices.office",
                verbose_name="office",
            ),
        ),
        migrations.RunPython(areas_to_first_office, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="area",
            name="office",
            field=models.ForeignKey(
                default=offices.models.default_office_id,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="areas",
                to="offices.office",
                verbose_name="office",
            ),
        ),
    ]
