"""The visible page tree, for the menu, breadcrumbs and section lists, and the crisis line.

Built with one query from ``Page.objects.published()`` and cached under the site
stamp, which changes whenever a page is saved, added, deleted or reaches its publish
time, or the site settings are saved, so every app server sees an editor's change
at once.
"""

import functools
import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from .models import Page, SiteSettings

logger = logging.getLogger(__name__)

# Old trees are garbage once the stamp moves on; this only bounds their memory.
MAX_TREE_AGE = timedelta(hours=6)
# The crisis line as last built, kept for the 500 page, which must not touch the database.
LAST_CRISIS_LINE_KEY = "pages:crisis-line:last"


@dataclass(frozen=True)
class CrisisLine:
    """The editors' crisis wording, ready to render without a query.

    ``show`` is the site-wide switch; the text is kept even when it is off,
    because a visitor whose feedback reads as urgent is shown it regardless.
    ``url`` is empty when there is no crisis page visitors can open.
    """

    show: bool
    text: str
    link_text: str
    url: str = ""

    @classmethod
    def defaults(cls):
        """The built-in wording, for when the settings cannot be read."""
        unsaved = SiteSettings()
        return cls(True, unsaved.crisis_text, unsaved.crisis_link_text)


def last_known_crisis_line():
    """The crisis line as last built, or the defaults; never queries the database."""
    try:
        return cache.get(LAST_CRISIS_LINE_KEY) or CrisisLine.defaults()
    except Exception:
        # The error page that calls this may be reporting the cache itself failing.
        return CrisisLine.defaults()


@dataclass
class Node:
    """One visible page, as the menu and breadcrumbs need it."""

    path: str
    title: str
    url: str
    show_in_menu: bool
    children: list["Node"] = field(default_factory=list)

    @property
    def menu_children(self):
        return [child for child in self.children if child.show_in_menu]


class SiteTree:
    """Visible pages arranged as a tree, in their editors' order."""

    def __init__(self, pages):
        self.crisis_line = CrisisLine.defaults()  # _build() puts the editors' wording here
        self.by_path = {}
        # Where each visible page lives now: chosen-page links in bodies follow it.
        self.url_by_pk = {page.pk: page.get_absolute_url() for page in pages}
        self.visible_ids = frozenset(page.pk for page in pages)
        self.roots = []
        # When the next scheduled page goes live, if the stamp does not say so itself.
        self.valid_until = None
        for page in sorted(pages, key=lambda p: (p.depth, p.position, p.title)):
            node = Node(page.path, page.title, page.get_absolute_url(), page.show_in_menu)
            self.by_path[page.path] = node
            parent_path = page.path.rpartition("/")[0]
            if not parent_path:
                self.roots.append(node)
            elif parent_path in self.by_path:
                self.by_path[parent_path].children.append(node)

    def expired(self):
        return self.valid_until is not None and timezone.now() >= self.valid_until

    @property
    def menu(self):
        return [node for node in self.roots if node.show_in_menu]

    def breadcrumbs(self, page):
        """Visible ancestors of ``page``, top first."""
        return [self.by_path[p] for p in page.ancestor_paths() if p in self.by_path]

    def children(self, page):
        node = self.by_path.get(page.path)
        return node.children if node else []


GENERATION_KEY = "pages:generation"
_LOCAL_BACKENDS = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def cache_is_shared():
    """True when every worker and app server reads the same cache (Redis, Memcached...)."""
    return settings.CACHES["default"]["BACKEND"] not in _LOCAL_BACKENDS


def site_stamp():
    """A short string that changes whenever what visitors may see could have changed.

    With a shared cache it is a generation kept in that cache and replaced after every
    committed save or deletion in the pages app (``new_generation``): no query at all
    (with PostgreSQL, not even a cache read while no change is announced), and
    content cached under it carries its own expiry at the next scheduled publish
    time (``SiteTree.valid_until``). A per-process cache could not tell the other
    workers, so then the stamp is read from the database in one small query: the
    count, latest ``updated_at`` and next scheduled ``publish_at`` of all pages, and
    when the site settings were saved.
    """
    if cache_is_shared():
        return f"g{_shared_generation()}"
    with connection.cursor() as cursor:
        cursor.execute(_stamp_sql(), [connection.ops.adapt_datetimefield_value(timezone.now())])
        row = cursor.fetchone()
    return ":".join(str(value) for value in row).replace(" ", "T")


# With PostgreSQL, each change of generation is also announced on this channel, and
# each thread's database connection listens (LISTEN/NOTIFY through psycopg2).
CHANGES_CHANNEL = "ketamine_site_pages_changed"
# Even unannounced, a new generation is read from the cache within this long.
TRUST_SECONDS = 1.0


class _Heard(threading.local):
    connection = None  # the DB-API connection that LISTENs on this thread
    generation = None
    read_at = 0.0
    retry_at = 0.0


_heard = _Heard()


@functools.cache
def _can_listen():
    return connection.vendor == "postgresql" and connection.Database.__name__ == "psycopg2"


