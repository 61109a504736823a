"""Django's built-in Redis cache, keeping one redis-py client per connection pool.

Django's client builds a new ``redis.Redis`` for every cache call, and with redis-py
8 building one costs more than the round trip to Redis itself (55 µs against 50 µs,
measured here). A client is only a thread-safe handle on its pool, so one is kept.
Settings switch CACHE_URL=redis://... to this backend.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        if index not in self._clients:
            pool = self._get_connection_pool(write)
            self._clients[index] = self._client(connection_pool=pool)
        return self._clients[index]


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
