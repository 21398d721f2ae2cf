"""The privacy notice every installation gets, and the demo material `make run` loads."""

import io
import re

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from cms import bootstrap, page_cache
from cms.models import ContactSettings, MaterialPage, StandardPage, Topic
from demo import material as demo_material
from demo import site_content

pytestmark = pytest.mark.django_db


def visible_text(html):
    main = re.search(r"<main.*?</main>", html, re.S).group(0)
    return re.sub(r"<[^>]+>", " ", main)


def test_bootstrap_is_idempotent_and_publishes_the_privacy_notice_in_both_languages(public_site):
    bootstrap.ensure(io.StringIO())
    assert StandardPage.objects.filter(slug="privasi").count() == 2
    indonesian = Client().get("/privasi/").content.decode()
    text = visible_text(indonesian)
    for expected in ["UU PDP", "27 Tahun 2022", "check-in", "tanpa nama", "3 x 24 jam", "dihapus"]:
        assert expected in text, expected
    english = visible_text(Client().get("/en/privasi/").content.decode())
    for expected in ["Personal Data Protection", "anonymously", "deleted", "3 x 24 hours"]:
        assert expected in english, expected


def test_the_notice_promises_the_retention_the_scheduled_tasks_keep(public_site):
    """The notice says one year for attendees' details and for reporters' identities: the defaults of
    the daily erasure tasks must say the same, or the notice misleads the residents it is for."""
    from django.conf import settings

    assert settings.PIMPASA_ATTENDANCE_RETENTION_DAYS == 365
    assert settings.PIMPASA_TIP_RETENTION_DAYS == 365
    bootstrap.ensure(io.StringIO())
    text = visible_text(Client().get("/privasi/").content.decode())
    assert text.count("satu tahun setelah") == 2


def test_bootstrap_aligns_the_site_with_the_public_address(public_site, settings):
    settings.PIMPASA_PUBLIC_URL = "https://pimpasa.example.go.id"
    bootstrap.ensure(io.StringIO())
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("pimpasa.example.go.id", 443)
    assert public_site["home"].full_url == "https://pimpasa.example.go.id/"


def test_bootstrap_never_overwrites_an_editors_changes(public_site):
    privacy = StandardPage.objects.get(slug="privasi", locale=public_site["id"])
    privacy.intro = "Diubah oleh editor."
    privacy.save_revision().publish()
    bootstrap.ensure(io.StringIO())
    privacy.refresh_from_db()
    assert privacy.intro == "Diubah oleh editor."


def counts():
    return {
        "pages": Page.objects.count(),
        "topics": Topic.objects.count(),
        "images": get_image_model().objects.count(),
        "documents": get_document_model().objects.count(),
        "redirects": Redirect.objects.count(),
    }


def test_demo_loads_bilingual_material_once_however_often_it_runs(site_setup):
    site_content.load(io.StringIO())
    first = counts()
    site_content.load(io.StringIO())
    assert counts() == first
    assert first["redirects"] == 0  # translations were created under their own slugs

    indonesian = MaterialPage.objects.filter(locale__language_code="id").live()
    assert indonesian.count() == len(demo_material.MATERIALS)
    for material in indonesian:
        english = material.get_translation_or_none(Locale.objects.get(language_code="en"))
        assert english is not None and english.live, material.title
        assert english.specific.topics.exclude(locale__language_code="en").count() == 0
        assert material.specific.image is not None

    contact = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    assert contact.office_name == "Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta"
    assert "0-800-1000" in [hotline.value["number"] for hotline in contact.hotlines]
    leaflet = get_document_model().objects.get()
    assert leaflet.file.read(5) == b"%PDF-" and leaflet.file_size > 0


