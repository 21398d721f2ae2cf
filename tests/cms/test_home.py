"""The home page: hero, the hotline, upcoming public sessions (asked of events), featured and newest
material."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from events.models import Area, Session
from tests.factories import MaterialPageFactory

pytestmark = pytest.mark.django_db


def make_session(area, title, *, days, status=Session.Status.SCHEDULED, is_public=True):
    starts = timezone.now().replace(hour=3, minute=0, second=0, microsecond=0) + timedelta(days=days)
    return Session.objects.create(
        title=title,
        area=area,
        venue="Balai RW 17",
        target_rws="17, 19",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        status=status,
        is_public=is_public,
    )


@pytest.fixture
def area(db):
    return Area.objects.create(
        name="Cengkareng Timur", kecamatan="Cengkareng", city="Jakarta Barat", province="DKI Jakarta"
    )


def test_lists_upcoming_public_sessions_in_the_areas_time_zone(public_site, area, settings):
    settings.PIMPASA_PAGE_CACHE_SECONDS = 0
    make_session(area, "Ngopi Pimpasa RW 17", days=2)
    make_session(area, "Rapat TIMPORA", days=3, is_public=False)
    make_session(area, "Sesi draf", days=4, status=Session.Status.DRAFT)
    soup = BeautifulSoup(Client().get("/").content, "html.parser")
    titles = [h.text for h in soup.select(".session-list__title")]
    assert titles == ["Ngopi Pimpasa RW 17"]
    item = soup.select_one(".session-list__item").text
    assert "10.00" in item and "WIB" in item  # 03:00 UTC is 10.00 in Jakarta
    assert "Balai RW 17" in item and "RW 17, 19" in item


def test_without_sessions_the_home_page_says_how_to_find_the_next(public_site):
    html = Client().get("/").content.decode()
    assert "Belum ada sesi terbuka" in html


def section_titles(html, section_id):
    soup = BeautifulSoup(html, "html.parser")
    heading = soup.find(id=section_id)
    if heading is None:
        return []
    return [h.text for h in heading.find_parent("section").select(".material-card__title")]


def test_featured_material_only_from_the_visitors_language(
    public_site, material_index, english_index, assert_page
):
    MaterialPageFactory(parent=material_index, title="Materi unggulan", featured=True)
    MaterialPageFactory(parent=english_index, title="Featured in English", slug="featured-en", featured=True)
    indonesian = assert_page(Client().get("/"))
    assert section_titles(indonesian, "featured-title") == ["Materi unggulan"]
    assert "Featured in English" not in indonesian
    assert section_titles(Client().get("/en/").content.decode(), "featured-title") == ["Featured in English"]


def test_new_material_reaches_the_home_page_without_being_featured(public_site, material_index):
    """Issue 23 point 7: 'featured' puts material first; the newest material is listed either way."""
    MaterialPageFactory(parent=material_index, title="Materi unggulan lama", featured=True)
    for number in range(1, 5):
        MaterialPageFactory(parent=material_index, title=f"Materi baru {number}")
    html = Client().get("/").content.decode()
    assert section_titles(html, "featured-title") == ["Materi unggulan lama"]
    # The three newest of the others, newest first; a featured one is not listed twice.
    assert section_titles(html, "newest-title") == ["Materi baru 4", "Materi baru 3", "Materi baru 2"]
    assert "Materi terbaru" in html


def test_a_newly_published_material_shows_on_the_cached_home_page_at_once(public_site, material_index):
    MaterialPageFactory(parent=material_index, title="Materi pertama")
    client = Client()
    assert section_titles(client.get("/").content.decode(), "newest-title") == ["Materi pertama"]
    assert client.get("/")["X-Pimpasa-Cache"] == "hit"
    MaterialPageFactory(parent=material_index, title="Materi kedua")  # publishing empties the cache
    response = client.get("/")
    assert response["X-Pimpasa-Cache"] == "miss"
    assert section_titles(response.content.decode(), "newest-title") == ["Materi kedua", "Materi pertama"]


def test_the_featured_field_says_what_it_does(public_site, material_index, editor):
    from tests.factories import DEFAULT_PASSWORD

    material = MaterialPageFactory(parent=material_index, title="Materi")
    client = Client()
    client.login(username=editor.username, password=DEFAULT_PASSWORD)
    soup = BeautifulSoup(client.get(f"/admin/pages/{material.pk}/edit/").content, "html.parser")
    field = soup.find("input", attrs={"name": "featured"})
    help_text = soup.find(id=field["aria-describedby"]).text if field.get("aria-describedby") else ""
    if not help_text:
        help_text = field.find_parent(attrs={"data-field-wrapper": True}).text
    assert "Baca dulu" in help_text and "Materi terbaru" in help_text, help_text


def test_home_queries_do_not_grow_with_sessions(public_site, area, settings, django_assert_max_num_queries):
    settings.PIMPASA_PAGE_CACHE_SECONDS = 0
    client = Client()
    make_session(area, "Sesi satu", days=1)
    client.get("/")
    with django_assert_max_num_queries(40) as one:
        client.get("/")
    with_one_session = len(one)  # read now: the next request empties the connection's query log
    make_session(area, "Sesi dua", days=2)
    make_session(area, "Sesi tiga", days=3)
    client.get("/")  # a session change renews the header and footer fragments too (cms.page_cache)
    with django_assert_max_num_queries(with_one_session):
        client.get("/")