def _shared_generation():
    """The generation in the shared cache, asked for only when it may have changed.

    The round trip to Redis was a quarter of a cached page view. With PostgreSQL, a
    view keeps the generation its thread read last while its connection has heard no
    change announced (a non-blocking look at the socket) and the value is under a
    second old; a lost announcement (the database restarting at that moment) thus
    delays a change by a second at most. Inside a transaction, where announcements
    wait for its end, and on other databases, the cache is asked every time.
    """
    heard = _heard
    listening = _can_listen() and not connection.in_atomic_block
    listener = heard.connection
    if (
        listening
        and listener is not None
        and connection.connection is listener
        and heard.generation is not None
        and time.monotonic() - heard.read_at < TRUST_SECONDS
    ):
        try:
            listener.poll()  # takes in announcements already sent; never waits
        except connection.Database.Error:
            heard.connection = None  # broken: Django's health check replaces it below
        else:
            if not listener.notifies:
                return heard.generation
    if (
        listening
        and (heard.connection is None or connection.connection is not heard.connection)
        and time.monotonic() >= heard.retry_at
    ):
        # LISTEN before reading, so that no change after the read can go unheard.
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"LISTEN {CHANGES_CHANNEL}")
        except DatabaseError:
            # Pages can still come from the cache while the database is away; it is
            # asked every time until listening works again, tried once a second.
            heard.connection, heard.retry_at = None, time.monotonic() + TRUST_SECONDS
        else:
            heard.connection = connection.connection
    if heard.connection is not None:
        heard.connection.notifies.clear()  # all heard so far is in what is read next
    generation = cache.get(GENERATION_KEY)
    if generation is None:  # first use, or evicted: any new value is safe
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    heard.generation, heard.read_at = generation, time.monotonic()
    return generation


def new_generation():
    """Move the shared stamp on, so every server renders pages afresh from now on.

    Called once a change is committed; values are never reused, so a render that
    raced the change can only have been stored under the old stamp.
    """
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    if _can_listen() and cache_is_shared():
        # Announced after the new value is in the cache, so whoever hears it reads it.
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_notify(%s, '')", [CHANGES_CHANNEL])
        except DatabaseError:
            # The change is saved; other servers read it within TRUST_SECONDS.
            logger.warning("Could not announce a change of the pages", exc_info=True)


def content_changed(sender, **kwargs):
    """Receiver for saves and deletions of every model (connected in PagesConfig.ready):
    pages, their sources and the site settings all show on pages, so any change in
    this app moves the shared stamp on."""
    if sender._meta.app_label == "pages":
        # After the commit, so no server can render the old rows under the new stamp.
        transaction.on_commit(new_generation)


@functools.cache
def _stamp_sql():
    # Raw SQL on purpose: this runs on every page view, and compiling the same
    # aggregate through the ORM cost 20 times the query itself (400 µs against 20 µs).
    # Only the models' own quoted table and column names are interpolated.
    quote = connection.ops.quote_name
    table = quote(Page._meta.db_table)
    updated = quote(Page._meta.get_field("updated_at").column)
    publish = quote(Page._meta.get_field("publish_at").column)
    settings_saved = (
        f"SELECT {quote(SiteSettings._meta.get_field('updated_at').column)} "  # noqa: S608
        f"FROM {quote(SiteSettings._meta.db_table)} WHERE {quote(SiteSettings._meta.pk.column)} = "
        f"{int(SiteSettings.SINGLETON_PK)}"
    )
    return (
        f"SELECT COUNT(*), MAX({updated}), "  # noqa: S608
        f"MIN(CASE WHEN {publish} > %s THEN {publish} END), ({settings_saved}) FROM {table}"
    )


def _crisis_line(pages, tree):
    settings = SiteSettings.load()
    path = next((page.path for page in pages if page.pk == settings.crisis_page_id), None)
    node = tree.by_path.get(path)
    return CrisisLine(
        show=settings.show_crisis_line,
        text=settings.crisis_text,
        link_text=settings.crisis_link_text,
        url=node.url if node else "",
    )


# A tree never changes once built (a change of content is a change of stamp), so each
# worker keeps the ones it used last and skips fetching and unpickling them: feedback
# posts and renders after a cache miss read the tree, cached page views do not.
_recent_trees = {}


def get_tree(stamp=None):
    """The current visible tree and crisis line, from the cache while the stamp holds.

    Built with two queries (the pages and the settings; with a shared cache a third
    reads the next publish time). Pass the ``site_stamp()`` already read for this
    request to save reading it again.
    """
    key = f"pages:tree:{stamp or site_stamp()}"
    tree = _recent_trees.get(key) or cache.get(key)
    if tree is None or tree.expired():
        fields = ("path", "title", "position", "show_in_menu", "is_home", "parent_id")
        pages = list(Page.objects.published().only(*fields))
        tree = SiteTree(pages)
        tree.crisis_line = _crisis_line(pages, tree)
        if cache_is_shared():
            tree.valid_until = (
                Page.objects.filter(publish_at__gt=timezone.now())
                .order_by("publish_at")
                .values_list("publish_at", flat=True)
                .first()
            )
        cache.set(key, tree, int(MAX_TREE_AGE.total_seconds()))
        cache.set(LAST_CRISIS_LINE_KEY, tree.crisis_line, None)
    if len(_recent_trees) >= 8:
        _recent_trees.clear()
    _recent_trees[key] = tree
    return tree


def tree_for(request):
    """``get_tree()``, asked once per request however many views and templates use it
    (with the stamp the page cache already read for it, if any)."""
    tree = getattr(request, "_site_tree", None)
    if tree is None:
        tree = request._site_tree = get_tree(getattr(request, "_site_stamp", None))
    return tree
