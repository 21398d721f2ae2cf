"""No visitor waits for a picture (issue 23 point 6): publishing a page queues a task that makes the
renditions its templates show, so rendering the page afterwards creates none."""

import io
import re

import pytest
from django.test import Client
from wagtail.images import get_image_model
from wagtail.images.models import Rendition

from cms import renditions
from tests.factories import ImageFactory, MaterialPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _ahead(settings):
    settings.PIMPASA_RENDITIONS_AHEAD = True  # off for the rest of the suite (pimpasa.settings.test)
    settings.PIMPASA_PAGE_CACHE_SECONDS = 0  # every GET renders


def rendition_count():
    return Rendition.objects.count()


def publish_material(index, django_capture_on_commit_callbacks, **fields):
    # The task is queued on commit; django-q runs it inline under the test settings.
    with django_capture_on_commit_callbacks(execute=True):
        return MaterialPageFactory(parent=index, **fields)


def test_after_publishing_rendering_creates_no_renditions(
    public_site, material_index, django_capture_on_commit_callbacks
):
    home = public_site["home"]
    hero = ImageFactory()
    home.hero_image = hero
    with django_capture_on_commit_callbacks(execute=True):
        home.save_revision().publish()
    body_image = ImageFactory()
    material = publish_material(
        material_index,
        django_capture_on_commit_callbacks,
        title="Bergambar",
        image=ImageFactory(),
        body=[
            {"type": "paragraph", "value": "<p>Isi.</p>"},
            {"type": "image", "value": {"image": body_image.pk, "alt_text": "", "caption": "", "credit": ""}},
        ],
    )
    made = rendition_count()
    # Hero (3 widths) and its share picture; the material (3), its card (2), its share picture; the
    # body image (3): each width in AVIF, WebP and JPEG.
    assert made == (3 * 3 + 1) + (3 * 3 + 2 * 3 + 1) + 3 * 3
    client = Client()
    for url in ("/", "/materi/", "/materi/bergambar/", "/cari/?q=bergambar"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert rendition_count() == made, url  # nothing made while a visitor waits
    html = client.get(material.url).content.decode()
    assert re.search(r'<source [^>]*type="image/avif"', html)


def test_the_templates_ask_for_exactly_the_sets_the_task_makes(public_site, material_index):
    """One list: what a page shows is what cms.renditions makes for it, no more, no less."""
    image = ImageFactory()
    material = MaterialPageFactory(parent=material_index, title="Satu", image=image)
    Client().get("/materi/satu/")
    Client().get("/materi/")
    shown = set(image.renditions.values_list("filter_spec", flat=True))
    expected = set(renditions.page_pictures(material)[0][1])
    assert shown == expected


def test_a_changed_image_is_rendered_again_for_the_pages_that_show_it(
    public_site, material_index, django_capture_on_commit_callbacks
):
    image = ImageFactory()
    publish_material(material_index, django_capture_on_commit_callbacks, title="Satu", image=image)
    image.renditions.all().delete()  # a new file or focal point: Wagtail drops the old renditions
    image = get_image_model().objects.get(pk=image.pk)
    with django_capture_on_commit_callbacks(execute=True):
        image.focal_point_x, image.focal_point_y, image.focal_point_width, image.focal_point_height = (
            10,
            10,
            20,
            20,
        )
        image.save()
    made = rendition_count()
    assert made == 3 * 3 + 2 * 3 + 1
    Client().get("/materi/satu/")
    Client().get("/materi/")
    assert rendition_count() == made


def test_an_unpublished_or_deleted_page_makes_no_renditions(public_site, material_index):
    material = MaterialPageFactory(parent=material_index, title="Satu", image=ImageFactory())
    material.unpublish()
    assert renditions.make_for_page(material.pk) == 0
    assert renditions.make_for_page(10**9) == 0
    assert renditions.make_for_image(10**9) == 0
    assert rendition_count() == 0


def test_setup_makes_what_is_missing_for_every_live_page(public_site, material_index):
    from cms import bootstrap

    MaterialPageFactory(parent=material_index, title="Satu", image=ImageFactory())
    output = io.StringIO()
    bootstrap.ensure(output)
    assert "Pictures: 16 renditions made" in output.getvalue()
    bootstrap.ensure(output := io.StringIO())
    assert "Pictures: 0 renditions made" in output.getvalue()  # idempotent


def test_nothing_is_queued_when_turned_off(
    public_site, material_index, settings, django_capture_on_commit_callbacks
):
    settings.PIMPASA_RENDITIONS_AHEAD = False
    publish_material(material_index, django_capture_on_commit_callbacks, title="Satu", image=ImageFactory())
    assert rendition_count() == 0
