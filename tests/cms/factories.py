"""Factories for the public site's pages, topics and media."""

import io

import factory
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale

from cms.models import MaterialIndexPage, MaterialPage, StandardPage, Topic


def png_bytes(size=(800, 450), colour="#0b3c6d"):
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_image_model()

    title = factory.Sequence(lambda n: f"Gambar {n}")
    file = factory.LazyFunction(lambda: ImageFile(io.BytesIO(png_bytes()), name="gambar.png"))


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_document_model()
        skip_postgeneration_save = True  # metadata() saves once it has measured the file

    title = factory.Sequence(lambda n: f"Leaflet {n}")
    file = factory.django.FileField(filename="leaflet.pdf", data=b"%PDF-1.4\n" + b"x" * 2040)

    @factory.post_generation
    def metadata(document, create, extracted, **kwargs):
        document._set_document_file_metadata()
        if create:
            document.save()


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topik {n}")
    slug = factory.Sequence(lambda n: f"topik-{n}")
    locale = factory.LazyFunction(Locale.get_default)


class PageFactory(factory.django.DjangoModelFactory):
    """Adds the page under `parent` and publishes it, like an editor would."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Halaman {n}")

    @classmethod
    def _create(cls, model_class, *args, parent, topics=(), **kwargs):
        from django.utils.text import slugify

        kwargs["slug"] = kwargs.get("slug") or slugify(kwargs["title"])
        kwargs.setdefault("locale", parent.locale)
        page = model_class(**kwargs)
        if topics:
            page.topics.set(topics)
        parent.add_child(instance=page)
        page.save_revision().publish()
        page.refresh_from_db()
        return page


class MaterialIndexPageFactory(PageFactory):
    class Meta:
        model = MaterialIndexPage

    title = "Materi"
    slug = "materi"


class MaterialPageFactory(PageFactory):
    class Meta:
        model = MaterialPage

    title = factory.Sequence(lambda n: f"Materi nomor {n}")
    slug = None
    intro = "Ringkasan singkat materi ini untuk warga."
    body = factory.LazyFunction(lambda: [{"type": "paragraph", "value": "<p>Isi materi.</p>"}])


class StandardPageFactory(PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"Halaman biasa {n}")
    slug = None
    intro = "Pengantar halaman."
