"""Search over material, in the visitor's language only, with Wagtail's database backend."""

import re

import pytest
from django.test import Client

from cms.services import ensure_translation
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
    assert result_links(Client().get("/en/search/", {"q": "paspor"})) == []


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
