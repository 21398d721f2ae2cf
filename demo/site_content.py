"""Demo content for the embedded default (`manage.py load_demo`): topics, material in Indonesian with
English translations, an about page, the contact settings, a generated picture per material and a
printable leaflet. Idempotent: what exists (matched by slug or title) is left as it is.
"""

import io

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PillowImage
from PIL import ImageDraw, ImageFont
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Site

from cms import bootstrap, renditions
from cms.models import ContactSettings, MaterialIndexPage, MaterialPage, StandardPage, Topic
from cms.services.page_tree import ensure_child_page, ensure_home_page, ensure_locales, ensure_translation
from demo.accounts import refuse_in_production
from demo.material import ABOUT, CONTACT_SETTINGS, HOME, INDEX, MATERIALS, TOPICS

LEAFLET_TITLE = "Leaflet: Bekerja ke Luar Negeri secara Resmi"
# Picture themes: a background colour and a short caption drawn on it.
PICTURES = {
    "warning": ("#8a1c1c", "Waspada tawaran kerja palsu"),
    "steps": ("#0b3c6d", "Jalur resmi PMI"),
    "check": ("#1d5e32", "Cek izin P3MI"),
    "watch": ("#4d5761", "Warga peduli, negara terjaga"),
    "route": ("#6b4a00", "Laporan Anda ditindaklanjuti"),
    "faq": ("#072a4d", "Tanya jawab Ngopi Pimpasa"),
}


def _font(size):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow built without FreeType: the fixed bitmap font
        return ImageFont.load_default()


def picture_bytes(colour, caption):
    """A demo picture as PNG bytes: a colour, a calm pattern and a caption (the demo material's and the
    benchmarks' pictures)."""
    picture = PillowImage.new("RGB", (1200, 675), colour)
    draw = ImageDraw.Draw(picture)
    for offset in range(0, 1200, 150):  # a calm diagonal pattern, so crops still look deliberate
        draw.line([(offset, 675), (offset + 400, 0)], fill="#ffffff", width=3)
    draw.rectangle([(60, 420), (1140, 600)], fill="#ffffff")
    draw.text((90, 470), caption, fill=colour, font=_font(64))
    draw.text((90, 80), "Ngopi Pimpasa", fill="#f2b233", font=_font(48))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def ensure_picture(key):
    Image = get_image_model()
    colour, caption = PICTURES[key]
    image = Image.objects.filter(title=caption).first()
    if image is None:
        picture = ImageFile(io.BytesIO(picture_bytes(colour, caption)), name=f"pimpasa-{key}.png")
        image = Image.objects.create(title=caption, description=caption, file=picture)
    return image


def _leaflet_bytes():
    lines = [
        "Bekerja ke Luar Negeri secara Resmi",
        "",
        "Dokumen: KTP, izin keluarga, surat sehat dan psikologi,",
        "sertifikat kompetensi, paspor, visa kerja, perjanjian kerja.",
        "",
        "1. Daftar di Disnaker kabupaten/kota.",
        "2. Ikuti pemeriksaan kesehatan dan psikologi.",
        "3. Ikuti pelatihan dan uji kompetensi.",
        "4. Tanda tangani perjanjian kerja yang Anda pahami.",
        "5. Daftar BPJS Ketenagakerjaan.",
        "6. Ikuti Orientasi Pra Pemberangkatan (OPP).",
        "",
        "Waspada: gaji tinggi tanpa keahlian, visa turis untuk bekerja,",
        "biaya di muka, paspor ditahan agen.",
        "",
        "Pusat panggilan KP2MI (bebas pulsa): 0-800-1000",
    ]
    page = PillowImage.new("RGB", (1240, 1754), "white")  # A4 at 150 dpi
    draw = ImageDraw.Draw(page)
    draw.rectangle([(0, 0), (1240, 160)], fill="#0b3c6d")
    draw.text((80, 50), "Ngopi Pimpasa", fill="white", font=_font(64))
    for number, line in enumerate(lines):
        draw.text((80, 240 + number * 62), line, fill="#1b1f24", font=_font(34))
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=150)
    return buffer.getvalue()


def ensure_leaflet():
    Document = get_document_model()
    document = Document.objects.filter(title=LEAFLET_TITLE).first()
    if document is None:
        document = Document(title=LEAFLET_TITLE)
        document.file.save("leaflet-migrasi-aman.pdf", ContentFile(_leaflet_bytes()), save=False)
        document._set_document_file_metadata()  # size and hash, as Wagtail's upload form records them
        document.save()
    return document


