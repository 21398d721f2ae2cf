"""The office, hotlines and social links from the site settings, in every page's footer."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from wagtail.models import Site

from cms.models import ContactSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(public_site):
    contact = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    contact.office_name = "Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta"
    contact.office_address = "Kawasan Bandara Soekarno-Hatta\nKota Tangerang"
    contact.office_email = "humas@imigrasi.example"
    contact.whatsapp_number = "0812-1111-2222"
    contact.hotlines = [
        ("hotline", {"organisation": "KP2MI", "number": "0-800-1000", "toll_free": True, "whatsapp": False}),
        (
            "hotline",
            {"organisation": "Kantor", "number": "021 555 0101", "toll_free": False, "whatsapp": True},
        ),
    ]
    contact.offices = [
        (
            "office",
            {
                "name": "BP3MI Uji",
                "area": "Provinsi Uji",
                "location": "Kota Uji\nPos Pelayanan: Bandara Uji",
                "phone": "021 555 0199",
                "website": "https://bp3mi.example/",
            },
        ),
    ]
    contact.instagram_url = "https://www.instagram.com/imigrasi.example"
    contact.save()
    return contact


@pytest.mark.parametrize("path", ["/", "/privasi/", "/en/privasi/", "/cari/"])
def test_footer_shows_office_hotlines_whatsapp_and_social_links(contact, path):
    footer = BeautifulSoup(Client().get(path).content, "html.parser").find("footer")
    assert "Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta" in footer.text
    assert footer.find("address").get_text("|") == "Kawasan Bandara Soekarno-Hatta|Kota Tangerang"
    assert footer.find("a", href="tel:08001000").text == "0-800-1000"
    assert footer.find("a", href="https://wa.me/6281211112222") is not None
    assert footer.find("a", href="mailto:humas@imigrasi.example") is not None
    assert footer.find("a", href="https://www.instagram.com/imigrasi.example").text == "Instagram"


def test_a_whatsapp_hotline_is_both_a_call_and_a_chat_link(contact):
    footer = BeautifulSoup(Client().get("/").content, "html.parser").find("footer")
    toll_free, office = footer.find_all("li", class_="hotline")
    assert office.find("a", href="tel:+62215550101").text == "021 555 0101"
    assert office.find("a", href="https://wa.me/62215550101").text == "Chat lewat WhatsApp"
    assert not toll_free.select('a[href^="https://wa.me/"]')


OFFICE_LABELS = {
    "/": ("Kantor pelindungan pekerja migran", "Wilayah layanan: Provinsi Uji", "Situs web"),
    "/en/": ("Migrant worker protection offices", "Area served: Provinsi Uji", "Website"),
}


@pytest.mark.parametrize("path", OFFICE_LABELS)
def test_footer_lists_the_offices_in_the_visitors_language(contact, path):
    heading, area, website = OFFICE_LABELS[path]
    footer = BeautifulSoup(Client().get(path).content, "html.parser").find("footer")
    section = footer.find("details", class_="footer-contact__offices")
    assert section.find("h2", id="footer-offices").text == heading
    (office,) = section.find_all("li", class_="office")
    assert office.find(class_="office__name").text == "BP3MI Uji"
    assert office.find(class_="office__area").text == area
    assert office.find(class_="office__location").get_text("|") == "Kota Uji|Pos Pelayanan: Bandara Uji"
    assert office.find("a", href="tel:+62215550199").text == "021 555 0199"
    link = office.find("a", href="https://bp3mi.example/")
    assert link.text == "bp3mi.example" and link.parent.text.startswith(website)


def test_footer_labels_speak_the_visitors_language(contact):
    indonesian = Client().get("/").content.decode()
    assert "bebas pulsa" in indonesian and "Pemberitahuan privasi" in indonesian
    english = Client().get("/en/").content.decode()
    assert "free call" in english and "Privacy notice" in english
    assert 'href="/en/privasi/"' in english


def test_home_page_shows_the_hotline(contact):
    soup = BeautifulSoup(Client().get("/").content, "html.parser")
    assert soup.find("section", class_="home-hotline").find("a", href="tel:08001000") is not None


def test_empty_settings_leave_a_tidy_footer(public_site):
    footer = BeautifulSoup(Client().get("/").content, "html.parser").find("footer")
    assert footer.find("address") is None
    assert footer.find(class_="offices") is None
    assert footer.find("a", href="/privasi/") is not None


@pytest.mark.parametrize(
    "written, link",
    [
        ("0-800-1000", "tel:08001000"),
        ("(021) 2924 4800", "tel:+622129244800"),
        ("+62 21 2924 4800", "tel:+622129244800"),
        ("021.555.0101", "tel:+62215550101"),
    ],
)
def test_phone_numbers_become_dialable_links_however_they_are_written(written, link):
    from cms.templatetags.cms_tags import tel_href

    assert tel_href(written) == link


@pytest.fixture
def bilingual_contact(contact):
    contact.hotlines = [
        (
            "hotline",
            {
                "organisation": "KP2MI (layanan WhatsApp)",
                "organisation_en": "KP2MI (WhatsApp service)",
                "number": "0811-8080-141",
                "whatsapp_only": True,
            },
        ),
        ("hotline", {"organisation": "Kemnaker", "organisation_en": "", "number": "1500630"}),
    ]
    contact.offices = [
        (
            "office",
            {
                "name": "BP3MI Banten",
                "area": "Provinsi Banten",
                "area_en": "Banten Province",
                "location": "Alamat: tanyakan lewat 0-800-1000.",
                "location_en": "Address: ask on 0-800-1000.",
            },
        )
    ]
    contact.save()
    return contact


@pytest.mark.parametrize(
    "path, hotline, area, location",
    [
        (
            "/",
            "KP2MI (layanan WhatsApp)",
            "Wilayah layanan: Provinsi Banten",
            "Alamat: tanyakan lewat 0-800-1000.",
        ),
        ("/en/", "KP2MI (WhatsApp service)", "Area served: Banten Province", "Address: ask on 0-800-1000."),
    ],
)
def test_hotline_and_office_wording_follows_the_page_language(
    bilingual_contact, path, hotline, area, location
):
    soup = BeautifulSoup(Client().get(path).content, "html.parser")
    for where in (soup.find("footer"), soup.find("section", class_="home-hotline")):
        labels = [label.text for label in where.find_all(class_="hotline__org")]
        assert labels == [hotline, "Kemnaker"]  # an empty English label falls back to the name as written
    office = soup.find("footer").find("li", class_="office")
    assert office.find(class_="office__area").text == area
    assert office.find(class_="office__location").text == location


def test_the_footer_cache_keeps_each_language_apart(bilingual_contact, assert_page):
    client = Client()
    assert_page(client.get("/"), "KP2MI (layanan WhatsApp)")
    english = assert_page(client.get("/en/"), "KP2MI (WhatsApp service)")
    assert "layanan WhatsApp" not in english
