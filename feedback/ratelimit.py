"""How many feedback posts one client may make in a time window.

Counts live only in the cache (shared by every app server when the cache is
Redis) under a keyed hash of the client's address, and expire with the window:
no address is ever written to the database or the logs.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac


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


def cache_key(request):
    digest = salted_hmac(
        "feedback.ratelimit", client_address(request), algorithm="sha256"
    ).hexdigest()
    return f"feedback:rate:{digest}"


def allow(request):
    """Count one post from this client; False once it is over the limit for the window."""
    key = cache_key(request)
    window = settings.FEEDBACK_RATE_WINDOW
    # add() starts the window only if no count exists; incr() is atomic on Redis and
    # Memcached, so several app servers cannot both slip under the limit.
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the window expired between add() and incr()
        cache.add(key, 1, timeout=window)
        count = 1
    return count <= settings.FEEDBACK_RATE_LIMIT
