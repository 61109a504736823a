"""The visible page tree, for the menu, breadcrumbs and section lists, and the crisis line.

Built with one query from ``Page.objects.published()`` and cached under a key
that changes whenever any page is saved, added or deleted, or the site settings
are saved, so every app server sees an editor's change at once without having
to be told.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, Max, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Page, SiteSettings

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
        self.roots = []
        for page in sorted(pages, key=lambda p: (p.depth, p.position, p.title)):
            node = Node(page.path, page.title, page.get_absolute_url(), page.show_in_menu)
            self.by_path[page.path] = node
            parent_path = page.path.rpartition("/")[0]
            if not parent_path:
                self.roots.append(node)
            elif parent_path in self.by_path:
                self.by_path[parent_path].children.append(node)

    @property
    def menu(self):
        return [node for node in self.roots if node.show_in_menu]

    def breadcrumbs(self, page):
        """Visible ancestors of ``page``, top first."""
        return [self.by_path[p] for p in page.ancestor_paths() if p in self.by_path]

    def children(self, page):
        node = self.by_path.get(page.path)
        return node.children if node else []


def _cache_key():
    settings_saved = Subquery(
        SiteSettings.objects.filter(pk=SiteSettings.SINGLETON_PK).order_by().values("updated_at")
    )
    stamp = Page.objects.aggregate(
        latest=Max("updated_at"),
        count=Count("pk"),
        # Both tables in one query. aggregate() only takes aggregates, hence the
        # Max over a constant; with no pages that is NULL, hence the Coalesce.
        settings=Coalesce(Max(settings_saved), settings_saved),
    )
    latest, settings = (
        stamp[name].timestamp() if stamp[name] else 0 for name in ("latest", "settings")
    )
    return f"pages:tree:{stamp['count']}:{latest}:{settings}"


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


def _build():
    now = timezone.now()
    pages = list(
        Page.objects.published().only(
            "path", "title", "position", "show_in_menu", "is_home", "parent_id"
        )
    )
    tree = SiteTree(pages)
    tree.crisis_line = _crisis_line(pages, tree)
    # A scheduled page appears at its time with no worker: the cached tree
    # simply expires then.
    next_publish = (
        Page.objects.filter(publish_at__gt=now)
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
    ).first()
    expires = min(next_publish or now + MAX_TREE_AGE, now + MAX_TREE_AGE)
    return tree, max(1, int((expires - now).total_seconds()) + 1)


def get_tree():
    """The current visible tree: one cheap query, plus one more when it is rebuilt."""
    key = _cache_key()
    tree = cache.get(key)
    if tree is None:
        tree, timeout = _build()
        cache.set(key, tree, timeout)
        cache.set(LAST_CRISIS_LINE_KEY, tree.crisis_line, None)
    return tree


def tree_for(request):
    """``get_tree()``, asked once per request however many views and templates use it."""
    tree = getattr(request, "_site_tree", None)
    if tree is None:
        tree = request._site_tree = get_tree()
    return tree
