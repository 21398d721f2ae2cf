import pytest
from django.test import RequestFactory
from django_redis import get_redis_connection

from pimpasa.ratelimit import Limit, client_key, is_limited, too_many_requests

# Counts up to a limit stay in one window (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("fresh_limit_windows")

LIMIT = Limit(scope="test", count=3, seconds=60)


def request_from(address):
    return RequestFactory().get("/", REMOTE_ADDR=address)


def test_allows_up_to_the_count_then_refuses():
    request = request_from("10.0.0.1")
    assert [is_limited(request, LIMIT) for _ in range(5)] == [False, False, False, True, True]


def test_clients_are_counted_apart():
    for _ in range(3):
        is_limited(request_from("10.0.0.1"), LIMIT)
    assert is_limited(request_from("10.0.0.1"), LIMIT)
    assert not is_limited(request_from("10.0.0.2"), LIMIT)


def test_client_key_is_a_hash_not_the_address():
    key = client_key(request_from("192.168.1.20"))
    assert "192.168" not in key and len(key) == 32


@pytest.mark.parametrize(
    "language, phrase", [("id", "Terlalu banyak permintaan"), ("en", "Too many requests")]
)
def test_429_page_in_the_users_language(db, language, phrase):
    from django.utils import translation

    with translation.override(language):
        request = request_from("10.0.0.1")
        request.LANGUAGE_CODE = language
        response = too_many_requests(request, LIMIT)
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert phrase in response.content.decode()


@pytest.fixture
def redis_cache(settings):
    """The production cache: Redis (started by .ci/run; on a laptop the test skips when it is down)."""
    import os

    import redis

    url = "redis://127.0.0.1:6379/13"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis at 127.0.0.1:6379 is unreachable under CI")
        pytest.skip("Redis at 127.0.0.1:6379 is unreachable")
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "ratelimit-test",
        },
    }
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()


def test_redis_counts_in_one_round_trip_and_expires_with_the_window(redis_cache):
    request = request_from("10.0.0.7")
    assert [is_limited(request, LIMIT) for _ in range(5)] == [False, False, False, True, True]
    client = get_redis_connection("default")
    keys = list(client.scan_iter("ratelimit-test:*"))
    assert len(keys) == 1
    ttl = client.ttl(keys[0])
    assert 0 < ttl <= LIMIT.seconds + 1
    assert not is_limited(request_from("10.0.0.8"), LIMIT)


def test_the_redis_backend_keeps_one_client_per_process(redis_cache):
    # django-redis keeps its client: one per process over a connection pool, not one per call.
    assert get_redis_connection("default") is get_redis_connection("default", write=True)
    redis_cache.set("shared-client", 1)
    assert redis_cache.get("shared-client") == 1
