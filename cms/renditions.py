"""Every picture size the public site shows, in one place, made before any visitor asks for it.

The templates draw pictures with `{% picture_set image "card" ... %}` (cms_tags), which reads its sizes
from PICTURE_SETS; publishing a page queues `make_for_page` in the task worker, which makes exactly the
renditions that page's templates will ask for, from the same lists (they cannot drift apart). Changing
an image (a new file, a new focal point) does the same for the live pages that show it, and
`manage.py setup` / `load_demo` make whatever is still missing for every live page. A visitor therefore
never waits for an AVIF to be encoded (a cold home page took 13 s).

PIMPASA_RENDITIONS_AHEAD turns the ahead-of-time work off (the test settings do, since the task queue
runs synchronously there and most tests do not look at pictures).
"""

import logging

from django.conf import settings
from django.db import transaction
from wagtail.images.models import Filter

logger = logging.getLogger(__name__)

FORMATS = "format-{avif,webp,jpeg}"
SHARE = "fill-1200x630"
# name: the sizes of one <picture> (two or three widths for the screen's pixel density), each in AVIF,
# WebP and JPEG (the fallback).
PICTURE_SETS = {
    "hero": ("fill-{480x200,720x300,960x400}", FORMATS),  # the home page's hero
    "material": ("fill-{480x270,720x405,960x540}", FORMATS),  # the top of a material page
    "card": ("fill-{320x180,640x360}", FORMATS),  # material cards: home, index, related, search
    "body": ("width-{480,720,960}", FORMATS),  # an image block in a page's body
    "share": (SHARE,),  # the OpenGraph picture of a shared page (cms_tags.share_meta)
}


def specs(name):
    """The rendition filter specs of one picture set, e.g. specs("card")."""
    return Filter.expand_spec(list(PICTURE_SETS[name]))


def enabled():
    return getattr(settings, "PIMPASA_RENDITIONS_AHEAD", True)


def page_pictures(page):
    """[(image, [spec, ...])] for what `page`'s templates show: what the page type declares
    (`picture_sets()`: its own pictures, with a material's card on the home page, the index, related
    material and search results) and the image blocks of its body."""
    page = page.specific
    wanted = [
        (image, [spec for name in names for spec in specs(name)])
        for image, names in (page.picture_sets() if hasattr(page, "picture_sets") else [])
        if image is not None
    ]
    for block in getattr(page, "body", None) or []:
        if block.block_type == "image" and block.value.get("image") is not None:
            wanted.append((block.value["image"], specs("body")))
    return wanted


def make_for_page(page_id, image_id=None):
    """Make the renditions page `page_id` shows (only those of image `image_id` if given); returns how
    many were made. A task: the page may be gone, or no longer live, by the time it runs."""
    from wagtail.models import Page

    page = Page.objects.live().filter(pk=page_id).first()
    if page is None:
        return 0
    made = 0
    for image, wanted in page_pictures(page):
        if image_id is not None and image.pk != image_id:
            continue
        before = image.renditions.count()
        image.get_renditions(*wanted)
        made += image.renditions.count() - before
    return made


def make_for_image(image_id):
    """After an image changed: the renditions of every live page that shows it."""
    from wagtail.images import get_image_model
    from wagtail.models import Page, ReferenceIndex

    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return 0
    page_ids = {
        int(object_id)
        for object_id, model in (
            (reference.object_id, reference.base_content_type.model_class())
            for reference in ReferenceIndex.get_references_to(image).select_related("base_content_type")
        )
        if model is not None and issubclass(model, Page)
    }
    return sum(make_for_page(page_id, image_id=image.pk) for page_id in page_ids)


def make_for_live_pages():
    """Whatever is still missing for every live page (setup, load_demo); returns how many were made."""
    from wagtail.models import Page

    return sum(make_for_page(page_id) for page_id in Page.objects.live().values_list("pk", flat=True))


def _queue(function, object_id):
    from django_q.tasks import async_task

    # On commit: the worker must see the published revision (or the saved image), never an older one.
    transaction.on_commit(lambda: async_task(function, object_id, group="renditions"))


def queue_for_page(sender, instance, **kwargs):
    """page_published receiver."""
    if enabled():
        _queue(make_for_page, instance.pk)


def queue_for_image(sender, instance, created=False, **kwargs):
    """post_save receiver of the image model: a new image is shown by no page yet."""
    if enabled() and not created:
        _queue(make_for_image, instance.pk)
