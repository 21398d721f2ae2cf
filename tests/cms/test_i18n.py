"""Indonesian first, English as linked translations; the language switch lands on the same page."""

import re

import pytest
from django.test import Client

from cms.models import MaterialPage
from cms.services.page_tree import ensure_translation
from tests.factories import MaterialPageFactory, TopicFactory

pytestmark = pytest.mark.django_db


def switch_links(html):
    """{language code: href} of the language switch."""
    nav = re.search(r'<nav class="language-switch".*?</nav>', html, re.S).group(0)
    return {code: href for href, code in re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', nav)}


def test_switch_on_an_indonesian_material_leads_to_its_english_translation(public_site, english_index):
    material = MaterialPageFactory(
        parent=english_index.get_translation(public_site["id"]), title="Tanda bahaya"
    )
    ensure_translation(material, public_site["en"], title="Warning signs", slug="warning-signs")

    html = Client().get("/materi/tanda-bahaya/").content.decode()
    assert switch_links(html) == {"en": "/en/material/warning-signs/"}

    english = Client().get("/en/material/warning-signs/").content.decode()
    assert '<html lang="en">' in english
    assert switch_links(english) == {"id": "/materi/tanda-bahaya/"}


def test_switch_on_an_untranslated_page_leads_to_the_other_languages_home(public_site, material_index):
    MaterialPageFactory(parent=material_index, title="Belum diterjemahkan")
    html = Client().get("/materi/belum-diterjemahkan/").content.decode()
    assert switch_links(html) == {"en": "/en/"}


def test_switch_on_the_search_page_keeps_the_query(public_site):
    html = Client().get("/cari/?q=paspor").content.decode()
    assert switch_links(html) == {"en": "/en/search/?q=paspor"}


def test_translating_in_the_admin_links_the_translation_to_translated_topics(public_site, english_index):
    """simple_translation copies the page; its topics must follow into the target language."""
    indonesian_topic = TopicFactory(name="Migrasi aman", slug="migrasi-aman", locale=public_site["id"])
    english_topic = TopicFactory(
        name="Safe migration",
        slug="safe-migration",
        locale=public_site["en"],
        translation_key=indonesian_topic.translation_key,
    )
    untranslated = TopicFactory(name="Hanya Indonesia", slug="hanya-id", locale=public_site["id"])
    material = MaterialPageFactory(
        parent=english_index.get_translation(public_site["id"]), topics=[indonesian_topic, untranslated]
    )

    translation = material.copy_for_translation(public_site["en"])

    draft = MaterialPage.objects.get(pk=translation.pk).get_latest_revision_as_object()
    assert set(draft.topics.all()) == {english_topic, untranslated}
    assert draft.translation_key == material.translation_key
