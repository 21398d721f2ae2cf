"""What the health checks ask: can the database, the shared cache and the task worker be reached?

`/healthz` is for the load balancer: 503 takes a web process out when what every request needs (the
database, and Redis when the site is configured with it) does not answer. `/healthz/worker` is for the
supervisor of the task worker: django-q's cluster writes a heartbeat (its `Stat`) every guard cycle,
half a second apart, and keeps it for 3 s; a hung or half-killed cluster stops writing it.
"""

import logging

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.status import Stat
from django_redis import get_redis_connection
from django_redis.cache import RedisCache
from redis.exceptions import RedisError

from pimpasa.client import proxy_bypass_report, proxy_count
from pimpasa.outages import FAILED_HEALTH_CHECKS, redis_answered, redis_failed

logger = logging.getLogger(__name__)

# A heartbeat older than this means the cluster's guard loop has stopped turning.
WORKER_STALE_SECONDS = 60


def database_reachable():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database is unreachable")
        return False
    return True


def redis_status():
    """ "ok", "unreachable", or "not used" when the site runs without Redis (the embedded default)."""
    if not isinstance(caches["default"], RedisCache):
        return "not used"
    try:
        get_redis_connection("default").ping()
    except RedisError as error:
        redis_failed(FAILED_HEALTH_CHECKS, error)  # a line a minute, not one per probe
        return "unreachable"
    redis_answered()  # closes this process's outage in the log (pimpasa.outages), if one was open
    return "ok"


def last_worker_heartbeat():
    """When a django-q cluster last reported, or None if none has within the last few seconds."""
    try:
        stats = Stat.get_all(broker=get_broker())
    except Exception:  # the broker is Redis or the database: either may be down
        logger.warning("Health check: the task broker could not be asked for the worker's heartbeat")
        return None
    times = [stat.timestamp for stat in stats if getattr(stat, "timestamp", None)]
    return max(times) if times else None


def worker_status(now=None):
    now = now or timezone.now()
    heartbeat = last_worker_heartbeat()
    age = (now - heartbeat).total_seconds() if heartbeat else None
    fresh = age is not None and age <= WORKER_STALE_SECONDS
    return {
        "status": "ok" if fresh else "stale",
        "last_heartbeat": heartbeat.isoformat() if heartbeat else None,
        "age_seconds": round(age, 1) if age is not None else None,
        "cluster": settings.Q_CLUSTER.get("name"),
    }


def proxy_status():
    """The reverse proxy as the web processes saw it: "not used" (PIMPASA_PROXY_COUNT = 0), "ok", or
    "bypassed" with what came past it lately (requests without its header, or from a peer outside
    PIMPASA_TRUSTED_PROXIES: gunicorn reachable directly), each with a count and when last seen."""
    count = proxy_count()
    if count <= 0:
        return {"status": "not used", "count": 0}
    report = proxy_bypass_report()
    return {"status": "bypassed" if report else "ok", "count": count, "bypass": report}
