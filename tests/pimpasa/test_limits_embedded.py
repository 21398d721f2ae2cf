"""Limits hold in the embedded default (`make run`, no Redis): the counters live in a table of their own
that never culls a live counter, while the page cache beside them may cull.

These tests switch to the embedded default's real cache configuration (DatabaseCache tables, as
pimpasa.settings.base builds them without REDIS_URL), not the tests' memory caches.
"""

import datetime
import io

import pytest
import time_machine
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from pimpasa import ratelimit
from pimpasa.ratelimit import Limit, exceeded, hashed, purge_expired_counters
from pimpasa.settings import base

pytestmark = pytest.mark.django_db

ADDRESS = Limit(scope="test-address", count=1500, seconds=600)
DEVICE = Limit(scope="test-device", count=10, seconds=600)


@pytest.fixture
def embedded_caches(settings):
    """The caches of `make run`: the page cache culling at Django's default 300 rows, the counters apart."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "pimpasa_cache"},
        "limits": base.EMBEDDED_LIMITS_CACHE,
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pimpasa-local"},
    }
    call_command("createcachetable", verbosity=0)  # inside the test's transaction: rolled back after
    # Limits count in fixed windows: start just after a window opens, so no run straddles two.
    start = datetime.datetime(2026, 12, 7, 1, 0, 1, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=True):
        yield caches


def rows(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        return cursor.fetchone()[0]


def test_two_thousand_devices_from_one_address_are_refused_at_the_address_ceiling(embedded_caches):
    page_cache = caches["default"]
    assert page_cache._max_entries == 300  # the page cache culls: the counters must not be beside it
    address = hashed("203.0.113.50")
    refused_at = []
    for n in range(2000):
        # A fresh browser each time (a new device key), and the site caching pages all along.
        over = exceeded([(DEVICE, hashed(f"device:{n}")), (ADDRESS, address)])
        page_cache.set(f"page:{n}", b"<html>" + bytes(200), 3600)
        if over is not None:
            refused_at.append(n + 1)
    assert refused_at[0] == ADDRESS.count + 1
    assert refused_at == list(range(ADDRESS.count + 1, 2001))  # and every one after it
    assert rows("pimpasa_cache") <= 301  # the page cache did cull ...
    assert rows("pimpasa_limits") == 2001  # ... never a counter


def test_the_hourly_task_deletes_only_the_counters_of_ended_windows(embedded_caches):
    short = Limit(scope="short", count=5, seconds=60)
    assert ratelimit.hit(short, "a") and ratelimit.hit(ADDRESS, "b")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE pimpasa_limits SET expires = %s WHERE cache_key LIKE %s",
            [
                connection.ops.adapt_datetimefield_value(timezone.now() - datetime.timedelta(minutes=1)),
                "%short%",
            ],
        )
    assert purge_expired_counters() == 1
    assert rows("pimpasa_limits") == 1
    assert ratelimit.hit(ADDRESS, "b")  # the live one still counts on: its second hit
    assert caches["limits"].get(f"ratelimit:{ADDRESS.scope}:b:{int(timezone.now().timestamp()) // 600}") == 2


def test_the_counters_store_is_redis_when_the_site_has_it_and_the_table_otherwise(settings, embedded_caches):
    assert ratelimit.counter_store() is caches["limits"]
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:6379/13"},
    }
    assert ratelimit.counter_store() is caches["default"]
    assert purge_expired_counters() == 0  # Redis expires its keys itself


def test_setup_schedules_the_hourly_purge_once():
    from django_q.models import Schedule

    for _ in range(2):
        ratelimit.ensure_schedule_exists(io.StringIO())
    schedule = Schedule.objects.get(name=ratelimit.PURGE_SCHEDULE)
    assert (schedule.func, schedule.cron) == ("pimpasa.ratelimit.purge_expired_counters", "20 * * * *")


def test_spent_proofs_of_work_stay_spent_through_a_flood(embedded_caches):
    """A flood of 400 tips in a challenge's hour: each spent solution is marked, and every one of
    them is still refused as a replay (in the culling page cache most marks would be gone)."""
    import altcha

    from pimpasa import proof_of_work

    payloads = []
    for _ in range(400):
        challenge = altcha.Challenge.from_dict(proof_of_work.new_challenge("tip"))
        payloads.append(altcha.Payload(challenge, altcha.solve_challenge(challenge)).to_base64())
    assert all(proof_of_work.verify(payload, "tip").solved for payload in payloads)
    replays = [proof_of_work.verify(payload, "tip").reason for payload in payloads]
    assert set(replays) == {proof_of_work.Reason.REPLAYED}
