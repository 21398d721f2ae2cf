"""Who may change the public site's topics and contact settings in the admin."""

import pytest
from django.test import Client
from wagtail.models import Site
from wagtail.test.utils.form_data import nested_form_data, streamfield

from cms.models import ContactSettings
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

SETTINGS_URL = "/admin/settings/cms/contactsettings/"
TOPICS_URL = "/admin/snippets/cms/topic/"


def admin_status(user, url):
    client = Client()
    client.login(username=user.username, password=DEFAULT_PASSWORD)
    response = client.get(url)
    if response.status_code == 302 and "/settings/" in response.get("Location", ""):
        response = client.get(response["Location"])  # settings redirect to the default site's form
    return response.status_code


def test_editors_manage_topics_and_contact_settings(public_site, editor):
    assert admin_status(editor, TOPICS_URL) == 200
    assert admin_status(editor, f"{TOPICS_URL}add/") == 200
    assert admin_status(editor, SETTINGS_URL) == 200


@pytest.mark.parametrize("role", ["officer", "supervisor"])
def test_officers_and_supervisors_cannot_change_the_contact_settings(public_site, role, request):
    user = request.getfixturevalue(role)
    assert admin_status(user, SETTINGS_URL) in (302, 403)
    assert admin_status(user, f"{TOPICS_URL}add/") in (302, 403)


def test_an_editor_adds_an_office_in_the_settings_form(public_site, editor):
    client = Client()
    client.login(username=editor.username, password=DEFAULT_PASSWORD)
    site = Site.objects.get(is_default_site=True)
    office = {
        "name": "BP3MI Uji",
        "area": "Provinsi Uji",
        "area_en": "Uji Province",
        "location": "Kota Uji",
        "location_en": "",
        "phone": "",
        "website": "",
    }
    hotline = {
        "organisation": "Polri (darurat)",
        "organisation_en": "Police (emergency)",
        "number": "110",
        "toll_free": True,
        "whatsapp": False,
        "whatsapp_only": False,
    }
    data = nested_form_data(
        {
            "office_name": "Kantor Uji",
            "hotlines": streamfield([("hotline", hotline)]),
            "offices": streamfield([("office", office)]),
        }
    )
    response = client.post(f"{SETTINGS_URL}{site.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    offices = ContactSettings.for_site(site).offices
    assert [dict(block.value) for block in offices] == [office]
    # The English wording is typed in the same form and read on English pages.
    assert [dict(block.value) for block in ContactSettings.for_site(site).hotlines] == [hotline]
