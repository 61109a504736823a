"""Refusing cross-site posts from the request's own headers, with no token in the page.

Browsers say where a request comes from: ``Sec-Fetch-Site`` (all current browsers),
else ``Origin``. A post that carries neither is not from a browser a forger could
steer, so it is left to the other guards (rate limit, spam signals).
"""

import contextlib

from django.conf import settings
from django.core.exceptions import DisallowedHost

# "none": the person typed the address or used a bookmark, nothing sent them here.
SAFE_FETCH_SITES = {"same-origin", "none"}


def site_origins(request):
    """The origins (scheme included) this site answers on for this request."""
    origins = set(settings.CSRF_TRUSTED_ORIGINS)
    with contextlib.suppress(DisallowedHost):
        origins.add(f"{request.scheme}://{request.get_host()}")
    return origins


def is_cross_site(request):
    """True if a browser sent this request from another site's page."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    origin = request.headers.get("Origin")
    if fetch_site is not None:
        # A trusted origin of our own (another of our hosts) may still post here.
        return fetch_site not in SAFE_FETCH_SITES and origin not in site_origins(request)
    if origin is not None:
        return origin not in site_origins(request)
    return False