def ensure_topics(locales):
    """Topics by key, per language: {"id": {key: Topic}, "en": {...}}."""
    topics = {"id": {}, "en": {}}
    for key, (id_name, id_slug, id_description), (en_name, en_slug, en_description) in TOPICS:
        source, _ = Topic.objects.get_or_create(
            slug=id_slug, locale=locales["id"], defaults={"name": id_name, "description": id_description}
        )
        translation, _ = Topic.objects.get_or_create(
            translation_key=source.translation_key,
            locale=locales["en"],
            defaults={"name": en_name, "slug": en_slug, "description": en_description},
        )
        topics["id"][key], topics["en"][key] = source, translation
    return topics


def _with_leaflet(body, leaflet, description):
    if leaflet is None:
        return body
    block = {"type": "leaflet", "value": {"document": leaflet.pk, "title": "", "description": description}}
    return [*body[:-1], block, body[-1]]


def ensure_material(index, english_index, material, topics, leaflet):
    image = ensure_picture(material["image"])
    text = material["id"]
    page = MaterialPage(
        title=text["title"],
        slug=text["slug"],
        intro=text["intro"],
        image=image,
        featured=material["featured"],
        body=_with_leaflet(text["body"], leaflet if material.get("leaflet") else None, "Cetak dan bagikan."),
    )
    page.topics.set([topics["id"][key] for key in material["topics"]])
    page = ensure_child_page(index, page)
    english = material["en"]
    ensure_translation(
        page,
        english_index.locale,
        title=english["title"],
        slug=english["slug"],
        intro=english["intro"],
        body=_with_leaflet(english["body"], leaflet if material.get("leaflet") else None, "Print and share."),
    )
    return page


def ensure_contact_settings():
    """Fill what is still empty, so a site made before a field existed gets it on the next run too;
    whatever an editor has set stays as it is."""
    contact = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    filled = False
    if not contact.office_name:
        contact.office_name = CONTACT_SETTINGS["office_name"]
        contact.office_address = CONTACT_SETTINGS["office_address"]
        filled = True
    for field, block_type in (("hotlines", "hotline"), ("offices", "office")):
        if not getattr(contact, field):
            setattr(contact, field, [(block_type, value) for value in CONTACT_SETTINGS[field]])
            filled = True
        elif _add_english_wording(getattr(contact, field), CONTACT_SETTINGS[field]):
            filled = True
    if filled:  # saving empties the page cache: only when something changed
        contact.save()
    return contact


def _add_english_wording(stream, demo_values):
    """Give the demo's own entries their English wording where a site made before those fields
    existed has none; an entry an editor wrote or changed is left alone."""
    added = False
    for block in stream:
        demo = next(
            (
                value
                for value in demo_values
                if all(block.value.get(k) == v for k, v in value.items() if not k.endswith("_en"))
            ),
            None,
        )
        for key in demo or {}:
            if key.endswith("_en") and not block.value.get(key):
                block.value[key] = demo[key]
                added = True
    return added


def _fill_home(home, text, cta_page, image):
    """Give a home page its hero, unless an editor already wrote one."""
    home = home.specific
    if home.hero_cta_page_id:
        return home
    home.hero_heading = home.hero_heading or text["hero_heading"]
    home.hero_text = home.hero_text or text["hero_text"]
    home.hero_cta_text = text["hero_cta_text"]
    home.hero_cta_page = cta_page
    home.hero_image = image
    home.save_revision(log_action=False).publish(log_action=False)
    return home


@transaction.atomic
def load(stdout):
    refuse_in_production()
    bootstrap.ensure(stdout)
    locales = ensure_locales()
    home = ensure_home_page()
    english_home = home.get_translation(locales["en"]).specific
    topics = ensure_topics(locales)
    leaflet = ensure_leaflet()
    ensure_contact_settings()

    index = ensure_child_page(home, MaterialIndexPage(**INDEX["id"]))
    english_index = ensure_translation(index, locales["en"], **INDEX["en"])
    about = ensure_child_page(home, StandardPage(**ABOUT["id"]))
    ensure_translation(about, locales["en"], **ABOUT["en"])
    for material in MATERIALS:
        ensure_material(index, english_index, material, topics, leaflet)

    hero_image = ensure_picture("steps")
    _fill_home(home, HOME["id"], index, hero_image)
    _fill_home(english_home, HOME["en"], index, hero_image)
    stdout.write(
        f"Public site demo: {len(TOPICS)} topics and {len(MATERIALS)} materials in Indonesian and English, "
        "an about page, contact settings and a leaflet."
    )
    if renditions.enabled():  # the first visit after `make run` finds every picture ready
        stdout.write(f"Pictures: {renditions.make_for_live_pages()} renditions made ahead of visitors.")
