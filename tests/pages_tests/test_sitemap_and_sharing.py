import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from pages.models import Page
from pages.reserved import reserved_slugs
from tests.conftest import make_image, make_page

pytestmark = pytest.mark.django_db


def sitemap_urls(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == HTTPStatus.OK
    return re.findall(r"<loc>(.*?)</loc>", response.content.decode())


def test_sitemap_lists_exactly_the_pages_visitors_can_see(client):
    make_page("Introduction", is_home=True)
    learn = make_page("Learn")
    make_page("Cost", parent=learn)
    make_page("Draft", status=Page.Status.DRAFT)
    hidden = make_page("Hidden section", status=Page.Status.DRAFT)
    make_page("Child of a draft", parent=hidden)
    make_page("Scheduled", publish_at=timezone.now() + timedelta(days=1))
    assert sitemap_urls(client) == [
        "http://testserver/",
        "http://testserver/learn/",
        "http://testserver/learn/cost/",
    ]


def test_sitemap_gives_each_page_its_last_modified_date(client, published_page):
    xml = client.get("/sitemap.xml").content.decode()
    assert f"<lastmod>{published_page.updated_at.date().isoformat()}</lastmod>" in xml


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_site_files_take_their_top_level_slugs():
    assert {"search", "sitemap.xml", "robots.txt"} <= reserved_slugs()


def test_page_has_canonical_url_description_and_social_tags(client, published_page):
    html = client.get("/learn/cost/").content.decode()
    assert '<link rel="canonical" href="http://testserver/learn/cost/">' in html
    assert '<meta name="description" content="About Cost.">' in html
    assert '<meta property="og:title" content="Cost">' in html
    assert '<meta property="og:description" content="About Cost.">' in html
    assert '<meta property="og:url" content="http://testserver/learn/cost/">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:site_name" content="Ketamine Patient Network">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert '<meta name="twitter:title" content="Cost">' in html
    assert "og:image" not in html


def test_page_with_a_figure_shares_it_as_a_large_image(client, media_root):
    page = make_page("Routes", figure=make_image(alt_text="A chart of routes"))
    html = client.get(page.get_absolute_url()).content.decode()
    # The largest rendition in a format every sharing site reads.
    assert re.search(
        r'<meta property="og:image" content="http://testserver/media/renditions/\w+-1600.jpg">',
        html,
    )
    assert '<meta property="og:image:alt" content="A chart of routes">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html


def test_home_page_canonical_url_is_the_site_root(client, home_page):
    html = client.get("/").content.decode()
    assert '<link rel="canonical" href="http://testserver/">' in html


def test_social_tags_are_escaped(client):
    page = make_page('Say "hi" <b>', slug="hi", summary='Quotes " and <tags>.')
    html = client.get(page.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Say &quot;hi&quot; &lt;b&gt;">' in html
    assert '<meta name="twitter:description" content="Quotes &quot; and &lt;tags&gt;.">' in html
