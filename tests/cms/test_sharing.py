"""What leaves the site: share previews, canonical links, sitemap.xml, robots.txt and the feeds."""

import re
from xml.etree import ElementTree

import pytest
from django.test import Client

from cms.services.page_tree import ensure_translation
from tests.factories import ImageFactory, MaterialPageFactory

pytestmark = pytest.mark.django_db

PUBLIC = "https://pimpasa.example.go.id"


@pytest.fixture(autouse=True)
def _public_url(settings):
    settings.PIMPASA_PUBLIC_URL = PUBLIC


@pytest.fixture
def material(public_site, english_index):
    page = MaterialPageFactory(
        parent=english_index.get_translation(public_site["id"]),
        title="Tanda bahaya",
        intro="Kenali tawaran kerja palsu.",
        image=ImageFactory(title="Ilustrasi tawaran kerja"),
    )
    ensure_translation(
        page, public_site["en"], title="Warning signs", slug="warning-signs", intro="Spot fake jobs."
    )
    return page


def meta(html, attribute, name):
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', html)
    return match.group(1) if match else None


def test_material_page_has_opengraph_twitter_and_canonical_tags(material):
    html = Client().get("/materi/tanda-bahaya/").content.decode()
    assert meta(html, "property", "og:title") == "Tanda bahaya"
    assert meta(html, "property", "og:description") == "Kenali tawaran kerja palsu."
    assert meta(html, "property", "og:url") == f"{PUBLIC}/materi/tanda-bahaya/"
    assert meta(html, "property", "og:locale") == "id_ID"
    image = meta(html, "property", "og:image")
    assert image.startswith(f"{PUBLIC}/media/images/") and image.endswith(".png")
    assert meta(html, "property", "og:image:alt") == "Ilustrasi tawaran kerja"
    assert meta(html, "name", "twitter:card") == "summary_large_image"
    assert meta(html, "name", "twitter:image") == image
    assert f'<link rel="canonical" href="{PUBLIC}/materi/tanda-bahaya/">' in html
    assert f'<link rel="alternate" hreflang="en" href="{PUBLIC}/en/material/warning-signs/">' in html


def test_english_page_shares_in_english(material):
    html = Client().get("/en/material/warning-signs/").content.decode()
    assert meta(html, "property", "og:title") == "Warning signs"
    assert meta(html, "property", "og:locale") == "en_US"
    assert f'<link rel="canonical" href="{PUBLIC}/en/material/warning-signs/">' in html


def test_sitemap_lists_both_languages_with_their_alternates(material):
    response = Client().get("/sitemap.xml")
    assert response.status_code == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ElementTree.fromstring(response.content)
    locations = [loc.text for loc in root.findall("s:url/s:loc", ns)]
    for path in [
        "/",
        "/en/",
        "/privasi/",
        "/en/privasi/",
        "/materi/tanda-bahaya/",
        "/en/material/warning-signs/",
    ]:
        assert f"{PUBLIC}{path}" in locations
    entry = next(
        url for url in root.findall("s:url", ns) if url.find("s:loc", ns).text.endswith("/tanda-bahaya/")
    )
    alternates = {link.get("hreflang"): link.get("href") for link in entry.findall("x:link", ns)}
    assert alternates == {
        "id": f"{PUBLIC}/materi/tanda-bahaya/",
        "en": f"{PUBLIC}/en/material/warning-signs/",
    }


def test_sitemap_lists_a_page_without_translation_once_with_its_own_language_only(material, public_site):
    MaterialPageFactory(parent=material.get_parent(), title="Hanya bahasa Indonesia", slug="hanya-indonesia")
    root = ElementTree.fromstring(Client().get("/sitemap.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    entries = [url for url in root.findall("s:url", ns) if "hanya-indonesia" in url.find("s:loc", ns).text]
    assert len(entries) == 1
    alternates = {link.get("hreflang"): link.get("href") for link in entries[0].findall("x:link", ns)}
    assert alternates == {"id": f"{PUBLIC}/materi/hanya-indonesia/"}


def test_sitemap_queries_do_not_grow_with_the_pages(material, django_assert_max_num_queries):
    for number in range(10):
        MaterialPageFactory(parent=material.get_parent(), title=f"Materi {number}", slug=f"materi-{number}")
    Client().get("/sitemap.xml")  # the site root paths are cached after the first request
    with django_assert_max_num_queries(5):  # site, root, its translations, restrictions, pages
        response = Client().get("/sitemap.xml")
    # 6 pages in both languages, 10 in Indonesian only; and the tip form and status page in both
    assert response.content.count(b"<url>") == 18 + 4


def test_sitemap_leaves_out_unpublished_pages(material, assert_page):
    material.unpublish()
    sitemap = assert_page(Client().get("/sitemap.xml"), "<urlset")
    assert "tanda-bahaya" not in sitemap


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_the_admin(db):
    response = Client().get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in lines


def test_rss_feed_per_language(material):
    rss = ElementTree.fromstring(Client().get("/feed/").content)
    assert rss.find("channel/language").text == "id"
    items = rss.findall("channel/item")
    assert [item.find("title").text for item in items] == ["Tanda bahaya"]
    assert items[0].find("link").text == f"{PUBLIC}/materi/tanda-bahaya/"
    english = ElementTree.fromstring(Client().get("/en/feed/").content)
    assert [item.find("title").text for item in english.findall("channel/item")] == ["Warning signs"]


def test_atom_feed(material):
    response = Client().get("/en/feed/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    atom = ElementTree.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert atom.find("a:entry/a:title", ns).text == "Warning signs"
    assert atom.find("a:entry/a:link", ns).get("href") == f"{PUBLIC}/en/material/warning-signs/"


def test_every_page_advertises_the_feed(public_site):
    html = Client().get("/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in html and 'href="/feed/"' in html
