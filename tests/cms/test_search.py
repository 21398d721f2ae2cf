"""Search over material, in the visitor's language only, with Wagtail's database backend."""

import re

import pytest
from django.test import Client

from cms.services.page_tree import ensure_translation
from tests.factories import MaterialPageFactory

pytestmark = pytest.mark.django_db


def result_links(response):
    return re.findall(r'<h[23] class="material-card__title"><a href="([^"]+)"', response.content.decode())


@pytest.fixture
def passport_material(public_site, english_index):
    index = english_index.get_translation(public_site["id"])
    material = MaterialPageFactory(
        parent=index,
        title="Paspor adalah milik Anda",
        intro="Agen yang menahan paspor adalah tanda perdagangan orang.",
    )
    ensure_translation(
        material,
        public_site["en"],
        title="Your passport belongs to you",
        slug="your-passport",
        intro="An agent keeping your passport is a sign of trafficking.",
    )
    MaterialPageFactory(parent=index, title="Orientasi pra pemberangkatan", intro="Wajib sebelum berangkat.")
    return material


def test_finds_indonesian_material_in_indonesian(passport_material):
    response = Client().get("/cari/", {"q": "paspor"})
    assert response.status_code == 200
    assert result_links(response) == ["/materi/paspor-adalah-milik-anda/"]


def test_finds_english_material_in_english_and_only_english(passport_material):
    assert result_links(Client().get("/en/search/", {"q": "passport"})) == ["/en/material/your-passport/"]
    # An Indonesian word finds nothing on the English side: results stay in the visitor's language.
    assert result_links(Client().get("/en/search/", {"q": "milik"})) == []


def test_searches_the_body_and_the_topics_too(passport_material, public_site):
    from tests.factories import TopicFactory

    index = passport_material.get_parent()
    topic = TopicFactory(name="Pengawasan orang asing", slug="pengawasan", locale=public_site["id"])
    MaterialPageFactory(
        parent=index,
        title="Lapor",
        intro="Cara melapor.",
        topics=[topic],
        body=[{"type": "paragraph", "value": "<p>Warga melihat pekerja tanpa izin kerja.</p>"}],
    )
    assert result_links(Client().get("/cari/", {"q": "izin kerja"})) == ["/materi/lapor/"]
    assert result_links(Client().get("/cari/", {"q": "pengawasan"})) == ["/materi/lapor/"]


def test_unpublished_material_is_not_found(passport_material):
    passport_material.unpublish()
    assert result_links(Client().get("/cari/", {"q": "paspor"})) == []


def test_empty_odd_and_overlong_queries_answer_calmly(passport_material):
    client = Client()
    empty = client.get("/cari/")
    assert empty.status_code == 200 and "Cari materi" in empty.content.decode()
    nothing = client.get("/cari/", {"q": "zzzz-tidak-ada"})
    assert "Tidak ada hasil" in nothing.content.decode()
    for odd in ['"paspor', "paspor & | !", "x" * 5000, "' OR 1=1 --"]:
        assert client.get("/cari/", {"q": odd}).status_code == 200
    assert client.get("/cari/", {"q": "paspor", "page": "banyak"}).status_code == 200


# Forgiving search (issue 13 point 9; every word optional since issue 23) ---------------------------------------------------------------


@pytest.fixture
def everyday_material(public_site, english_index):
    index = english_index.get_translation(public_site["id"])
    MaterialPageFactory(
        parent=index,
        title="Hak PMI sebelum berangkat",
        intro="Pekerja migran berhak atas perjanjian kerja.",
    )
    MaterialPageFactory(
        parent=index, title="Waspada perekrut ilegal", intro="Perekrut menjanjikan gaji besar."
    )
    MaterialPageFactory(parent=index, title="Paspor adalah milik Anda", intro="Jangan serahkan paspor.")


@pytest.mark.parametrize(
    "typed, found",
    [
        ("TKI", "/materi/hak-pmi-sebelum-berangkat/"),  # an everyday word for PMI
        ("calo", "/materi/waspada-perekrut-ilegal/"),  # a synonym from the starting list
        ("pasport", "/materi/paspor-adalah-milik-anda/"),  # a near miss
        ("Paspr", "/materi/paspor-adalah-milik-anda/"),
    ],
)
def test_everyday_words_and_near_misses_find_material(everyday_material, typed, found):
    assert result_links(Client().get("/cari/", {"q": typed})) == [found]


def test_editors_extend_the_synonym_list(everyday_material):
    from cms.models import SearchSynonyms

    assert result_links(Client().get("/cari/", {"q": "makelar"})) == []
    SearchSynonyms.objects.create(words="makelar, perekrut")
    assert result_links(Client().get("/cari/", {"q": "makelar"})) == ["/materi/waspada-perekrut-ilegal/"]


def test_every_word_is_optional_and_more_words_matched_rank_higher(everyday_material):
    assert result_links(Client().get("/cari/", {"q": "calo gaji"})) == ["/materi/waspada-perekrut-ilegal/"]
    # Neither material has both words: each is found by the word it has.
    assert set(result_links(Client().get("/cari/", {"q": "calo paspor"}))) == {
        "/materi/waspada-perekrut-ilegal/",
        "/materi/paspor-adalah-milik-anda/",
    }
    # "jangan serahkan paspor" matches two words of the passport material and one of no other.
    assert result_links(Client().get("/cari/", {"q": "calo jangan serahkan paspor"}))[0] == (
        "/materi/paspor-adalah-milik-anda/"
    )


def test_an_empty_result_offers_the_topics_and_the_tip_form(everyday_material, public_site):
    from bs4 import BeautifulSoup

    from tests.factories import TopicFactory

    TopicFactory(name="Pelaporan", slug="pelaporan", locale=public_site["id"])
    soup = BeautifulSoup(Client().get("/cari/", {"q": "zzzz"}).content, "html.parser")
    main = soup.find("main")
    assert main.find("a", href=re.compile(r"\?topic=pelaporan$")).text == "Pelaporan"
    assert main.find(class_="report-tip").find("a", href="/lapor/") is not None
