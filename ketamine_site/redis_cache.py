"""The Redis cache: django-redis, made to fail fast and soft while Redis is down.

A down Redis must not take the site down (pages then come from the database), nor
make every cache call wait for a timeout: after one call fails to reach Redis, this
backend answers at once for ``RETRY_AFTER`` seconds without trying, then tries again.
With ``FAIL_SOFT`` (the site's cache) a failure reads as a miss and a skipped write;
without it (the rate limit's counts) the error is raised for the caller to handle.
"""

import logging
import time

from django_redis.cache import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("ketamine_site.cache")

# Failures that mean "Redis is not there"; others (a full Redis refusing a write)
# concern one call only.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class FailFastRedisCache(RedisCache):
    """django-redis's cache, skipping Redis for a few seconds after it could not be reached."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.fail_soft = options.pop("FAIL_SOFT", False)
        self.retry_after = options.pop("RETRY_AFTER", 5.0)
        # Errors reach this class, which decides what becomes of them.
        options["IGNORE_EXCEPTIONS"] = False
        super().__init__(server, {**params, "OPTIONS": options})
        self.skip_until = 0.0

    def call(self, method, fallback, *args, **kwargs):
        """``method(*args, **kwargs)``, or ``fallback`` when Redis is not answering."""
        if time.monotonic() < self.skip_until:
            if self.fail_soft:
                return fallback
            raise RedisConnectionError("Redis could not be reached moments ago")
        try:
            result = method(*args, **kwargs)
        except UNREACHABLE:
            if self.skip_until == 0.0:  # once per outage, not once per retry
                logger.exception(
                    "Redis could not be reached; trying again every %ss", self.retry_after
                )
            self.skip_until = time.monotonic() + self.retry_after
            if self.fail_soft:
                return fallback
            raise
        except RedisError:
            if not self.fail_soft:
                raise
            logger.warning("A cache call failed", exc_info=True)
            return fallback
        if self.skip_until:
            logger.warning("Redis answers again")
            self.skip_until = 0.0
        return result

    def get(self, key, default=None, version=None, client=None):
        return self.call(super().get, default, key, default, version=version, client=client)

    def get_many(self, *args, **kwargs):
        return self.call(super().get_many, {}, *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self.call(super().has_key, False, *args, **kwargs)

    def set(self, *args, **kwargs):
        return self.call(super().set, False, *args, **kwargs)

    def add(self, *args, **kwargs):
        return self.call(super().add, False, *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self.call(super().set_many, [], *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self.call(super().touch, False, *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self.call(super().incr, None, *args, **kwargs)

    def decr(self, *args, **kwargs):
        return self.call(super().decr, None, *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self.call(super().delete, False, *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self.call(super().delete_many, None, *args, **kwargs)

    def clear(self):
        return self.call(super().clear, None)

    def count_in_window(self, key, seconds):
        """Add one to the count at ``key`` and return it; a count starts at the first post
        and is forgotten ``seconds`` later. One round trip: SET NX and INCR in one
        MULTI, so the count cannot expire between the two and be left without a timeout."""

        def count():
            name = self.make_key(key)
            with self.client.get_client(write=True).pipeline(transaction=True) as pipe:
                pipe.set(name, 0, ex=seconds, nx=True)
                pipe.incr(name)
                return pipe.execute()[1]

        return self.call(count, None)
