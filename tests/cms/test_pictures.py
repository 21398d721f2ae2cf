"""Pictures on the public pages: AVIF and WebP renditions sized for the screen (srcset/sizes), JPEG
only as the fallback; the first picture loads at once, everything below the fold lazily."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.images import ImageFile
from django.test import Client

from tests.factories import ImageFactory, MaterialPageFactory, TopicFactory, png_bytes

pytestmark = pytest.mark.django_db


def large_image(**kwargs):
    """Wider than the widest rendition (Wagtail never enlarges a picture)."""
    return ImageFactory(file=ImageFile(io.BytesIO(png_bytes(size=(1200, 675))), name="besar.png"), **kwargs)


def widths(srcset):
    return sorted(int(candidate.split()[-1].rstrip("w")) for candidate in srcset.split(","))


def check_picture(picture, expected_widths):
    sources = {source["type"]: source for source in picture.find_all("source")}
    assert list(sources) == ["image/avif", "image/webp"]  # the browser takes the first it can show
    for kind, source in sources.items():
        assert widths(source["srcset"]) == expected_widths, kind
        assert source["sizes"]
        assert all(f".format-{kind.split('/')[1]}." in url for url in source["srcset"].split(","))
    fallback = picture.find("img")
    assert ".format-jpeg." in fallback["src"] and fallback["width"] and fallback["height"]
    return fallback


@pytest.fixture
def pictured(public_site, material_index):
    home = public_site["home"]
    home.hero_image = large_image(title="Balai warga")
    home.save_revision().publish()
    topic = TopicFactory(name="Migrasi aman")
    materials = [
        MaterialPageFactory(
            parent=material_index, title=f"Materi {n}", image=large_image(), featured=True, topics=[topic]
        )
        for n in range(3)
    ]
    return home, materials


def test_home_hero_loads_first_and_cards_wait_for_a_scroll(pictured, assert_page):
    soup = BeautifulSoup(assert_page(Client().get("/")), "html.parser")
    hero = check_picture(soup.select_one(".hero picture"), [480, 720, 960])
    assert hero["fetchpriority"] == "high" and "loading" not in hero.attrs
    cards = soup.select(".material-card picture")
    assert len(cards) == 3
    for card in cards:
        assert check_picture(card, [320, 640])["loading"] == "lazy"


def test_material_picture_and_its_body_images(pictured):
    _home, materials = pictured
    material = materials[0]
    material.body = [
        {"type": "paragraph", "value": "<p>Isi.</p>"},
        {
            "type": "image",
            "value": {"image": large_image().pk, "alt_text": "Petugas di balai", "caption": "", "credit": ""},
        },
    ]
    material.save_revision().publish()
    soup = BeautifulSoup(Client().get(material.url).content, "html.parser")
    main = check_picture(soup.select_one(".material__header picture"), [480, 720, 960])
    assert main["fetchpriority"] == "high"
    body = check_picture(soup.select_one(".block-image picture"), [480, 720, 960])
    assert body["loading"] == "lazy" and body["alt"] == "Petugas di balai"
    related = soup.select(".related picture")
    assert related and all(check_picture(card, [320, 640])["loading"] == "lazy" for card in related)
