"""Signal receivers: keep the page cache honest, pictures rendered ahead of visitors and translated
material on its own topics."""

from django.db.models.signals import post_delete, post_save
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.signals import copy_for_translation_done, page_published, page_unpublished, post_page_move

from offices.models import Office

from . import page_cache, privacy, renditions


def translated_topics(source, locale):
    """`source`'s topics, each replaced by its translation in `locale` where one exists (one query).

    Topics not translated yet are kept as they are, so nothing is lost.
    """
    from .models import Topic

    source_topics = list(source.topics.all())
    translations = {
        topic.translation_key: topic
        for topic in Topic.objects.filter(
            translation_key__in=[t.translation_key for t in source_topics], locale=locale
        )
    }
    return [translations.get(topic.translation_key, topic) for topic in source_topics]


def relink_translated_topics(sender, source_obj, target_obj, **kwargs):
    """A material translated in the admin (simple_translation) keeps its source's topics: point it at
    their translations instead, in a new revision, since the editor opens the latest revision."""
    from .models import MaterialPage

    if isinstance(target_obj, MaterialPage):
        target_obj.topics.set(translated_topics(source_obj.specific, target_obj.locale))
        target_obj.save_revision(clean=False, log_action=False)


def _invalidate_unless_created(sender, created, **kwargs):
    # A new (empty) settings row or an unused topic changes no page; rendering a page may even
    # create the settings row, which must not empty the cache it is about to fill.
    if not created:
        page_cache.invalidate()


def connect():
    from .models import ContactSettings, Topic

    # Anything every page shows, or any page leaving or entering the site, empties the page cache.
    page_published.connect(page_cache.invalidate, dispatch_uid="cms_cache_published")
    page_unpublished.connect(page_cache.invalidate, dispatch_uid="cms_cache_unpublished")
    post_page_move.connect(page_cache.invalidate, dispatch_uid="cms_cache_moved")
    post_delete.connect(page_cache.invalidate, sender=Page, dispatch_uid="cms_cache_deleted")
    # The privacy notice's version (what consent is recorded against) may change with any page.
    page_published.connect(privacy.forget, dispatch_uid="cms_privacy_published")
    page_unpublished.connect(privacy.forget, dispatch_uid="cms_privacy_unpublished")
    post_page_move.connect(privacy.forget, dispatch_uid="cms_privacy_moved")
    post_delete.connect(privacy.forget, sender=Page, dispatch_uid="cms_privacy_deleted")
    for model in (ContactSettings, Topic):
        post_save.connect(
            _invalidate_unless_created, sender=model, dispatch_uid=f"cms_cache_save_{model.__name__}"
        )
        post_delete.connect(
            page_cache.invalidate, sender=model, dispatch_uid=f"cms_cache_del_{model.__name__}"
        )
    # Every footer shows an office or the chooser of offices (cms.office_contact): a new, changed or
    # removed office changes pages.
    post_save.connect(page_cache.invalidate, sender=Office, dispatch_uid="cms_cache_save_office")
    post_delete.connect(page_cache.invalidate, sender=Office, dispatch_uid="cms_cache_del_office")
    copy_for_translation_done.connect(relink_translated_topics, dispatch_uid="cms_relink_topics")
    # Pictures are rendered by the task worker when a page is published or an image changes.
    page_published.connect(renditions.queue_for_page, dispatch_uid="cms_renditions_published")
    post_save.connect(
        renditions.queue_for_image, sender=get_image_model(), dispatch_uid="cms_renditions_image"
    )
