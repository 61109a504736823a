from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import pagecache, views
from .sitemaps import PageSitemap

app_name = "pages"

urlpatterns = [
    path("", views.page_detail, name="home"),
    path("search/", views.search, name="search"),
    path(
        "sitemap.xml",
        pagecache.public_when_anonymous(sitemap),
        {"sitemaps": {"pages": PageSitemap}},
        name="sitemap",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    # The catch-all: must stay last here, and pages.urls must be mounted last.
    path("<path:path>/", views.page_detail, name="detail"),
]
