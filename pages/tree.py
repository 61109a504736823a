"""The visible page tree, for the menu, breadcrumbs and section lists.

Built with one query from ``Page.objects.published()`` and cached under a key
that changes whenever any page is saved, added or deleted, so every app server
sees an editor's change at once without having to be told.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone

from .models import Page

MAX_TREE_AGE = timedelta(hours=6)


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
    stamp = Page.objects.aggregate(latest=Max("updated_at"), count=Count("pk"))
    latest = stamp["latest"].timestamp() if stamp["latest"] else 0
    return f"pages:tree:{stamp['count']}:{latest}"


def _build():
    now = timezone.now()
    pages = Page.objects.published().only(
        "path", "title", "position", "show_in_menu", "is_home", "parent_id"
    )
    tree = SiteTree(list(pages))
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
    return tree
