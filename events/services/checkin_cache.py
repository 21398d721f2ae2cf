"""The session a check-in needs, cached in two tiers.

Every attendee of a session reads the same row, its area and its topics: on a busy evening those
reads were most of a check-in's database work. The shared cache (Redis in production) keeps the
session for a minute; each process keeps its own copy for a few seconds more in front of it, which
saves even the Redis round trip for all but the first attendee per process and few seconds.

Saving or deleting a session, or changing its topics, drops both copies in the process that made the
change and the shared copy for everyone (events.signals); other processes follow within
LOCAL_SECONDS. A check-in that lands in those seconds after an officer cancels or finishes a session
is one that could as well have arrived a moment earlier; capacity is never read from here.
"""

from django.core.cache import cache, caches

from events.models import Session

SHARED_SECONDS = 60
LOCAL_SECONDS = 3


def cache_key(pk):
    # The version part changes when the cached shape does, so old entries are never unpickled.
    return f"events:checkin-session:v2:{pk}"


def session_for_checkin(pk):
    """The session with its area, its office (for the footer) and topics loaded, or None when there is no such session."""
    key, local = cache_key(pk), caches["local"]
    session = local.get(key)
    if session is None:
        session = cache.get(key)
        if session is None:
            session = (
                Session.objects.select_related("area__office")
                .prefetch_related("topics")
                .filter(pk=pk)
                .first()
            )
            if session is None:
                return None
            cache.set(key, session, SHARED_SECONDS)
        local.set(key, session, LOCAL_SECONDS)
    return session


def forget_session(pk):
    cache.delete(cache_key(pk))
    caches["local"].delete(cache_key(pk))
