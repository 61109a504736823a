"""Rendered pages for anonymous visitors, shared by every worker and app server.

A cached page view costs no query with a shared cache such as Redis, or one small
one with a per-process cache (``site_stamp()`` explains why). The page is rendered
once per stamp, with every per-request part (the CSRF token, a form's signed
timestamp) left as a marker that is filled in afresh for each response: no visitor
is ever sent another visitor's token, and because the stamp changes when an editor
saves, their change is live at once everywhere.
"""

import functools
import hashlib
import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import get_conditional_response

from .tree import site_stamp, tree_for

# Entries of an old stamp are never read again; this only bounds their memory.
TIMEOUT = int(timedelta(hours=6).total_seconds())
# Entries are immutable (a change of content is a change of key), so each worker
# also keeps the ones it used last and skips the cache round trip for them.
RECENT_LIMIT = 256
_recent = {}
# Addresses this worker has served a page at, for PageCacheMiddleware.
PAGE_PATHS_LIMIT = 10_000
_page_paths = set()

_fillers = {"csrf_token": get_token}  # name -> func(request, *args) -> str


def marker(name, *args):
    """Stands for a per-request value in cached HTML; survives HTML escaping."""
    return "__per_request_" + "_".join([name, *map(str, args)]) + "__"


def register_per_request(name, func):
    """Declare ``func(request, *args) -> str`` as the source of per-request value ``name``.

    Apps whose templates put something visitor-specific into a page (a form's
    signed timestamp) register it here and render ``per_request(request, name, ...)``.
    """
    _fillers[name] = func


def is_rendering_for_cache(request):
    return getattr(request, "_pagecache_holes", None) is not None


def per_request(request, name, *args):
    """The value ``name`` for this request, or a marker while rendering for the cache."""
    if not is_rendering_for_cache(request):
        return _fillers[name](request, *args)
    request._pagecache_holes[marker(name, *args)] = (name, args)
    return marker(name, *args)


def context(request):
    """Template context overrides for a page rendered for the cache."""
    if not is_rendering_for_cache(request):
        return {}
    return {"csrf_token": per_request(request, "csrf_token")}


def applies_to(request):
    """True when the response is the same for every such request: anonymous GET or
    HEAD with no flash message waiting to be shown."""
    if request.method not in ("GET", "HEAD") or len(get_messages(request)):
        return False
    # Without a session cookie nobody is logged in; checking that first spares
    # loading a session and a user on every anonymous view.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES or (
        not request.user.is_authenticated
    )


@functools.cache
def release():
    """A digest of the code and templates that render pages, so entries made by the
    previous deploy are never served by this one (they may name old static files)."""
    digest = hashlib.sha256()
    skip = {".git", ".venv", "node_modules", "media", "staticfiles", "tests", "__pycache__"}
    for folder, subfolders, files in os.walk(settings.BASE_DIR):
        # Pruned in place, and sorted so every server walks in the same order.
        subfolders[:] = sorted(d for d in subfolders if d not in skip and not d.startswith("."))
        for name in sorted(files):
            if name.endswith((".py", ".html", ".txt")):
                digest.update(name.encode())
                digest.update((settings.BASE_DIR / folder / name).read_bytes())
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if manifest.exists():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class CachedPage:
    # The page as encoded bytes, split where per-request values go: each hole is
    # (filler name, its arguments). Joining bytes is cheaper than searching 15 KB of
    # text for each marker and encoding the result on every view.
    parts: tuple[bytes | tuple[str, tuple], ...]
    etag: str | None
    valid_until: datetime | None  # the menu's next scheduled change, if the stamp misses it

    @classmethod
    def from_render(cls, html, holes, valid_until):
        present = {mark: hole for mark, hole in holes.items() if mark in html}
        if present:
            pieces = re.split("(" + "|".join(map(re.escape, present)) + ")", html)
        else:
            pieces = [html]
        # re.split alternates text with the markers it split on.
        parts = tuple(
            present[piece] if index % 2 else piece.encode() for index, piece in enumerate(pieces)
        )
        # A 304 is only correct when nothing in the page is per-request: a page with
        # a form carries this visitor's CSRF token and a fresh timestamp, and the
        # browser's old copy would post stale ones.
        etag = None if present else f'"{hashlib.sha256(html.encode()).hexdigest()[:32]}"'
        return cls(parts, etag, valid_until)

    def expired(self):
        return self.valid_until is not None and timezone.now() >= self.valid_until

    def respond(self, request):
        response = HttpResponse(
            b"".join(
                part if type(part) is bytes else _fillers[part[0]](request, *part[1]).encode()
                for part in self.parts
            )
        )
        # The same address answers logged-in editors differently (draft previews).
        response["Vary"] = "Cookie"
        if self.etag:
            response["ETag"] = self.etag
            # Browsers keep the page but ask again each time; the answer is usually 304.
            response["Cache-Control"] = "no-cache"
            if "HTTP_IF_NONE_MATCH" in request.META:
                return get_conditional_response(request, etag=self.etag, response=response)
        return response


def lookup(request):
    """The cache key of this request's page, and its entry if one is there and current."""
    stamp = request._site_stamp = site_stamp()  # the tree of this request is read under it
    # Scheme and host are in the key because absolute links in a page use them; the
    # raw Host header will do, as CommonMiddleware has already checked it against
    # ALLOWED_HOSTS. The query string changes nothing in a page, so it is left out.
    address = f"{request.scheme}://{request.META.get('HTTP_HOST', '')}{request.path}"
    key = f"pages:view:{release()}:{stamp}:{hashlib.md5(address.encode()).hexdigest()}"  # noqa: S324
    entry = _recent.get(key)
    if entry is None:
        entry = cache.get(key)
        if entry is not None:
            _remember(key, entry)
    if entry is not None and entry.expired():
        entry = None
    return key, entry


def _remember(key, entry):
    if len(_recent) >= RECENT_LIMIT:
        _recent.clear()
    _recent[key] = entry


def serve(request, render):
    """The page for ``request`` from the cache, rendering it with ``render()`` (which
    may raise Http404 or return a redirect) when the cache does not have it."""
    key, entry = getattr(request, "_pagecache_lookup", None) or lookup(request)
    if entry is None:
        request._pagecache_holes = holes = {}
        try:
            response = render()
        finally:
            request._pagecache_holes = None
        if response.status_code != 200:
            return response
        html = response.content.decode(response.charset)
        entry = CachedPage.from_render(html, holes, tree_for(request).valid_until)
        cache.set(key, entry, TIMEOUT)
        _remember(key, entry)
    if len(_page_paths) >= PAGE_PATHS_LIMIT:
        _page_paths.clear()
    _page_paths.add(request.path)
    return entry.respond(request)


class PageCacheMiddleware:
    """Answers from the page cache before URL resolution and the view, as Django's own
    FetchFromCacheMiddleware does: resolving a page's address through the URLconf and
    calling the view cost a sixth of a cached page view.

    It looks only at addresses this worker has served a page at, so other requests
    (search, the admin, static and media files) cost nothing more than before; a miss
    goes on to the view as usual, with the lookup noted so that it is not repeated.
    Last in MIDDLEWARE, so every other middleware still handles the response (the CSRF
    cookie, the security headers).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path in _page_paths and applies_to(request):
            _, entry = request._pagecache_lookup = lookup(request)
            if entry is not None:
                return entry.respond(request)
        return self.get_response(request)
