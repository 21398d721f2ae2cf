"""Per-client request limits kept in a shared store (Redis or the database), never in one process's memory.

A fixed window is enough here: the aim is to stop floods and code guessing, not to meter fairly.
With gunicorn's several workers a per-process counter would multiply every limit by the worker count.

Where the counters live: in Redis when the site has it (production: the "default" cache), else in the
"limits" cache, a database table of their own that never culls a live counter (settings.base). They
must never share the embedded default's page cache: a DatabaseCache past its MAX_ENTRIES deletes a
third of its rows on every write, counters included, and a flood from fresh cookies would then never
be stopped. Expired counters are deleted by an hourly task (purge_expired_counters).
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.shortcuts import render
from django.utils import timezone
from django_redis import get_redis_connection
from django_redis.cache import RedisCache
from redis.exceptions import RedisError

from pimpasa.client import client_address
from pimpasa.outages import LIMIT_CHECKS, redis_answered, redis_failed
from pimpasa.schedules import ensure_schedule

LIMITS_CACHE = "limits"
PURGE_SCHEDULE = "pimpasa: delete expired limit counters"
PURGE_TASK = "pimpasa.ratelimit.purge_expired_counters"


@dataclass(frozen=True)
class Limit:
    """At most `count` hits per `seconds` for one scope and one client."""

    scope: str
    count: int
    seconds: int


def client_key(request):
    """Who is asking, as a hash of the client's address (pimpasa.client: PIMPASA_PROXY_COUNT).

    The raw address is personal data; only a salted hash ever reaches the cache.
    """
    return hashed(client_address(request))


def hashed(value):
    """A salted hash of whatever a limit counts by (an address, a phone number, a form's nonce):
    the value itself is personal data or a secret and never reaches the cache."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:32]


def device_key(request):
    """This browser, as its CSRF secret (set by CsrfViewMiddleware), hashed; "" if it has none.

    A village shares one address, never one browser: counting per browser lets 30 neighbours on one
    Wi-Fi report together while one browser sending on and on is stopped.
    """
    secret = request.META.get("CSRF_COOKIE", "")
    return hashed(f"device:{secret}") if secret else ""


def exceeded(checks):
    """Count one hit for each (limit, key) in `checks`; return the first limit that is exceeded, or None.

    Every counter is counted even when an earlier one is over, so that a flood cannot hide behind
    a limit that already refuses it. A check without a key (no device known) is skipped.
    """
    over = None
    for limit, key in checks:
        if key and not hit(limit, key) and over is None:
            over = limit
    return over


def hit(limit, key):
    """Count one hit; return True while the client is within the limit.

    With the shared cache unreachable the limit fails open (logged once a minute with the count, by
    pimpasa.outages): refusing every resident of a
    session because Redis is down would be worse than a flood that gunicorn's workers bound anyway.
    """
    count = add_hit(limit, key)
    return count is None or count <= limit.count


def add_hit(limit, key):
    """Count one hit; return the window's count so far, or None when the shared cache is unreachable."""
    try:
        return _count(_window_key(limit, key), limit.seconds + 1)
    except RedisError as error:
        redis_failed(LIMIT_CHECKS, error)
        return None


def peek(limit, key):
    """The window's count so far, without counting a hit (0 when unknown or the cache is unreachable)."""
    try:
        return int(counter_store().get(_window_key(limit, key)) or 0)
    except (RedisError, TypeError, ValueError):
        return 0


def seconds_left(limit):
    """Seconds until the current window of `limit` ends (when its counts start again from zero)."""
    now = int(timezone.now().timestamp())
    return limit.seconds - now % limit.seconds


def _window_key(limit, key):
    window = int(timezone.now().timestamp()) // limit.seconds
    return f"ratelimit:{limit.scope}:{key}:{window}"


def _count(cache_key, timeout):
    """Add one to a counter that lives `timeout` seconds from its first hit; return the new value."""
    backend = counter_store()
    if isinstance(backend, RedisCache):
        # One round trip instead of three (add, exists, incr): this runs on every check-in.
        # django-redis stores integers unserialised, so INCR works on its keys.
        client = get_redis_connection(backend_alias(backend))
        pipeline = client.pipeline(transaction=False)
        redis_key = backend.make_key(cache_key)
        pipeline.incr(redis_key)
        pipeline.expire(redis_key, timeout, nx=True)
        count, _expiry_set = pipeline.execute()
        redis_answered()
        return count
    # add() is atomic on every backend: the first hit of a window creates the counter.
    if backend.add(cache_key, 1, timeout=timeout):
        return 1
    try:
        return backend.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        backend.add(cache_key, 1, timeout=timeout)
        return 1


def counter_store():
    """Redis when the site is configured with it, else the counters' own never-culling table."""
    default = caches["default"]
    if isinstance(default, RedisCache):
        return default
    return caches[LIMITS_CACHE]


def backend_alias(backend):
    return "default" if backend is caches["default"] else LIMITS_CACHE


def purge_expired_counters():
    """The hourly task: delete the counters of windows that have ended; returns how many.

    The limits table never culls (its MAX_ENTRIES is out of reach), so without this the rows of past
    windows would pile up. Redis expires its keys itself; a store other than a database table
    (the tests' memory cache) keeps nothing worth deleting.
    """
    backend = counter_store()
    if not isinstance(backend, DatabaseCache):
        return 0
    table = settings.CACHES[LIMITS_CACHE]["LOCATION"]
    alias = router.db_for_write(backend.cache_model_class)
    connection = connections[alias]
    now = timezone.now().replace(microsecond=0)
    if not settings.USE_TZ:
        now = timezone.make_naive(now)
    # Django's own cull runs this statement; the table name comes from settings, quoted.
    sql = f"DELETE FROM {connection.ops.quote_name(table)} WHERE {connection.ops.quote_name('expires')} < %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [connection.ops.adapt_datetimefield_value(now)],
        )
        return cursor.rowcount


def ensure_schedule_exists(stdout):
    schedule, created = ensure_schedule(PURGE_SCHEDULE, PURGE_TASK, "20 * * * *")
    stdout.write(f"Schedule {'created' if created else 'kept'}: {schedule.name} (hourly).")
    return schedule


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


__all__ = [
    "Limit",
    "add_hit",
    "client_key",
    "counter_store",
    "device_key",
    "exceeded",
    "hashed",
    "hit",
    "is_limited",
    "peek",
    "purge_expired_counters",
    "seconds_left",
    "too_many_requests",
]
