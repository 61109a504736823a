from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .tree import get_tree


def site(request):
    """Site name and the page tree; the tree is only fetched if a template uses it."""
    return {"site_name": settings.SITE_NAME, "site_tree": SimpleLazyObject(get_tree)}
