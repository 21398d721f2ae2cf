"""Every page type renders with the same number of queries for one material as for many."""

import pytest
from django.test import Client

from cms import page_cache
from tests.factories import ImageFactory, MaterialPageFactory, StandardPageFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PIMPASA_PAGE_CACHE_SECONDS = 0  # measure rendering, not the cache


def build_materials(index, count, topics, start=0):
    image = ImageFactory()
    return [
        MaterialPageFactory(
            parent=index,
            title=f"Materi {index.pk}-{number}",
            image=image if number % 2 else ImageFactory(),
            featured=True,
            topics=topics,
            body=[
                {"type": "paragraph", "value": "<p>Isi.</p>"},
                {"type": "contact", "value": {"title": "Hubungi", "text": ""}},
            ],
        )
        for number in range(start, start + count)
    ]


def queries_for(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/materi/",
        "/materi/?topic=tppo",
        "/materi/materi-first/",
        "/tentang/",
        "/cari/?q=materi",
        "/feed/",
    ],
)
def test_queries_do_not_grow_with_the_number_of_materials(
    public_site, material_index, url, django_assert_max_num_queries, assert_page
):
    topics = [TopicFactory(slug="tppo", name="TPPO"), TopicFactory(slug="migrasi", name="Migrasi")]
    MaterialPageFactory(
        parent=material_index, title="Materi first", slug="materi-first", topics=topics, image=ImageFactory()
    )
    build_materials(material_index, 2, topics)
    StandardPageFactory(parent=public_site["home"], title="Tentang", slug="tentang")
    client = Client()
    client.get(url)  # warm per-process caches (content types, site root paths, renditions)
    few = queries_for(client, url, django_assert_max_num_queries, 40)

    build_materials(material_index, 8, topics, start=2)
    client.get(url)
    many = queries_for(client, url, django_assert_max_num_queries, few)
    assert many <= few, url
    response = client.get(url)
    assert_page(response, "Pimpasa")  # the site's page, not an empty answer
    assert page_cache.CACHE_HEADER not in response
