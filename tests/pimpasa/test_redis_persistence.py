"""Limit counters survive a Redis restart where Redis keeps an append-only file (docs/deployment.md,
"Redis"): a real redis-server of the test's own, killed at once and started again on the same folder."""

from pimpasa.ratelimit import Limit, hit, peek
from tests.pimpasa.real_redis import RedisServer, require_redis_server

LIMIT = Limit(scope="test-persistence", count=3, seconds=600)
DOCUMENTED = ("--appendonly", "yes", "--appendfsync", "everysec", "--save", "")
WITHOUT_PERSISTENCE = ("--appendonly", "no", "--save", "")


def use(server, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "pimpasa-persistence-test",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        },
    }


def flood_then_restart(tmp_path, settings, options):
    """Four hits against a limit of three, Redis killed and started again; the fifth hit's answer and
    the counter after it."""
    require_redis_server()
    server = RedisServer(tmp_path, *options)
    server.start()
    try:
        use(server, settings)
        assert [hit(LIMIT, "flooder") for _ in range(4)] == [True, True, True, False]
        server.crash()
        server.start()
        return hit(LIMIT, "flooder"), peek(LIMIT, "flooder")
    finally:
        server.stop()


def test_with_the_documented_append_only_file_a_limit_holds_across_a_redis_crash(tmp_path, settings):
    allowed, count = flood_then_restart(tmp_path, settings, DOCUMENTED)
    assert (allowed, count) == (False, 5)
    assert (tmp_path / "appendonlydir").is_dir()


def test_without_persistence_a_redis_crash_resets_every_limit(tmp_path, settings):
    """Why the setting is documented: the flooder starts again from zero."""
    allowed, count = flood_then_restart(tmp_path, settings, WITHOUT_PERSISTENCE)
    assert (allowed, count) == (True, 1)
