"""Search as people type (issue 23 point 4): small words ignored, every word optional, the material
matching most words first, synonyms in both languages. Run against the demo material, as residents
met it, on SQLite FTS and on PostgreSQL full-text search alike."""

import io
import re

import pytest
from django.test import Client

from cms.models import SearchSynonyms
from cms.search import search_terms
from demo import site_content

pytestmark = pytest.mark.django_db

WORKING_ABROAD = "/materi/syarat-dan-langkah-pmi-prosedural/"
WORKING_ABROAD_EN = "/en/material/procedural-migrant-work-steps/"
# Queries a search may take whatever the query or the number of materials: synonyms, the vocabulary
# of near misses, the count, the ranked page, its images and renditions, plus the page around it.
MAX_SEARCH_QUERIES = 20


def result_links(response):
    assert response.status_code == 200
    return re.findall(r'<h[23] class="material-card__title"><a href="([^"]+)"', response.content.decode())


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once for this module inside a transaction rolled back at its end (each test
    runs in a savepoint within it): loading it takes far longer than any search."""
    from django.db import transaction
    from django.test import override_settings

    from cms.services.page_tree import ensure_home_page
    from pimpasa.roles import ensure_roles

    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock(), media, transaction.atomic():
        ensure_roles()
        ensure_home_page()
        site_content.load(io.StringIO())
        yield
        transaction.set_rollback(True)


def test_small_words_are_dropped_unless_nothing_else_is_left():
    assert search_terms("kerja di malaysia") == ["kerja", "malaysia"]
    assert search_terms("Work in Malaysia") == ["work", "malaysia"]
    assert search_terms("yang untuk ke dan paspor") == ["paspor"]
    assert search_terms("apa itu") == ["apa", "itu"]  # nothing else: searched as typed
    assert search_terms('"TPPO" OR -x*') == ["tppo", "x"]


@pytest.mark.parametrize(
    "typed", ["kerja di malaysia", "lowongan kerja malaysia", "malaysia", "Kerja di Malaysia?"]
)
def test_indonesian_phrases_find_the_material_on_working_abroad_first(demo_site, typed):
    links = result_links(Client().get("/cari/", {"q": typed}))
    assert links and links[0] == WORKING_ABROAD, links


@pytest.mark.parametrize("typed", ["work in malaysia", "work abroad", "overseas job"])
def test_english_phrases_find_the_material_on_working_abroad_first(demo_site, typed):
    links = result_links(Client().get("/en/search/", {"q": typed}))
    assert links and links[0] == WORKING_ABROAD_EN, links


def test_broker_finds_the_material_on_agents_and_recruiters(demo_site):
    links = result_links(Client().get("/en/search/", {"q": "broker"}))
    assert "/en/material/check-a-licensed-p3mi/" in links
    assert all(link.startswith("/en/material/") for link in links)


def test_every_word_is_optional_and_the_most_words_matched_come_first(demo_site):
    everything = set(result_links(Client().get("/cari/", {"q": "kerja"})))
    with_unknown_word = result_links(Client().get("/cari/", {"q": "kerja zzzqx"}))
    assert set(with_unknown_word) == everything  # a word nothing matches takes nothing away
    assert result_links(Client().get("/cari/", {"q": "zzzqx"})) == []
    # Both words in the material (and its title) rank above "kerja" alone.
    ranked = result_links(Client().get("/cari/", {"q": "kerja malaysia"}))
    assert ranked[0] == WORKING_ABROAD and set(ranked) >= everything


def test_editors_extend_the_english_groups_too(demo_site):
    assert result_links(Client().get("/en/search/", {"q": "fixer"})) == []
    SearchSynonyms.objects.create(words="fixer, broker")
    assert "/en/material/check-a-licensed-p3mi/" in result_links(Client().get("/en/search/", {"q": "fixer"}))


def test_search_queries_are_bounded_whatever_the_number_of_words(demo_site, django_assert_max_num_queries):
    client = Client()
    client.get("/cari/", {"q": "paspor"})  # per-process caches (site root, content types)
    with django_assert_max_num_queries(MAX_SEARCH_QUERIES) as one_word:
        client.get("/cari/", {"q": "paspor"})
    few = len(one_word)
    long_query = "lowongan kerja di malaysia tanpa paspor calo visa turis gaji besar agen"
    with django_assert_max_num_queries(few):
        response = client.get("/cari/", {"q": long_query})
    assert result_links(response)
