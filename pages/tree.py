"""The visible page tree, for the menu, breadcrumbs and section lists, and the crisis line.

Built with one query from ``Page.objects.published()`` and cached under the site
stamp, which changes whenever a page is saved, added, deleted or reaches its publish
time, or the site settings are saved, so every app server sees an editor's change
at once.
"""

import functools
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Min, Q
from django.utils import timezone

from .models import Page, SiteSettings
from .recent import recent_pages

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
        # The next scheduled change (next_scheduled_change()), if the stamp misses it.
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
    committed save or deletion in the pages app (``new_generation``): one cache read,
    no query, and content cached under it carries its own expiry at the next
    scheduled change (``SiteTree.valid_until``). A per-process cache could not tell the other
    workers, so then the stamp is read from the database in one small query: the
    count, latest ``updated_at`` and next ``publish_at`` and ``expire_at`` to come, and
    when the site settings were saved.
    """
    if cache_is_shared():
        generation = cache.get(GENERATION_KEY)
        if generation is None:  # first use, or evicted: any new value is safe
            cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
            generation = cache.get(GENERATION_KEY)
        if generation is not None:
            return f"g{generation}"
        # The shared cache did not answer (it reads as empty then): the stamp comes
        # from the database, so an editor's change still shows at once.
    with connection.cursor() as cursor:
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        cursor.execute(_stamp_sql(), [now, now])
        row = cursor.fetchone()
    return ":".join(str(value) for value in row).replace(" ", "T")


def new_generation():
    """Move the shared stamp on, so every server renders pages afresh from now on.

    Called once a change is committed; values are never reused, so a render that
    raced the change can only have been stored under the old stamp.
    """
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


@functools.cache
def _stamp_sql():
    # Raw SQL on purpose: this runs on every page view, and compiling the same
    # aggregate through the ORM costs many times the query itself (see the README's
    # benchmark). Only the models' own quoted table and column names are interpolated.
    quote = connection.ops.quote_name
    table = quote(Page._meta.db_table)
    updated = quote(Page._meta.get_field("updated_at").column)
    publish = quote(Page._meta.get_field("publish_at").column)
    expire = quote(Page._meta.get_field("expire_at").column)
    settings_saved = (
        f"SELECT {quote(SiteSettings._meta.get_field('updated_at').column)} "  # noqa: S608
        f"FROM {quote(SiteSettings._meta.db_table)} WHERE {quote(SiteSettings._meta.pk.column)} = "
        f"{int(SiteSettings.SINGLETON_PK)}"
    )
    return (
        f"SELECT COUNT(*), MAX({updated}), "  # noqa: S608
        f"MIN(CASE WHEN {publish} > %s THEN {publish} END), "
        f"MIN(CASE WHEN {expire} > %s THEN {expire} END), ({settings_saved}) FROM {table}"
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


def next_scheduled_change():
    """When the next page goes live or the next expiring page leaves, if either is coming.

    Whatever is cached of the visible site (the tree here, public pages in Django's
    cache and in Varnish) is kept no longer than this, so a schedule needs no cron job.
    """
    now = timezone.now()
    times = Page.objects.aggregate(
        publish=Min("publish_at", filter=Q(publish_at__gt=now)),
        expire=Min("expire_at", filter=Q(expire_at__gt=now)),
    )
    return min((time for time in times.values() if time is not None), default=None)


def get_tree(stamp=None):
    """The current visible tree and crisis line, from the cache while the stamp holds.

    Built with three queries (the pages, the settings and the next scheduled change).
    Pass the ``site_stamp()`` already read to save reading it again.
    """
    key = f"pages:tree:{stamp or site_stamp()}"
    tree = recent_pages.get(key) or cache.get(key)
    if tree is None or tree.expired():
        fields = ("path", "title", "position", "show_in_menu", "is_home", "parent_id")
        pages = list(Page.objects.published().only(*fields))
        tree = SiteTree(pages)
        tree.crisis_line = _crisis_line(pages, tree)
        tree.valid_until = next_scheduled_change()
        cache.set(key, tree, int(MAX_TREE_AGE.total_seconds()))
        cache.set(LAST_CRISIS_LINE_KEY, tree.crisis_line, None)
    recent_pages.put(key, tree)
    return tree
