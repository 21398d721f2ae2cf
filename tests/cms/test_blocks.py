"""Every block of the one StreamBlock renders accessible markup, from real values and from its preview."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client, RequestFactory
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.models import Site

from cms.blocks import MaterialStreamBlock
from cms.models import ContactSettings
from cms.services.page_tree import ensure_translation
from tests.factories import DocumentFactory, ImageFactory, MaterialPageFactory

pytestmark = pytest.mark.django_db

STREAM = MaterialStreamBlock()


def render(block_type, raw_value, **context):
    block = STREAM.child_blocks[block_type]
    return BeautifulSoup(block.render(block.to_python(raw_value), context=context), "html.parser")


def test_every_block_has_an_icon_a_template_and_a_preview_that_renders(public_site):
    ImageFactory()  # previews of the image and leaflet blocks show the newest of each
    DocumentFactory()
    for name, block in STREAM.child_blocks.items():
        assert block.meta.icon, name
        assert block.meta.template.startswith("blocks/"), name
        assert block.get_preview_value() is not None, name
        html = block.render(block.get_preview_value())
        assert "Traceback" not in html, name
        assert html.strip(), name


def test_paragraph_keeps_rich_text():
    soup = render("paragraph", "<p>Paspor adalah <b>milik Anda</b>.</p>")
    assert soup.find("b").text == "milik Anda"


def test_heading_levels_and_anchor():
    assert render("heading", {"text": "Tanda bahaya", "level": "h2"}).find("h2")["id"] == "tanda-bahaya"
    assert render("heading", {"text": "Rincian", "level": "h3"}).find("h3").text == "Rincian"


def test_image_with_caption_credit_and_alt_text():
    image = ImageFactory(title="Warga di balai RW")
    soup = render("image", {"image": image.pk, "alt_text": "", "caption": "Sesi di RW 17", "credit": "Humas"})
    assert soup.find("figure").find("img")["alt"] == "Warga di balai RW"
    caption = soup.find("figcaption")
    assert "Sesi di RW 17" in caption.text and "Humas" in caption.text
    custom = render(
        "image", {"image": image.pk, "alt_text": "Petugas menjelaskan", "caption": "", "credit": ""}
    )
    assert custom.find("img")["alt"] == "Petugas menjelaskan"
    assert custom.find("figcaption") is None


def test_warning_signs_are_a_list_under_a_heading():
    soup = render(
        "warning_signs", {"title": "Waspada", "intro": "", "signs": ["Gaji tinggi", "Paspor ditahan"]}
    )
    assert soup.find("h2").text.strip().endswith("Waspada")
    assert soup.find("h2").find("span")["aria-hidden"] == "true"  # the icon is not read out
    assert [li.text for li in soup.select("ul.checklist li")] == ["Gaji tinggi", "Paspor ditahan"]


def test_steps_are_an_ordered_list():
    soup = render(
        "steps",
        {
            "title": "Langkah",
            "steps": [{"title": "Daftar", "text": "Di Disnaker"}, {"title": "OPP", "text": ""}],
        },
    )
    items = soup.select("ol.steps > li")
    assert [item.find("strong").text for item in items] == ["Daftar", "OPP"]
    assert items[0].find("p").text == "Di Disnaker"


def test_faq_uses_details_and_summary_so_it_works_without_javascript():
    soup = render(
        "faq",
        {"title": "", "questions": [{"question": "Apakah gratis?", "answer": "<p>Ya, gratis.</p>"}]},
    )
    details = soup.find("details")
    assert details.find("summary").text == "Apakah gratis?"
    assert "Ya, gratis." in details.text
    assert soup.find("script") is None


@pytest.mark.parametrize(
    "kind,label", [("info", "Informasi"), ("warning", "Peringatan"), ("danger", "Bahaya")]
)
def test_callout_names_its_kind_for_screen_readers(kind, label):
    from django.utils import translation

    with translation.override("id"):
        soup = render("callout", {"kind": kind, "title": "Catatan", "text": "<p>Isi.</p>"})
    aside = soup.find("aside")
    assert f"callout--{kind}" in aside["class"] and aside["role"] == "note"
    assert aside.find(class_="visually-hidden").text.strip().startswith(label)


def test_leaflet_shows_file_type_and_size():
    document = DocumentFactory(title="Leaflet migrasi aman")
    soup = render("leaflet", {"document": document.pk, "title": "", "description": "Cetak dan bagikan."})
    link = soup.find("a")
    assert link["href"] == document.url and link.has_attr("download")
    assert "Leaflet migrasi aman" in link.text
    meta = link.find(class_="block-leaflet__meta").text
    assert "PDF" in meta and "2,0" in meta.replace(".", ",")  # 2 KB, whatever the decimal sign


def test_video_embeds_a_known_video_and_always_links_to_it():
    url = "https://www.youtube.com/watch?v=pimpasa01"
    Embed.objects.create(
        url=url,
        hash=get_embed_hash(url),
        type="video",
        html='<iframe title="Migrasi aman" src="https://www.youtube-nocookie.com/embed/pimpasa01"></iframe>',
    )
    soup = render("video", {"video": url, "title": "Migrasi aman", "transcript": "Ringkasan video."})
    assert soup.find("iframe") is not None
    assert soup.find("figcaption").find("a")["href"] == url
    assert soup.find("details").find("summary") is not None


def test_video_that_cannot_be_embedded_still_offers_its_link():
    url = "https://video.invalid/not-a-provider"
    soup = render("video", {"video": url, "title": "Video", "transcript": ""})
    assert soup.find("iframe") is None
    assert soup.find("a")["href"] == url


def test_contact_block_shows_the_site_settings(public_site):
    contact = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    contact.office_name = "Kantor Imigrasi Uji"
    contact.office_phone = "021-555 0101"
    contact.whatsapp_number = "0812 3456 7890"
    contact.hotlines = [("hotline", {"organisation": "KP2MI", "number": "0-800-1000", "toll_free": True})]
    contact.save()
    request = RequestFactory().get("/")
    soup = render("contact", {"title": "Hubungi kami", "text": ""}, request=request)
    assert "Kantor Imigrasi Uji" in soup.text
    assert soup.find("a", href="tel:08001000").text == "0-800-1000"
    assert soup.find("a", href="tel:+62215550101") is not None
    assert soup.find("a", href="https://wa.me/6281234567890") is not None


def test_contact_block_on_indonesian_and_english_pages_lists_the_offices(english_index, material_index):
    contact = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    contact.offices = [
        ("office", {"name": "BP3MI Uji", "area": "Provinsi Uji", "location": "Kota Uji", "phone": ""}),
        (
            "office",
            {"name": "KP2MI", "area": "Indonesia", "location": "Jakarta", "website": "https://kp2mi.example"},
        ),
    ]
    contact.save()
    material = MaterialPageFactory(
        parent=material_index,
        title="Materi kontak",
        body=[{"type": "contact", "value": {"title": "Hubungi", "text": ""}}],
    )
    english = ensure_translation(material, english_index.locale, title="Contact material", slug="contact")
    for page, heading, area in [
        (material, "Kantor pelindungan pekerja migran", "Wilayah layanan: Provinsi Uji"),
        (english, "Migrant worker protection offices", "Area served: Provinsi Uji"),
    ]:
        soup = BeautifulSoup(Client().get(page.url).content, "html.parser")
        block = soup.find("main").find("section", class_="block-contact")
        assert block.find("h3").text == heading, page.url
        offices = block.find_all("li", class_="office")
        assert [office.find(class_="office__name").text for office in offices] == ["BP3MI Uji", "KP2MI"]
        assert offices[0].find(class_="office__area").text == area
        assert offices[0].find("a") is None  # no phone, no website: nothing to tap
        assert offices[1].find("a", href="https://kp2mi.example").text == "kp2mi.example"


def test_testimony_is_a_figure_with_attribution():
    soup = render(
        "testimony", {"quote": "Imigrasi tidak bisa bekerja sendiri.", "name": "Kepala Kantor", "place": ""}
    )
    assert soup.find("figure").find("blockquote").text.strip() == "Imigrasi tidak bisa bekerja sendiri."
    assert "Kepala Kantor" in soup.find("figcaption").text
