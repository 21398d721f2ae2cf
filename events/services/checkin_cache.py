"""The session a check-in needs, kept for a minute in the shared cache (Redis in production).

Every attendee of a session reads the same row, its area and its topics: on a busy evening those
reads were most of a check-in's database work. Saving or deleting a session, or changing its topics,
drops the entry at once (events.signals), so an officer's cancel or finish is never served stale.
"""

from django.core.cache import cache

from events.models import Session

CACHE_SECONDS = 60


def _key(pk):
    # The version part changes when the cached shape does, so old entries are never unpickled.
    return f"events:checkin-session:v1:{pk}"


def session_for_checkin(pk):
    """The session with its area and topics loaded, or None when there is no such session."""
    session = cache.get(_key(pk))
    if session is None:
        session = Session.objects.select_related("area").prefetch_related("topics").filter(pk=pk).first()
        if session is None:
            return None
        cache.set(_key(pk), session, CACHE_SECONDS)
    return session


def forget_session(pk):
    cache.delete(_key(pk))
