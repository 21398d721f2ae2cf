"""The material index filters by topic; each material shows related material of its own language."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from tests.factories import MaterialPageFactory, TopicFactory

pytestmark = pytest.mark.django_db


def card_titles(html, within=None):
    soup = BeautifulSoup(html, "html.parser")
    scope = soup.select_one(within) if within else soup
    return [a.text for a in scope.select(".material-card__title a")] if scope else []


@pytest.fixture
def topics(public_site):
    return {
        "tppo": TopicFactory(name="TPPO", slug="tppo"),
        "migrasi": TopicFactory(name="Migrasi aman", slug="migrasi-aman"),
        "unused": TopicFactory(name="Belum dipakai", slug="belum-dipakai"),
    }


def test_index_lists_topics_in_use_and_filters_by_topic(material_index, topics):
    MaterialPageFactory(parent=material_index, title="Modus TPPO", topics=[topics["tppo"]])
    MaterialPageFactory(parent=material_index, title="Migrasi prosedural", topics=[topics["migrasi"]])
    client = Client()
    html = client.get("/materi/").content.decode()
    assert set(card_titles(html)) == {"Modus TPPO", "Migrasi prosedural"}
    filter_links = [
        a.text.split(" (")[0] for a in BeautifulSoup(html, "html.parser").select(".topic-filter a")
    ]
    assert filter_links == ["Semua topik", "Migrasi aman", "TPPO"]  # the unused topic is not offered

    filtered = client.get("/materi/", {"topic": "tppo"}).content.decode()
    assert card_titles(filtered) == ["Modus TPPO"]
    assert 'aria-current="page">TPPO' in filtered
    # An unknown topic shows everything rather than an error.
    assert len(card_titles(client.get("/materi/", {"topic": "tidak-ada"}).content.decode())) == 2


def test_related_material_shares_topics_most_shared_first(material_index, topics):
    both = [topics["tppo"], topics["migrasi"]]
    page = MaterialPageFactory(parent=material_index, title="Utama", topics=both)
    MaterialPageFactory(parent=material_index, title="Satu topik", topics=[topics["tppo"]])
    MaterialPageFactory(parent=material_index, title="Dua topik", topics=both)
    MaterialPageFactory(parent=material_index, title="Tanpa topik sama", topics=[topics["unused"]])
    html = Client().get(page.url).content.decode()
    assert card_titles(html, ".related") == ["Dua topik", "Satu topik"]


def test_material_without_topics_has_no_related_section(material_index):
    page = MaterialPageFactory(parent=material_index, title="Sendiri")
    assert card_titles(Client().get(page.url).content.decode(), ".related") == []
