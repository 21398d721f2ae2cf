"""Anonymous visitors read material and the home page from the shared cache; publishing anything,
or changing a session or an area (the home page lists upcoming sessions), empties it."""

import datetime
import gzip

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from cms import page_cache
from cms.models import ContactSettings
from events.models import Session
from tests.factories import DEFAULT_PASSWORD, AreaFactory, MaterialPageFactory, SessionFactory

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


def test_a_cached_page_is_stored_gzipped_once_and_sent_as_stored(material, django_assert_num_queries):
    """Every hit sends the bytes compressed when the page was stored. Gzipping on each hit would give
    a different stream every time (each compression is padded with fresh random bytes)."""
    gzip_client, plain_client = Client(HTTP_ACCEPT_ENCODING="gzip, deflate, br"), Client()
    miss = gzip_client.get(URL)
    assert miss[page_cache.CACHE_HEADER] == "miss" and miss["Content-Encoding"] == "gzip"
    html = gzip.decompress(miss.content).decode()
    assert "Versi pertama." in html
    with django_assert_num_queries(0):
        hits = [gzip_client.get(URL) for _ in range(3)]
    for hit in hits:
        assert hit[page_cache.CACHE_HEADER] == "hit" and hit["Content-Encoding"] == "gzip"
        assert hit.content == miss.content  # the stream stored at the miss, byte for byte
        assert hit["Content-Length"] == str(len(miss.content))
        assert "Accept-Encoding" in hit["Vary"]
        assert hit["Content-Type"] == miss["Content-Type"]
    # A client without gzip reads the same page, plain.
    plain = plain_client.get(URL)
    assert plain[page_cache.CACHE_HEADER] == "hit" and "Content-Encoding" not in plain
    assert plain.content.decode() == html
    assert "Accept-Encoding" in plain["Vary"]


def test_a_page_first_rendered_for_a_client_without_gzip_is_gzipped_for_the_next(material):
    plain = Client().get(URL)
    assert plain[page_cache.CACHE_HEADER] == "miss" and "Content-Encoding" not in plain
    hit = Client(HTTP_ACCEPT_ENCODING="gzip").get(URL)
    assert hit[page_cache.CACHE_HEADER] == "hit" and hit["Content-Encoding"] == "gzip"
    assert gzip.decompress(hit.content) == plain.content
    assert len(hit.content) < len(plain.content) / 2


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


def test_logged_in_users_bypass_the_cache(material, editor, assert_page):
    client = Client()
    client.get(URL)  # an anonymous visit fills the cache
    client.login(username=editor.username, password=DEFAULT_PASSWORD)
    response = client.get(URL)
    assert_page(response, material.title)
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


def test_restricted_pages_are_never_cached(material):
    restriction = PageViewRestriction.objects.create(page=material, restriction_type="groups")
    restriction.groups.add(Group.objects.get(name="Editor"))
    client = Client()
    client.get(URL)
    response = client.get(URL)  # the second visit would be the one served from the cache
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert page_cache.CACHE_HEADER not in response


def test_a_pending_message_bypasses_the_cache(material, assert_page):
    client = Client()
    client.get(URL)
    client.cookies["messages"] = "pending"
    response = client.get(URL)
    assert_page(response, material.title)
    assert page_cache.CACHE_HEADER not in response


# --- the home page: cached, and refreshed when its sessions change --------------------------------


@pytest.fixture
def upcoming(public_site):
    starts = timezone.now() + datetime.timedelta(days=1)
    return SessionFactory(
        title="Ngopi Pimpasa RW 17", area=AreaFactory(name="Kalibaru"), starts_at=starts, is_public=True
    )


def test_the_home_page_is_cached_for_anonymous_visitors(upcoming, django_assert_num_queries):
    client = Client()
    first = client.get("/")
    assert first.status_code == 200 and first[page_cache.CACHE_HEADER] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second[page_cache.CACHE_HEADER] == "hit" and second.content == first.content
    assert client.get("/en/")[page_cache.CACHE_HEADER] == "miss"  # each language its own entry


def test_a_new_changed_or_deleted_session_refreshes_the_home_page(upcoming, assert_page):
    client = Client()
    client.get("/")
    later = SessionFactory(
        title="Sosialisasi Desa Binaan", starts_at=upcoming.starts_at + datetime.timedelta(days=1)
    )
    response = client.get("/")
    assert response[page_cache.CACHE_HEADER] == "miss"
    assert "Sosialisasi Desa Binaan" in response.content.decode()

    upcoming.title = "Ngopi Pimpasa RW 17 (pindah ke masjid)"
    upcoming.save()
    assert "pindah ke masjid" in client.get("/").content.decode()

    later.status = Session.Status.CANCELLED
    later.save()
    assert "Sosialisasi Desa Binaan" not in assert_page(client.get("/"), "pindah ke masjid")

    upcoming.delete()
    html = assert_page(client.get("/"), "Belum ada sesi terbuka")
    assert "pindah ke masjid" not in html


def test_renaming_an_area_refreshes_the_home_page(upcoming):
    client = Client()
    assert "Kalibaru" in client.get("/").content.decode()
    upcoming.area.name = "Kalibaru Timur"
    upcoming.area.save()
    assert "Kalibaru Timur" in client.get("/").content.decode()


def test_the_home_page_is_kept_no_longer_than_its_first_session_runs(upcoming, assert_page):
    """Nothing is saved when a session ends, yet it leaves the list: the entry expires with it."""
    client = Client()
    with time_machine.travel(upcoming.ends_at - datetime.timedelta(minutes=5), tick=False):
        assert "Ngopi Pimpasa RW 17" in client.get("/").content.decode()
        assert client.get("/")[page_cache.CACHE_HEADER] == "hit"
    with time_machine.travel(upcoming.ends_at + datetime.timedelta(seconds=2), tick=False):
        response = client.get("/")
    assert response[page_cache.CACHE_HEADER] == "miss"
    assert "Ngopi Pimpasa RW 17" not in assert_page(response, "Belum ada sesi terbuka")


def test_publishing_featured_material_refreshes_the_home_page(public_site, material_index):
    client = Client()
    client.get("/")
    MaterialPageFactory(parent=material_index, title="Materi unggulan baru", featured=True)
    assert "Materi unggulan baru" in client.get("/").content.decode()
