"""Public pages: the same bytes for every anonymous visitor, so any shared cache may keep them.

An anonymous GET or HEAD gets ``Cache-Control: public`` with ``s-maxage`` and a strong
ETag; Varnish (deploy/varnish.vcl) or a CDN keeps the page until the app purges it
after a committed change (pages/frontend_cache.py). The rendered bytes are also kept in
Django's cache under the site stamp, so without a shared cache in front a page is still
rendered once per change. Staff, previews and visitors with a flash message waiting
(Django's session or messages cookie) get ``private, no-store``.
"""

import functools
import hashlib
import math
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpResponse
from django.http.request import split_domain_port
from django.utils import timezone
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
)

from .recent import recent_pages
from .tree import get_tree, site_stamp

# Entries of an old stamp are never read again; this only bounds their memory.
TIMEOUT = 6 * 60 * 60
DEFAULT_PORTS = {"http": "80", "https": "443"}


def is_public(request):
    """True when the answer is the same for everyone asking: a GET or HEAD with neither a
    session (staff) nor a flash message waiting (the thank-you after feedback).

    Decided on the cookies alone, as Varnish decides, so no anonymous view loads a
    session or a user. An emptied cookie counts as none.
    """
    return (
        request.method in ("GET", "HEAD")
        and not request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        and not request.COOKIES.get(CookieStorage.cookie_name)
    )


def origin(request):
    """``scheme://host`` for absolute links in public pages, the same for every variant of
    the Host header: lower case, and a port only when it is the one the server listens on.

    A cached page must not carry a port or spelling one visitor chose (cache poisoning),
    and variants must not each make a cache entry.
    """
    # The domain comes lower-cased, and an IPv6 address in its brackets.
    host, port = split_domain_port(request.get_host())
    if port and port == request.get_port() and port != DEFAULT_PORTS.get(request.scheme):
        host += f":{port}"
    return f"{request.scheme}://{host}"


def shared_seconds(valid_until=None):
    """How long a shared cache may keep a page: PAGE_CACHE_SECONDS, but never past the
    next scheduled change (a page going live or expiring), so it takes effect unpurged."""
    seconds = settings.PAGE_CACHE_SECONDS
    if valid_until is not None:
        left = math.ceil((valid_until - timezone.now()).total_seconds())
        seconds = max(1, min(seconds, left))
    return seconds


def make_public(response, *, valid_until=None):
    """Mark ``response`` as the same for every anonymous visitor (see README, "Caching")."""
    patch_cache_control(
        response,
        public=True,
        max_age=0,  # browsers ask again each time; the answer is usually a 304
        s_maxage=shared_seconds(valid_until),
        stale_while_revalidate=settings.PAGE_CACHE_STALE_WHILE_REVALIDATE,
        stale_if_error=settings.PAGE_CACHE_STALE_IF_ERROR,
    )
    return response


def make_private(response):
    """Keep ``response`` out of every cache: it is for this one signed-in person or visit."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


def public_when_anonymous(view):
    """Answer ``view`` public to anonymous visitors (until the next scheduled change) and
    private to everyone else, like a page."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if not is_public(request):
            return make_private(response)
        if response.status_code == 200:
            make_public(response, valid_until=get_tree().valid_until)
        return response

    return wrapper


@dataclass(frozen=True)
class CachedPage:
    """A rendered public page: its bytes, strong ETag and the next scheduled change."""

    content: bytes
    content_type: str
    etag: str
    valid_until: datetime | None

    @classmethod
    def from_response(cls, response, valid_until):
        etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        return cls(response.content, response["Content-Type"], etag, valid_until)

    def expired(self):
        return self.valid_until is not None and timezone.now() >= self.valid_until

    def respond(self, request):
        response = HttpResponse(self.content, content_type=self.content_type)
        response["Content-Length"] = len(self.content)
        response["ETag"] = self.etag
        make_public(response, valid_until=self.valid_until)
        return get_conditional_response(request, etag=self.etag, response=response)


def cache_key(request, stamp):
    """The page's key: the release (cached pages name hashed static files), the site
    stamp, and the normalised address. The query string changes nothing in a page."""
    address = f"{origin(request)}{request.path}"
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"pages:view:{settings.RELEASE}:{stamp}:{digest}"


def cached_page(request, stamp):
    """The page rendered for ``request``'s address under ``stamp``, if one is current."""
    key = cache_key(request, stamp)
    entry = recent_pages.get(key) or cache.get(key)
    if entry is None or entry.expired():
        return key, None
    recent_pages.put(key, entry)
    return key, entry


class PageCacheMiddleware:
    """Answers an anonymous GET or HEAD for a page already rendered under the current
    site stamp, before URL resolution and the session, message, CSRF and sign-in
    middleware below it, none of which changes anything in a public page.

    Every other request goes on down the stack; a page view then renders and stores the
    page (``serve``) under the stamp read here, which it finds on the request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_public(request):
            try:
                request.site_stamp = site_stamp()
            except DatabaseError:
                # The views below answer for themselves (/healthz says "degraded").
                return self.get_response(request)
            entry = cached_page(request, request.site_stamp)[1]
            if entry is not None:
                return entry.respond(request)
        return self.get_response(request)


def serve(request, render):
    """The public page for ``request``, rendering it with ``render(tree)`` (which may
    raise Http404 or return a redirect) when the cache does not have it."""
    # Read before rendering, so a change saved meanwhile makes a new stamp: what is
    # rendered now can only be stored under the old one.
    stamp = getattr(request, "site_stamp", None) or site_stamp()
    key, entry = cached_page(request, stamp)
    if entry is None:
        tree = get_tree(stamp)
        response = render(tree)
        if response.status_code != 200:
            # A redirect from an old address is the same for everyone too.
            return make_public(response, valid_until=tree.valid_until)
        entry = CachedPage.from_response(response, tree.valid_until)
        cache.set(key, entry, TIMEOUT)
        recent_pages.put(key, entry)
    return entry.respond(request)
