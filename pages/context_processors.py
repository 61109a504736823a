from django.conf import settings
from django.utils.functional import SimpleLazyObject

from . import pagecache
from .tree import get_tree


def site(request):
    """Site name, the page tree and the crisis line; fetched only if a template uses them.

    Both come from the one cached tree. A public page has no flash message to show
    (pagecache.is_public), and reading the message store would make Django's message
    middleware add a Set-Cookie that clears it, which no shared cache would keep: so
    there ``messages`` is empty, overriding Django's processor listed before this one.
    """
    tree = SimpleLazyObject(get_tree)
    context = {
        "site_name": settings.SITE_NAME,
        "site_tree": tree,
        "crisis_line": SimpleLazyObject(lambda: tree.crisis_line),
    }
    if pagecache.is_public(request):
        context["messages"] = ()
    return context
