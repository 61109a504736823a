from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .tree import tree_for


def site(request):
    """Site name, the page tree and the crisis line; fetched only if a template uses them.

    Both come from the one cached tree, asked for once per request.
    """
    return {
        "site_name": settings.SITE_NAME,
        "site_tree": SimpleLazyObject(lambda: tree_for(request)),
        "crisis_line": SimpleLazyObject(lambda: tree_for(request).crisis_line),
    }
