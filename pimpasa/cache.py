"""Django's Redis cache backend, with one Redis client per connection pool instead of one per call.

Django's client builds a fresh `redis.Redis` for every cache operation; each construction fills a
table of some 170 response callbacks, which cost more CPU than the round trip itself on the
check-in path (one rate-limit count and one session read per attendee). A `redis.Redis` is safe to
share between threads (its pool hands each command its own connection), so each process keeps one.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            # A race here builds two clients over the same pool; either is fine to keep.
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
