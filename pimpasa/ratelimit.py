"""Per-client request limits kept in the shared cache (database or Redis), never in one process's memory.

A fixed window is enough here: the aim is to stop floods and code guessing, not to meter fairly.
With gunicorn's several workers a per-process counter would multiply every limit by the worker count.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone


@dataclass(frozen=True)
class Limit:
    """At most `count` hits per `seconds` for one scope and one client."""

    scope: str
    count: int
    seconds: int


def client_key(request):
    """Who is asking, as a hash: the address the proxy saw (trusted only when configured), else REMOTE_ADDR.

    The raw address is personal data; only a salted hash ever reaches the cache.
    """
    address = ""
    if getattr(settings, "PIMPASA_TRUST_X_FORWARDED_FOR", False):
        address = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[0].strip()
    address = address or request.META.get("REMOTE_ADDR", "")
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]


def hit(limit, key):
    """Count one hit; return True while the client is within the limit."""
    window = int(timezone.now().timestamp()) // limit.seconds
    cache_key = f"ratelimit:{limit.scope}:{key}:{window}"
    # add() is atomic on every backend: the first hit of a window creates the counter.
    if cache.add(cache_key, 1, timeout=limit.seconds + 1):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=limit.seconds + 1)
        return True
    return count <= limit.count


def too_many_requests(request, limit):
    """The page a throttled client sees: HTTP 429, in their language, with when to try again."""
    response = render(
        request,
        "429.html",
        {"retry_minutes": max(1, limit.seconds // 60)},
        status=429,
    )
    response["Retry-After"] = str(limit.seconds)
    return response


def is_limited(request, limit):
    """Count this request against `limit` for its client; True when it must be refused."""
    return not hit(limit, client_key(request))


__all__ = ["Limit", "client_key", "hit", "is_limited", "too_many_requests"]
