from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import requires_csrf_token

from . import pagecache
from .models import Page
from .tree import get_tree


def visible_pages(request):
    """Staff who may edit pages also see drafts (a preview); visitors see published()."""
    if request.user.is_authenticated and request.user.has_perm("pages.change_page"):
        return Page.objects.all()
    return Page.objects.published()


def page_detail(request, path=None):
    """Show a page found by its full path; the home page lives at /.

    Anonymous visitors get it from the shared page cache, which renders it once
    per change of the site (pages/pagecache.py).
    """
    if pagecache.applies_to(request):
        return pagecache.serve(request, lambda stamp: render_page(request, path, stamp))
    return render_page(request, path)


def render_page(request, path, stamp=None):
    lookup = {"is_home": True} if path is None else {"path": path}
    page = visible_pages(request).filter(**lookup).first()
    if page is None:
        raise Http404("No page at this address.")
    if path is not None and page.is_home:
        return redirect(page, permanent=True)
    tree = get_tree(stamp)
    is_preview = page.path not in tree.by_path
    context = {
        "page": page,
        "site_tree": tree,
        "breadcrumbs": tree.breadcrumbs(page),
        "subpages": tree.children(page),
        "is_preview": is_preview,
        **pagecache.context(request),
    }
    response = render(request, "pages/page_detail.html", context)
    if is_preview:
        add_never_cache_headers(response)
    return response


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    # Rendered without the menu: the database may be the thing that failed.
    return render(request, "500.html", status=500)


def csrf_failure(request, reason=""):
    """A friendly page in the site's layout when a form's CSRF check fails."""
    return render(request, "403_csrf.html", status=403)
