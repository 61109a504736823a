"""How many feedback posts one client may make in a time window.

Counts are kept under a keyed hash of the client's address, never the address, and
in a store every worker and app server shares: Redis when the site uses it as its
cache (FEEDBACK_RATE_CACHE names that cache), else a database table. The page cache
never holds them, so no visitor can push them out by filling it. When Redis does
not answer, posts are counted in the database instead (and a warning is logged).
"""

import functools
import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import timezone
from django.utils.crypto import salted_hmac
from redis.exceptions import RedisError

from .models import RateLimitCounter

logger = logging.getLogger(__name__)


def client_address(request):
    """The client's IP address.

    X-Forwarded-For is trusted only when the site says a proxy of its own sets
    it; then the last entry is the one that proxy added, while entries further
    left are whatever the client chose to send.
    """
    if settings.FEEDBACK_TRUST_X_FORWARDED_FOR:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")


def client_digest(request):
    """A keyed hash of the client's address: the same client, the same digest."""
    return salted_hmac(
        "feedback.ratelimit", client_address(request), algorithm="sha256"
    ).hexdigest()


def cache_key(request):
    return f"feedback:rate:{client_digest(request)}"


def allow(request):
    """Count one post from this client; False once it is over the limit for the window."""
    if settings.FEEDBACK_RATE_CACHE:
        try:
            return count_in_cache(cache_key(request)) <= settings.FEEDBACK_RATE_LIMIT
        except (RedisError, OSError):
            logger.warning(
                "The rate-limit cache did not answer: counting this feedback post in the database"
            )
    return count_in_database(client_digest(request)) <= settings.FEEDBACK_RATE_LIMIT


def count_in_cache(key):
    """This client's posts in the window so far, this one included, counted in Redis
    (atomic there, so several app servers cannot both slip under the limit)."""
    return caches[settings.FEEDBACK_RATE_CACHE].count_in_window(key, settings.FEEDBACK_RATE_WINDOW)


def count_in_database(digest):
    """This client's posts in the window so far, this one included, counted in the database.

    One upsert does it, atomic on SQLite and PostgreSQL alike, so concurrent posts
    from several workers are each counted once.
    """
    now = timezone.now()
    expired = now - timedelta(seconds=settings.FEEDBACK_RATE_WINDOW)
    adapt = connection.ops.adapt_datetimefield_value
    upsert, prune = _sql()
    with connection.cursor() as cursor:
        cursor.execute(upsert, [digest, adapt(now), adapt(expired), adapt(expired)])
        (count,) = cursor.fetchone()
        if count == 1:
            # A window began, so others may have ended: delete those, and the table
            # only ever holds the clients who posted within the last window.
            cursor.execute(prune, [adapt(expired)])
    return count


@functools.cache
def _sql():
    # Raw SQL because the ORM's upsert can only copy the new row's values, not
    # increment the stored count, and its delete() first selects what it deletes.
    # Only the model's own quoted names are interpolated.
    quote = connection.ops.quote_name
    table = quote(RateLimitCounter._meta.db_table)
    key, start, count = (
        quote(RateLimitCounter._meta.get_field(name).column)
        for name in ("key_digest", "window_start", "count")
    )
    upsert = (
        f"INSERT INTO {table} ({key}, {start}, {count}) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT ({key}) DO UPDATE SET "
        f"{count} = CASE WHEN {table}.{start} <= %s THEN 1 ELSE {table}.{count} + 1 END, "
        f"{start} = CASE WHEN {table}.{start} <= %s THEN excluded.{start} "
        f"ELSE {table}.{start} END "
        f"RETURNING {count}"
    )
    return upsert, f"DELETE FROM {table} WHERE {start} <= %s"  # noqa: S608
