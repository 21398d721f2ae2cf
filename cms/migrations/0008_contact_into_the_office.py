"""A one-office site's contact moves into its office (issue 25).

Until now Settings → Contact and hotlines held the one office's name, address, phone, WhatsApp and
e-mail. Pages of a session now show the session's office (offices.Office), so on a site with exactly
one office its empty fields are filled from those settings (nothing an administrator typed in the office
is overwritten, and its placeholder name is replaced only by a name no other office has). The settings
keep their values: they are the contact of pages that belong to no office (cms.office_contact).
"""

from django.db import migrations

PLACEHOLDER_NAME = "Kantor Imigrasi"  # offices.models.DEFAULT_OFFICE_NAME


def contact_into_the_office(apps, schema_editor):
    Office = apps.get_model("offices", "Office")
    ContactSettings = apps.get_model("cms", "ContactSettings")
    offices = list(Office.objects.all()[:2])
    if len(offices) != 1:
        return
    office = offices[0]
    contact = (
        ContactSettings.objects.filter(site__is_default_site=True).first()
        or ContactSettings.objects.order_by("pk").first()
    )
    if contact is None:
        return
    pairs = {
        "address": contact.office_address,
        "hotline": contact.office_phone,
        "whatsapp": contact.whatsapp_number,
        "email": contact.office_email,
    }
    changed = [field for field, value in pairs.items() if value and not getattr(office, field)]
    for field in changed:
        setattr(office, field, pairs[field])
    name = (contact.office_name or "").strip()[:150]
    if office.name == PLACEHOLDER_NAME and name and not Office.objects.filter(name=name).exists():
        office.name = name
        changed.append("name")
    if changed:
        office.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0007_featured_help_and_english_synonyms"),
        ("offices", "0002_default_office"),
    ]

    operations = [migrations.RunPython(contact_into_the_office, migrations.RunPython.noop)]