def test_demo_settings_carry_the_official_hotlines_and_the_bp3mi_offices(site_setup):
    site_content.load(io.StringIO())
    contact = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    hotlines = {hotline.value["number"]: hotline.value for hotline in contact.hotlines}
    assert hotlines["0-800-1000"]["toll_free"] and hotlines["0811-8080-141"]["whatsapp_only"]
    offices = {office.value["name"]: office.value for office in contact.offices}
    head_office = offices["Kementerian Pelindungan Pekerja Migran Indonesia (KP2MI), kantor pusat"]
    assert "Jl. MT Haryono Kav. 52, Pancoran, Jakarta Selatan" in head_office["location"]
    banten = offices["Balai Pelayanan Pelindungan Pekerja Migran Indonesia (BP3MI) Banten"]
    for place in ["Kota Serang", "Kota Tangerang", "Terminal 3 Bandara Internasional Soekarno-Hatta"]:
        assert place in banten["location"], place
    jakarta = offices["Balai Pelayanan Pelindungan Pekerja Migran Indonesia (BP3MI) DKI Jakarta"]
    assert jakarta["website"] == "https://uptbp2mijakarta.id"
    # No BP3MI phone number is known for certain: they send readers to 0-800-1000 instead.
    for office in (banten, jakarta):
        assert not office["phone"] and "0-800-1000" in office["location"]

    footer = BeautifulSoup(Client().get("/").content, "html.parser").find("footer")
    whatsapp = footer.find("a", href="https://wa.me/628118080141")
    assert whatsapp.text == "Chat lewat WhatsApp"
    # The line takes chats only (as the ministry announced it): its number is no call link.
    line = whatsapp.find_parent("li")
    assert line.find("a", href="tel:08118080141") is None
    assert "0811-8080-141" in line.get_text()
    assert len(footer.find_all("li", class_="office")) == 3


def test_load_demo_fills_only_what_the_editor_left_empty(site_setup):
    contact = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    contact.office_name = "Kantor Imigrasi Kelas II Uji"
    contact.hotlines = [("hotline", {"organisation": "Kantor", "number": "021 555 0101"})]
    contact.save()  # a site set up before offices existed

    site_content.load(io.StringIO())
    contact = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    assert contact.office_name == "Kantor Imigrasi Kelas II Uji" and contact.office_address == ""
    assert [hotline.value["number"] for hotline in contact.hotlines] == ["021 555 0101"]
    assert len(contact.offices) == 3

    contact.offices = [("office", {"name": "BP3MI Uji", "area": "Uji", "location": "Kota Uji"})]
    contact.save()
    generation = page_cache.generation()
    site_content.load(io.StringIO())
    contact = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    assert [office.value["name"] for office in contact.offices] == ["BP3MI Uji"]
    assert page_cache.generation() == generation  # nothing filled, nothing saved: the page cache stays


def test_demo_pages_render_without_placeholder_text(site_setup):
    site_content.load(io.StringIO())
    client = Client()
    paths = ["/", "/en/", "/materi/", "/en/material/", "/tentang/", "/en/about/"]
    paths += [page.url for page in MaterialPage.objects.live()]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode().lower()
        assert "pimpasa" in html, path  # the site's own page, not an empty answer
        assert "lorem" not in html and "ipsum" not in html and "todo" not in html, path
    leaflet_page = client.get("/materi/syarat-dan-langkah-pmi-prosedural/").content.decode()
    assert re.search(r"Unduh \(PDF, [\d,.]+\xa0KB\)", leaflet_page)


def test_demo_hotlines_read_in_english_on_english_pages_and_an_older_site_gets_the_wording(site_setup):
    site_content.load(io.StringIO())
    english_footer = BeautifulSoup(Client().get("/en/").content, "html.parser").find("footer")
    labels = [label.text for label in english_footer.find_all(class_="hotline__org")]
    assert labels == [
        "KP2MI (Halo PMI, 24 hours)",
        "KP2MI from abroad",
        "KP2MI (WhatsApp service)",
        "Kemnaker (Ministry of Manpower)",
        "Police (emergency)",
    ]
    assert not re.search(
        r"\b(jam|dari luar negeri|layanan|darurat|tanyakan|Seluruh)\b", english_footer.get_text()
    )

    # A site whose demo hotlines were stored before the English fields existed gets them on the next
    # run; a hotline an editor wrote stays exactly as written.
    contact = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    contact.hotlines = [
        ("hotline", {"organisation": "Polri (darurat)", "number": "110", "toll_free": True}),
        ("hotline", {"organisation": "Kantor", "number": "021 555 0101"}),
    ]
    contact.save()
    site_content.load(io.StringIO())
    contact = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    assert [hotline.value.get("organisation_en") or "" for hotline in contact.hotlines] == [
        "Police (emergency)",
        "",
    ]
