from urllib.parse import urljoin

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from . import pagecache
from .images import image_ids_in, replace_body_images
from .models import Image, Page, Redirect
from .recent import recent_pages
from .richtext import resolve_page_links
from .search import MAX_QUERY_CHARS, search_pages, search_terms
from .tree import get_tree, last_known_crisis_line, site_stamp

RESULTS_PER_PAGE = 10
# What a page shows rather than what it is: left unread where only its address, title
# and switches are needed.
TEXT_FIELDS = ("body", "body_html", "body_text", "search_document")


def may_preview(request):
    # Without a session cookie nobody is signed in: answered without loading a session,
    # which would add "Vary: Cookie" to a page that is the same for everyone.
    if not request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        return False
    return request.user.is_authenticated and request.user.has_perm("pages.change_page")


def visible_pages(request):
    """Staff who may edit pages also see drafts (a preview); visitors see published()."""
    return Page.objects.all() if may_preview(request) else Page.objects.published()


def visible_page_or_404(request, pk):
    """The page ``pk``, if this visitor may see it, with its address, title and switches
    (a feedback post needs those, not the page's text).

    For visitors the answer comes from the cached tree, which is built from
    ``published()`` under the current site stamp: the same rule, without building and
    running the hidden-ancestor subquery on every feedback post. The page itself is kept
    in the one in-process cache under that stamp, so a post usually costs no query for it.
    """
    if may_preview(request):
        return get_object_or_404(Page.objects.defer(*TEXT_FIELDS), pk=pk)
    stamp = site_stamp()
    if pk not in get_tree(stamp).visible_ids:
        raise Http404("No page at this address.")
    key = f"pages:visible-page:{stamp}:{pk}"
    page = recent_pages.get(key)
    if page is None:
        page = Page.objects.defer(*TEXT_FIELDS).get(pk=pk)
        recent_pages.put(key, page)
    return page


def page_detail(request, path=None):
    """Show a page found by its full path; the home page lives at /.

    An address with no page may be an old one: a redirect then sends the visitor
    on (looked up only on a miss, so a found page costs no extra query). Anonymous
    visitors get the same bytes as everyone else, rendered once per change of the
    site (pages/pagecache.py); staff and visitors with a message waiting, their own.
    """
    if pagecache.is_public(request):
        return pagecache.serve(request, lambda tree: find_and_render(request, path, tree))
    return pagecache.make_private(find_and_render(request, path))


def find_and_render(request, path, tree=None):
    lookup = {"is_home": True} if path is None else {"path": path}
    page = visible_pages(request).filter(**lookup).first()
    if page is None:
        destination = path and Redirect.objects.destination_for(f"/{path}/")
        if not destination:
            raise Http404("No page at this address.")
        query = request.META.get("QUERY_STRING")
        if query and "?" not in destination:
            destination = f"{destination}?{query}"
        return HttpResponsePermanentRedirect(destination)
    if path is not None and page.is_home:
        return redirect(page, permanent=True)
    return render_page(request, page, tree=tree)


def render_page(request, page, *, unsaved=False, extra_context=None, tree=None):
    """Render ``page`` in the site layout; a page visitors cannot see is never cached.

    ``unsaved`` marks an editor's preview of form data that was not saved. The
    response says nothing about caching unless it is a preview: the caller decides.
    ``tree`` is the visible tree already read for this request, if any.
    """
    tree = tree or get_tree()
    is_preview = unsaved or page.path not in tree.by_path
    # Absolute links from one spelling of the host (a figure on S3 is absolute already).
    site = pagecache.origin(request) + "/"
    # One query for every picture on the page (figure and body) and their renditions;
    # for visitors this runs once per change of the site, when the page cache fills.
    image_ids = image_ids_in(page.body_html) + ([page.figure_id] if page.figure_id else [])
    pictures = Image.objects.pictures(image_ids) if image_ids else {}
    figure = pictures.get(page.figure_id)
    body_html = resolve_page_links(page.body_html, tree.url_by_pk.get)
    context = {
        "page": page,
        "figure": figure,
        "body_html": replace_body_images(body_html, pictures),
        "tree": tree,
        "site_tree": tree,
        "crisis_line": tree.crisis_line,
        "breadcrumbs": tree.breadcrumbs(page),
        "subpages": tree.children(page),
        "sources": page.cached_sources(),
        "is_preview": is_preview,
        "is_unsaved": unsaved,
        "canonical_url": urljoin(site, page.get_absolute_url()),
        "image_url": urljoin(site, figure.share_src) if figure else "",
        **(extra_context or {}),
    }
    response = render(request, "pages/page_detail.html", context)
    if is_preview:
        add_never_cache_headers(response)
        patch_cache_control(response, no_store=True)
    return response


@require_GET
@pagecache.public_when_anonymous
def search(request):
    """Results for ?q=, best first, ten to a page; a query without words gets a prompt."""
    query = request.GET.get("q", "")[:MAX_QUERY_CHARS]
    results = None
    if search_terms(query):
        paginator = Paginator(search_pages(query), RESULTS_PER_PAGE)
        results = paginator.get_page(request.GET.get("page"))
    context = {"query": query, "asked": "q" in request.GET, "results": results}
    return render(request, "pages/search.html", context)


@require_GET
@pagecache.public_when_anonymous
def robots_txt(request):
    """Crawlers may read everything but the admin; the sitemap lists the pages."""
    sitemap_url = pagecache.origin(request) + reverse("pages:sitemap")
    return render(request, "robots.txt", {"sitemap_url": sitemap_url}, content_type="text/plain")


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    # Rendered without the menu: the database may be the thing that failed. The
    # crisis line is the one last cached (or the defaults), for the same reason.
    return render(request, "500.html", {"crisis_line": last_known_crisis_line()}, status=500)


def csrf_failure(request, reason=""):
    """A friendly page in the site's layout when a form's CSRF check fails."""
    return render(request, "403_csrf.html", status=403)
