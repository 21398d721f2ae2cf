"""The privacy notice every installation gets, and the demo material `make run` loads."""

import io
import re

import pytest
from django.test import Client
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from cms import bootstrap, demo
from cms.models import ContactSettings, MaterialPage, StandardPage, Topic

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
    demo.load(io.StringIO())
    first = counts()
    demo.load(io.StringIO())
    assert counts() == first
    assert first["redirects"] == 0  # translations were created under their own slugs

    indonesian = MaterialPage.objects.filter(locale__language_code="id").live()
    assert indonesian.count() >= 6
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


def test_demo_pages_render_without_placeholder_text(site_setup):
    demo.load(io.StringIO())
    client = Client()
    paths = ["/", "/en/", "/materi/", "/en/material/", "/tentang/", "/en/about/"]
    paths += [page.url for page in MaterialPage.objects.live()]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode().lower()
        assert "lorem" not in html and "ipsum" not in html and "todo" not in html, path
    leaflet_page = client.get("/materi/syarat-dan-langkah-pmi-prosedural/").content.decode()
    assert re.search(r"Unduh \(PDF, [\d,.]+\xa0KB\)", leaflet_page)
