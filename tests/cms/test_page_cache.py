"""Anonymous visitors read material from the shared cache; publishing anything empties it."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from wagtail.models import PageViewRestriction, Site

from cms import page_cache
from cms.models import ContactSettings
from tests.factories import DEFAULT_PASSWORD, MaterialPageFactory

pytestmark = pytest.mark.django_db

URL = "/materi/tanda-bahaya/"


@pytest.fixture
def material(material_index):
    return MaterialPageFactory(parent=material_index, title="Tanda bahaya", intro="Versi pertama.")


def test_second_anonymous_visit_is_a_hit_without_any_database_query(material, django_assert_num_queries):
    client = Client()
    first = client.get(URL)
    assert first.status_code == 200 and first[page_cache.CACHE_HEADER] == "miss"
    with django_assert_num_queries(0):
        second = client.get(URL)
    assert second[page_cache.CACHE_HEADER] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_publishing_invalidates_the_cached_page(material):
    client = Client()
    assert "Versi pertama." in client.get(URL).content.decode()
    material.intro = "Versi kedua."
    material.save_revision().publish()
    response = client.get(URL)
    assert response[page_cache.CACHE_HEADER] == "miss"
    assert "Versi kedua." in response.content.decode()


def test_publishing_another_material_refreshes_the_index(material, material_index):
    client = Client()
    client.get("/materi/")
    assert client.get("/materi/")[page_cache.CACHE_HEADER] == "hit"
    MaterialPageFactory(parent=material_index, title="Materi baru")
    response = client.get("/materi/")
    assert response[page_cache.CACHE_HEADER] == "miss" and "Materi baru" in response.content.decode()


def test_unpublishing_takes_the_page_away_at_once(material):
    client = Client()
    client.get(URL)
    material.unpublish()
    assert client.get(URL).status_code == 404


def test_changing_the_contact_settings_refreshes_every_page(material):
    client = Client()
    client.get(URL)
    contact = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    contact.office_name = "Kantor Imigrasi Baru"
    contact.save()
    assert "Kantor Imigrasi Baru" in client.get(URL).content.decode()


def test_logged_in_users_bypass_the_cache(material, editor):
    client = Client()
    client.get(URL)  # an anonymous visit fills the cache
    client.login(username=editor.username, password=DEFAULT_PASSWORD)
    response = client.get(URL)
    assert response.status_code == 200
    assert page_cache.CACHE_HEADER not in response


def test_preview_never_reads_or_fills_the_cache(material):
    client = Client()
    client.get(URL)
    material.intro = "Draf yang belum terbit."
    material.save_revision()
    draft = material.get_latest_revision_as_object()
    # Wagtail runs a preview as a dummy request to the page's own URL through the middleware; even
    # without a logged-in user in it, it must show the draft, not the cached live page...
    original_request = RequestFactory().get("/admin/")
    preview = draft.make_preview_request(original_request)
    assert "Draf yang belum terbit." in preview.content.decode()
    # ...and must not leave the draft in the cache for visitors.
    response = client.get(URL)
    assert response[page_cache.CACHE_HEADER] == "hit"
    assert "Versi pertama." in response.content.decode()


def test_restricted_pages_and_the_home_page_are_never_cached(material):
    restriction = PageViewRestriction.objects.create(page=material, restriction_type="groups")
    restriction.groups.add(Group.objects.get(name="Editor"))
    client = Client()
    assert client.get(URL).status_code == 302  # to the login page
    assert page_cache.CACHE_HEADER not in client.get("/")
    assert page_cache.CACHE_HEADER not in client.get("/")


def test_a_pending_message_bypasses_the_cache(material):
    client = Client()
    client.get(URL)
    client.cookies["messages"] = "pending"
    assert page_cache.CACHE_HEADER not in client.get(URL)
