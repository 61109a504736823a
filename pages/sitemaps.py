from django.contrib.sitemaps import Sitemap

from .models import Page


class PageSitemap(Sitemap):
    """Every page visitors may see, with the time it last changed."""

    def items(self):
        return Page.objects.published().only("path", "is_home", "updated_at").order_by("path")

    def lastmod(self, page):
        return page.updated_at
