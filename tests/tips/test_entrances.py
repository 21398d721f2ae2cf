"""The tip form everywhere a resident looks: a crawl of every public page in both languages finds it in
the menu and the footer, the home page and every material offer it with the status page beside it, and
it is indexable and in the sitemap."""

import io
import re
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from cms import bootstrap
from demo import material as demo_material
from demo import site_content
from tests.pimpasa.crawl import crawl

pytestmark = pytest.mark.django_db

FORM = {"id": "/lapor/", "en": "/en/lapor/"}
STATUS = {"id": "/lapor/status/", "en": "/en/lapor/status/"}


@pytest.fixture
def demo_site(site_setup):
    bootstrap.ensure(io.StringIO())
    site_content.load(io.StringIO())


@pytest.mark.parametrize("start", ["/", "/en/"])
def test_a_crawl_finds_the_tip_form_on_every_public_page(demo_site, start):
    """In the menu and the footer of every page; on the home page and after every material, with the
    status page beside it (the crawl follows the language switch too, so both languages are seen)."""
    pages = crawl(Client(), start)
    materials = [path for path, soup in pages.items() if soup.body.get("class") == ["page-material"]]
    # Every material is reached, in both languages (the crawl follows the language switch).
    assert len(materials) == 2 * len(demo_material.MATERIALS)
    assert len(pages) >= 15
    for path, soup in pages.items():
        language = soup.html["lang"]
        menu = soup.find("nav", class_="main-nav")
        footer = soup.find("footer")
        assert menu.find("a", href=FORM[language]) is not None, path
        assert footer.find("a", href=FORM[language]) is not None, path
        assert footer.find("a", href=STATUS[language]) is not None, path
        if soup.body.get("class") in (["page-home"], ["page-material"]):
            box = soup.find("main").find(class_="report-tip")
            assert box is not None, path
            assert box.find("a", href=FORM[language]) and box.find("a", href=STATUS[language]), path


@pytest.mark.parametrize("slug", ["/materi/melaporkan-orang-asing/", "/en/material/reporting-foreigners/"])
def test_the_material_about_reporting_links_the_form_inside_it(demo_site, slug):
    response = Client().get(slug)
    assert response.status_code == 200
    article = BeautifulSoup(response.content, "html.parser").find("article")
    assert article.find("a", href=re.compile(r"^(/en)?/lapor/$")) is not None


def test_the_tip_form_and_status_page_are_indexable(demo_site):
    for path in [*FORM.values(), *STATUS.values()]:
        soup = BeautifulSoup(Client().get(path).content, "html.parser")
        assert soup.find("meta", attrs={"name": "robots"}) is None, path


def test_the_receipt_stays_out_of_search_engines(demo_site):
    soup = BeautifulSoup(Client().get("/lapor/tanda-terima/").content, "html.parser")
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"


def test_the_sitemap_lists_the_tip_form_and_status_page_in_both_languages(demo_site, settings):
    settings.PIMPASA_PUBLIC_URL = "https://pimpasa.example.go.id"
    response = Client().get("/sitemap.xml")
    assert response.status_code == 200
    tree = ElementTree.fromstring(response.content)
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locations = [loc.text for loc in tree.findall("s:url/s:loc", namespace)]
    for path in [*FORM.values(), *STATUS.values()]:
        assert f"https://pimpasa.example.go.id{path}" in locations
    form_entry = next(
        url
        for url in tree.findall("s:url", namespace)
        if url.find("s:loc", namespace).text.endswith("/lapor/")
    )
    hreflangs = {link.get("hreflang") for link in form_entry.findall("x:link", namespace)}
    assert hreflangs == {"id", "en"}
    # the material is still there
    assert any("/materi/" in location for location in locations)
