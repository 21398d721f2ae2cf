"""Signal receivers: keep the page cache honest and translated material on its own topics."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import copy_for_translation_done, page_published, page_unpublished, post_page_move

from . import page_cache


def relink_translated_topics(sender, source_obj, target_obj, **kwargs):
    """A translated material keeps its source's topics; point it at their translations instead.

    Topics with no translation in the target language yet stay as they were, so nothing is lost;
    they are relinked the next time the page is translated or edited.
    """
    from .models import MaterialPage, Topic

    if not isinstance(target_obj, MaterialPage):
        return
    source_topics = list(source_obj.specific.topics.all())
    translated = {
        topic.translation_key: topic
        for topic in Topic.objects.filter(
            translation_key__in=[t.translation_key for t in source_topics], locale_id=target_obj.locale_id
        )
    }
    target_obj.topics.set([translated.get(t.translation_key, t) for t in source_topics])
    # The editor opens the latest revision, so the relinked topics go into a new one (which also
    # writes the relation to the database).
    target_obj.save_revision(clean=False, log_action=False)


def connect():
    from .models import ContactSettings, Topic

    # Anything every page shows, or any page leaving or entering the site, empties the page cache.
    page_published.connect(page_cache.invalidate, dispatch_uid="cms_cache_published")
    page_unpublished.connect(page_cache.invalidate, dispatch_uid="cms_cache_unpublished")
    post_page_move.connect(page_cache.invalidate, dispatch_uid="cms_cache_moved")
    post_delete.connect(page_cache.invalidate, sender=Page, dispatch_uid="cms_cache_deleted")
    for model in (ContactSettings, Topic):
        post_save.connect(
            page_cache.invalidate, sender=model, dispatch_uid=f"cms_cache_save_{model.__name__}"
        )
        post_delete.connect(
            page_cache.invalidate, sender=model, dispatch_uid=f"cms_cache_del_{model.__name__}"
        )
    copy_for_translation_done.connect(relink_translated_topics, dispatch_uid="cms_relink_topics")
