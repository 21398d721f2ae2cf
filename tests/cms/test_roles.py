"""Who may change the public site's topics and contact settings in the admin."""

import pytest
from django.test import Client

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
