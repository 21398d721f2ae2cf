"""cms 0008: a one-office site's contact settings fill its office's empty fields (issue 25), so its
sessions' pages show the contact its footer showed before; a site of several offices is left alone."""

import importlib

import pytest
from django.apps import apps
from wagtail.models import Site

from cms.models import ContactSettings
from offices.models import Office
from tests.factories import OfficeFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("cms.migrations.0008_contact_into_the_office")


@pytest.fixture
def contact(site_setup):
    contact = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    contact.office_name = "Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta"
    contact.office_address = "Kawasan Bandara Soekarno-Hatta"
    contact.office_phone = "021-5507-0000"
    contact.whatsapp_number = "+6281211112222"
    contact.office_email = "humas@imigrasi.example"
    contact.save()
    return contact


def test_the_only_office_gets_the_sites_contact(contact):
    office = Office.default()
    Office.objects.filter(pk=office.pk).update(name="Kantor Imigrasi", email="tetap@imigrasi.example")
    migration.contact_into_the_office(apps, None)
    office.refresh_from_db()
    assert office.name == "Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta"
    assert (office.address, office.hotline, office.whatsapp) == (
        "Kawasan Bandara Soekarno-Hatta",
        "021-5507-0000",
        "+6281211112222",
    )
    assert office.email == "tetap@imigrasi.example"  # what an administrator typed is kept


def test_a_site_of_several_offices_is_left_alone(contact):
    office = Office.default()
    OfficeFactory(hotline="")
    migration.contact_into_the_office(apps, None)
    office.refresh_from_db()
    assert office.address == "" and office.hotline == ""
