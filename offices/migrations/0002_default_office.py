"""One office for the data already there (and for a fresh install), and its staff in it.

Officers and supervisors (the groups of pimpasa.roles) become members of that office; other accounts
(editors, administrators) are left without one, as the national level is.
"""

from django.db import migrations

DEFAULT_OFFICE_NAME = "Kantor Imigrasi"
DEFAULT_REGION_NAME = "Kantor Wilayah"
OFFICE_GROUPS = ["Petugas PIMPASA", "Supervisor"]


def default_office(apps, schema_editor):
    Region = apps.get_model("offices", "Region")
    Office = apps.get_model("offices", "Office")
    Membership = apps.get_model("offices", "Membership")
    User = apps.get_model("auth", "User")
    office = Office.objects.order_by("pk").first()
    if office is None:
        region, _created = Region.objects.get_or_create(name=DEFAULT_REGION_NAME)
        office = Office.objects.create(name=DEFAULT_OFFICE_NAME, region=region)
    staff = User.objects.filter(groups__name__in=OFFICE_GROUPS).exclude(office_membership__isnull=False)
    Membership.objects.bulk_create(
        [Membership(user_id=pk, office=office) for pk in staff.values_list("pk", flat=True).distinct()]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("offices", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(default_office, migrations.RunPython.noop)]
