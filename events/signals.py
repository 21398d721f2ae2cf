"""Keep the caches honest: any change to a session drops its cached check-in copy, and any change
to a session or an area empties the public page cache, since the home page lists upcoming sessions
with their areas (cms.page_cache; events may ask cms, never the other way). Mark a logout, so its
response clears what field mode kept on the phone (events.middleware)."""

from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from cms import page_cache
from events.models import Area, Session
from events.services.checkin_cache import forget_session


@receiver(post_save, sender=Session)
@receiver(post_delete, sender=Session)
def session_changed(sender, instance, **kwargs):
    forget_session(instance.pk)
    page_cache.invalidate()


@receiver(post_save, sender=Area)
@receiver(post_delete, sender=Area)
def area_changed(sender, instance, **kwargs):
    page_cache.invalidate()


@receiver(m2m_changed, sender=Session.topics.through)
def session_topics_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, Session):
        forget_session(instance.pk)


@receiver(user_logged_out)
def mark_logout(sender, request, **kwargs):
    if request is not None:
        request.logged_out = True
