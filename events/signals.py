"""Keep the check-in cache honest: any change to a session drops its cached copy. Mark a logout,
so its response clears what field mode kept on the phone (events.middleware)."""

from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from events.models import Session
from events.services.checkin_cache import forget_session


@receiver(post_save, sender=Session)
@receiver(post_delete, sender=Session)
def session_changed(sender, instance, **kwargs):
    forget_session(instance.pk)


@receiver(m2m_changed, sender=Session.topics.through)
def session_topics_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, Session):
        forget_session(instance.pk)


@receiver(user_logged_out)
def mark_logout(sender, request, **kwargs):
    if request is not None:
        request.logged_out = True
