"""Invalidation after each committed change in the pages app: the one way pages go stale.

Once a change is committed, the site stamp moves on (the app's own cache of pages and
tree, pages/tree.py) and every configured shared cache in front forgets what the change
affects: a page's own address (with the search results and the sitemap) when only its
content changed, or every page when the menu, the tree or the site settings may have.
Shared caches are configured in ``settings.FRONTEND_CACHES``, each with a ``BACKEND``
class (a ``FrontendCacheBackend``) and a ``LOCATION``, as Wagtail's frontend_cache does.
"""

import logging
from functools import partial
from http.client import HTTPConnection, HTTPSConnection
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete
from django.urls import reverse
from django.utils.module_loading import import_string

from .models import Page, Redirect, Source
from .tree import new_generation

logger = logging.getLogger(__name__)

# What a page shows of itself in the menu, breadcrumbs, section lists and other pages,
# or whether it is visible at all: a change to any of them changes other pages too.
TREE_FIELDS = (
    "title",
    "slug",
    "parent",
    "path",
    "position",
    "show_in_menu",
    "is_home",
    "status",
    "publish_at",
    "expire_at",
)


class FrontendCacheBackend:
    """A shared cache in front of the app servers, which the app can tell to forget pages.

    Subclasses implement ``purge(paths)`` and ``purge_all()``; errors they raise are
    logged by ``purge()``, never shown to the editor whose save caused them.
    """

    def __init__(self, location, *, timeout):
        self.location = location
        self.timeout = timeout

    def purge(self, paths):
        raise NotImplementedError

    def purge_all(self):
        raise NotImplementedError


class VarnishBackend(FrontendCacheBackend):
    """Varnish with deploy/varnish.vcl: ``PURGE /path/`` forgets that address (whatever
    its query string or Host), ``BAN /`` forgets everything. Accepted from app servers only."""

    def purge(self, paths):
        self.send([("PURGE", path) for path in paths])

    def purge_all(self):
        self.send([("BAN", "/")])

    def send(self, requests):
        address = urlsplit(self.location)
        connection_class = HTTPSConnection if address.scheme == "https" else HTTPConnection
        connection = connection_class(address.hostname, address.port, timeout=self.timeout)
        try:
            for method, path in requests:
                connection.request(method, path)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    logger.warning(
                        "%s %s refused by %s: %s %s",
                        method,
                        path,
                        self.location,
                        response.status,
                        response.reason,
                    )
        finally:
            connection.close()


def backends():
    return [
        import_string(config["BACKEND"])(
            config["LOCATION"], timeout=settings.FRONTEND_CACHE_TIMEOUT
        )
        for config in settings.FRONTEND_CACHES
    ]


def purge(paths=None):
    """Make every shared cache forget ``paths``, or every page when ``paths`` is None.

    A cache that cannot be reached is logged and skipped: the editor's change is saved,
    and that cache serves the old page until its s-maxage runs out.
    """
    for backend in backends():
        try:
            if paths is None:
                backend.purge_all()
            else:
                backend.purge(paths)
        except Exception:
            logger.exception("Could not purge %s at %s", paths or "every page", backend.location)


def tree_fields():
    names = {field.name for field in Page._meta.get_fields()}
    return [name for name in TREE_FIELDS if name in names]


def affected_paths(sender, instance, *, created=False, deleted=False, tree_before=None):
    """The addresses a change to ``instance`` affects, or None for every page."""
    if sender is Page and not (created or deleted) and tree_before is not None:
        now = {
            name: getattr(instance, name if name != "parent" else "parent_id")
            for name in tree_before
        }
        if now == tree_before:
            return [instance.get_absolute_url(), reverse("pages:search"), reverse("pages:sitemap")]
    elif sender is Source:
        page = Page.objects.filter(pk=instance.page_id).first()
        if page is not None:
            return [page.get_absolute_url()]
    elif sender is Redirect:
        return [instance.old_path]
    return None  # a page added, removed or moved, the site settings: everything


def page_about_to_change(sender, instance, raw=False, **kwargs):
    """Receiver for pre_save: note what a page showed of itself in the tree before this
    save, for ``content_changed`` to compare with."""
    if sender is Page and instance.pk and not raw:
        fields = tree_fields()
        instance.tree_fields_before_save = (
            Page.objects.filter(pk=instance.pk).values(*fields).first()
        )


def content_changed(sender, instance, created=False, **kwargs):
    """Receiver for post_save and post_delete of every model (connected in PagesConfig):
    once the change is committed, move the stamp on and purge what it affects.

    A model of this app whose rows never show on a public page (an editor's autosaved
    draft, say) opts out with a class attribute ``shown_to_visitors = False``.
    """
    if sender._meta.app_label != "pages" or not getattr(sender, "shown_to_visitors", True):
        return
    paths = affected_paths(
        sender,
        instance,
        created=created,
        deleted=kwargs.get("signal") is post_delete,
        tree_before=getattr(instance, "tree_fields_before_save", None),
    )
    # After the commit, so neither the app nor Varnish can fetch the old rows again.
    transaction.on_commit(partial(invalidate, paths))


def invalidate(paths):
    new_generation()
    purge(paths)
