"""A Redis outage costs the log one line a minute per process, with the count of what was skipped, never
a traceback per skipped call (pimpasa.outages); a real redis-server of the test's own is stopped."""

import logging

import pytest
from django.core.cache import cache

from pimpasa import outages
from pimpasa.health import redis_status
from pimpasa.ratelimit import Limit, hit
from tests.pimpasa.real_redis import RedisServer, require_redis_server

LIMIT = Limit(scope="test-outage", count=1000, seconds=600)


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(outages.REDIS, "clock", clock)
    return clock


@pytest.fixture
def redis_server(tmp_path, settings):
    require_redis_server()
    server = RedisServer(tmp_path, "--save", "", "--appendonly", "no")
    server.start()
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "pimpasa-outage-test",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        },
    }
    yield server
    server.stop()


def outage_lines(caplog):
    return [record for record in caplog.records if record.name == "pimpasa.redis"]


def test_a_long_outage_is_one_line_a_minute_with_what_was_skipped(redis_server, clock, caplog):
    caplog.set_level(logging.INFO)
    assert cache.set("up", 1) and cache.get("up") == 1 and outage_lines(caplog) == []
    redis_server.stop()

    # The first minute: hundreds of skipped cache calls and uncounted limits, one line.
    for second in range(60):
        clock.now = 1000 + second
        for _ in range(5):
            assert cache.get("page") is None
            cache.set("page", "x")
        assert hit(LIMIT, "client")  # let in, uncounted
    [first] = outage_lines(caplog)
    assert first.levelno == logging.WARNING and first.exc_info is None
    assert first.getMessage().startswith("Redis unreachable (ConnectionError: ")
    assert "cache calls skipped until it answers" in first.getMessage()
    assert "Traceback" not in caplog.text

    # A minute after that line, the next failure writes the minute's count.
    clock.now = 1060
    cache.get("page")
    lines = outage_lines(caplog)
    assert len(lines) == 2
    assert lines[1].getMessage() == (
        "Redis still unreachable after 60 s: in the last 60 s 600 cache calls skipped, "
        "60 rate-limit checks let through uncounted (661 in all)."
    )
    assert redis_status() == "unreachable"  # counted, not written: the next line is a minute away
    assert len(outage_lines(caplog)) == 2

    # Redis back: the first call that reaches it closes the outage with its total.
    redis_server.start()
    clock.now = 1075
    assert hit(LIMIT, "client")
    lines = outage_lines(caplog)
    assert len(lines) == 3
    assert lines[2].getMessage() == (
        "Redis reachable again after 75 s: 662 skipped in all (1 health checks answered 503 since the last line)."
    )
    assert not outages.REDIS.open
    assert len(caplog.records) == 3  # nothing else wrote about it either


def test_an_outage_nobody_saw_end_is_closed_by_the_next_one(clock, caplog):
    caplog.set_level(logging.INFO)
    for second in range(10):
        clock.now = 1000 + second
        outages.redis_failed(outages.CACHE_CALLS)
    # A quiet minute without a failure: the next one is a new outage, and says what the last skipped.
    clock.now = 1200
    outages.redis_failed(outages.CACHE_CALLS)
    lines = [record.getMessage() for record in outage_lines(caplog)]
    assert len(lines) == 2
    assert lines[1] == (
        "Redis unreachable (no error given): cache calls skipped until it answers; one line a minute "
        "while it lasts (an earlier outage skipped 9 more after its last line)."
    )


def test_nothing_is_written_while_redis_answers(clock, caplog):
    caplog.set_level(logging.INFO)
    for _ in range(100):
        outages.redis_answered()
    assert outage_lines(caplog) == []
