"""Public pages: the same bytes for every visitor, few queries, changes live at once."""

from datetime import timedelta
from http import HTTPStatus
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.models import Feedback
from feedback.views import THANKS
from pages import pagecache
from pages.models import Page, SiteSettings, Source
from tests.conftest import make_page

pytestmark = pytest.mark.django_db

ARTICLE = "/learn/opposition/psychiatrists/"


def queries_for(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == HTTPStatus.OK
    return len(ctx.captured_queries)


def add_pages(count):
    section = make_page("Archive")
    for i in range(count - 1):
        make_page(f"Old article {i}", parent=section)


def test_page_view_costs_one_query_warm_whatever_the_number_of_pages(client):
    call_command("load_starter_content", stdout=None)
    client.get("/learn/")  # creates the site settings row
    counts = {}
    for label in ("starter", "starter + 200"):
        if label != "starter":
            add_pages(200)
        counts[label] = [queries_for(client, url) for url in (ARTICLE, ARTICLE, "/", "/")]
    # Warm: the site stamp alone. The first view of a page after a change renders it:
    # the page, its sources and newest revision, or the tree, site settings and next
    # scheduled change when the site changed under them.
    for cold_article, warm_article, cold_home, warm_home in counts.values():
        assert (warm_article, warm_home) == (1, 1)
        assert cold_article <= 5 and cold_home <= 5


def test_a_saved_change_is_served_at_once_from_a_warm_cache(client, published_page):
    client.get("/learn/cost/")
    published_page.title = "What it costs"
    published_page.save()
    html = client.get("/learn/cost/").content.decode()
    assert "<h1>What it costs</h1>" in html
    assert ">What it costs<" in html[html.index('id="main-menu"') :]  # the menu too


def test_a_deleted_page_disappears_at_once(client, published_page):
    client.get("/learn/cost/")
    published_page.delete()
    assert client.get("/learn/cost/").status_code == HTTPStatus.NOT_FOUND
    assert 'href="/learn/cost/"' not in client.get("/learn/").content.decode()


def test_a_scheduled_page_appears_in_the_menu_and_at_its_address_when_its_time_comes(client):
    learn = make_page("Learn")
    soon = timezone.now() + timedelta(hours=1)
    make_page("New study", parent=learn, publish_at=soon)
    assert 'href="/learn/new-study/"' not in client.get("/learn/").content.decode()
    assert client.get("/learn/new-study/").status_code == HTTPStatus.NOT_FOUND
    with mock.patch("django.utils.timezone.now", return_value=soon + timedelta(seconds=1)):
        assert 'href="/learn/new-study/"' in client.get("/learn/").content.decode()
        assert client.get("/learn/new-study/").status_code == HTTPStatus.OK


def test_the_query_string_does_not_make_a_new_cache_entry(client, published_page):
    client.get("/learn/cost/")
    assert queries_for(client, "/learn/cost/?utm_source=newsletter") == 1


def test_an_editor_previewing_a_draft_bypasses_the_cache_both_ways(editor_client):
    visitor = Client()
    page = make_page("Draft", status=Page.Status.DRAFT)
    assert visitor.get(page.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    assert editor_client.get(page.get_absolute_url()).status_code == HTTPStatus.OK
    assert visitor.get(page.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_a_change_elsewhere_in_the_menu_changes_the_etag(client, published_page):
    etag = client.get("/learn/cost/")["ETag"]
    make_page("Crisis resources")
    response = client.get("/learn/cost/", headers={"if-none-match": etag})
    assert response.status_code == HTTPStatus.OK
    assert b"Crisis resources" in response.content


def test_the_thank_you_message_shows_on_a_cached_page_then_goes(client, published_page):
    assert "public" in client.get("/learn/cost/")["Cache-Control"]
    data = {
        "name": "Sam",
        "comments": "Helpful page.",
        "honeypot": "",
        "revision": "",
    }
    thanks = client.post(reverse("feedback:submit", args=[published_page.pk]), data)
    assert thanks["Location"] == "/learn/cost/#feedback"
    # The message rides in Django's messages cookie: this one view is the visitor's own.
    shown = client.get("/learn/cost/")
    assert THANKS in shown.content.decode()
    assert "no-store" in shown["Cache-Control"] and "private" in shown["Cache-Control"]
    after = client.get("/learn/cost/")
    assert THANKS not in after.content.decode()
    assert "public" in after["Cache-Control"]
    assert Feedback.objects.count() == 1


@pytest.fixture
def shared_cache(settings, tmp_path):
    """A cache every process reads, as Redis is in production (a folder, for the test)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }


def test_with_a_shared_cache_a_warm_page_view_costs_no_query(client, shared_cache):
    call_command("load_starter_content", stdout=None)
    add_pages(200)
    client.get("/learn/")  # creates the site settings row
    cold_article, warm_article, cold_home, warm_home = (
        queries_for(client, url) for url in (ARTICLE, ARTICLE, "/", "/")
    )
    assert (warm_article, warm_home) == (0, 0)
    assert cold_article <= 5 and cold_home <= 5


def test_with_a_shared_cache_a_committed_save_is_live_at_once_for_every_process(
    client, shared_cache, published_page, django_capture_on_commit_callbacks
):
    client.get("/learn/cost/")
    with django_capture_on_commit_callbacks(execute=True):
        published_page.title = "What it costs"
        published_page.save()
    html = client.get("/learn/cost/").content.decode()
    assert "<h1>What it costs</h1>" in html
    assert ">What it costs<" in html[html.index('id="main-menu"') :]


def test_with_a_shared_cache_a_deleted_page_disappears_at_once(
    client, shared_cache, published_page, django_capture_on_commit_callbacks
):
    client.get("/learn/")
    with django_capture_on_commit_callbacks(execute=True):
        published_page.delete()
    assert 'href="/learn/cost/"' not in client.get("/learn/").content.decode()
    assert client.get("/learn/cost/").status_code == HTTPStatus.NOT_FOUND


def test_with_a_shared_cache_a_scheduled_page_appears_when_its_time_comes(client, shared_cache):
    learn = make_page("Learn")
    soon = timezone.now() + timedelta(hours=1)
    make_page("New study", parent=learn, publish_at=soon)
    assert 'href="/learn/new-study/"' not in client.get("/learn/").content.decode()
    with mock.patch("django.utils.timezone.now", return_value=soon + timedelta(seconds=1)):
        assert 'href="/learn/new-study/"' in client.get("/learn/").content.decode()
        assert client.get("/learn/new-study/").status_code == HTTPStatus.OK


def change_crisis_text(text):
    site_settings = SiteSettings.load()
    site_settings.crisis_text = text
    site_settings.save()


def test_new_site_settings_are_served_at_once_from_a_warm_cache(client, published_page):
    client.get("/learn/cost/")
    change_crisis_text("Call 988 now, day or night.")
    assert "Call 988 now, day or night." in client.get("/learn/cost/").content.decode()


def test_with_a_shared_cache_new_site_settings_and_sources_are_served_at_once(
    client, shared_cache, published_page, django_capture_on_commit_callbacks
):
    client.get("/learn/cost/")
    with django_capture_on_commit_callbacks(execute=True):
        change_crisis_text("Call 988 now, day or night.")
        Source.objects.create(page=published_page, title="A new trial", publisher="A journal")
    html = client.get("/learn/cost/").content.decode()
    assert "Call 988 now, day or night." in html
    assert "A new trial" in html


def test_two_visitors_get_the_same_bytes_and_no_cookie(published_page):
    alice, bob = Client(), Client()
    first, second = alice.get("/learn/cost/"), bob.get("/learn/cost/")
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]
    assert not first.cookies and not second.cookies
    assert "Set-Cookie" not in first


def test_a_page_answered_from_the_cache_carries_every_header_of_its_first_rendering(
    client, published_page
):
    # The first view renders the page through every middleware and the view; the
    # second is answered by the page cache above the session, CSRF and sign-in ones.
    rendered, cached = client.get("/learn/cost/"), client.get("/learn/cost/")
    assert cached.content == rendered.content
    assert dict(cached.headers) == dict(rendered.headers)
    for protection in ("X-Frame-Options", "Content-Security-Policy", "Permissions-Policy"):
        assert cached[protection]
    assert "Vary" not in cached and not cached.cookies


def test_public_pages_say_how_long_shared_caches_may_keep_them(client, published_page, settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.PAGE_CACHE_STALE_WHILE_REVALIDATE = 20
    settings.PAGE_CACHE_STALE_IF_ERROR = 3600
    for url in ("/learn/cost/", "/sitemap.xml", "/robots.txt", "/search/?q=cost"):
        cache_control = set(client.get(url)["Cache-Control"].split(", "))
        assert cache_control == {
            "public",
            "max-age=0",
            "s-maxage=600",
            "stale-while-revalidate=20",
            "stale-if-error=3600",
        }, url


@pytest.mark.parametrize("url", ["/learn/cost/", "/sitemap.xml", "/robots.txt", "/search/?q=cost"])
def test_every_public_page_has_a_strong_etag_and_answers_304(client, published_page, url):
    etag = client.get(url)["ETag"]
    assert not etag.startswith("W/")
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == HTTPStatus.NOT_MODIFIED
    assert again.content == b""


def test_staff_get_their_own_pages_never_stored(editor_client, published_page):
    for url in ("/learn/cost/", "/sitemap.xml", "/search/?q=cost"):
        cache_control = editor_client.get(url)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, url


def test_a_page_is_kept_no_longer_than_the_next_scheduled_change(client, published_page):
    make_page(
        "New study", parent=published_page.parent, publish_at=timezone.now() + timedelta(minutes=5)
    )
    cache_control = client.get("/learn/cost/")["Cache-Control"]
    max_age = int(cache_control.split("s-maxage=")[1].split(",")[0])
    assert 290 <= max_age <= 300


def test_host_variants_share_one_entry_and_no_page_carries_a_port_a_visitor_chose(
    client, published_page, settings
):
    settings.ALLOWED_HOSTS = ["network.example"]
    first = client.get("/learn/cost/", HTTP_HOST="network.example")
    with CaptureQueriesContext(connection) as ctx:
        for host in ("NETWORK.example", "network.example:8080", "Network.Example:443"):
            response = client.get("/learn/cost/", HTTP_HOST=host)
            assert response.content == first.content, host
    assert len(ctx.captured_queries) == 3  # the stamp, each time: no page rendered again
    assert '<link rel="canonical" href="http://network.example/learn/cost/">' in (
        first.content.decode()
    )


def test_the_cache_key_names_the_release(client, published_page, settings):
    client.get("/learn/cost/")
    settings.RELEASE = "next-deploy"
    assert queries_for(client, "/learn/cost/") > 1  # rendered afresh for the new release


@pytest.mark.parametrize(
    ("host", "server_port", "expected"),
    [
        ("Network.Example", "80", "http://network.example"),
        ("network.example.:80", "80", "http://network.example"),
        ("network.example:6666", "80", "http://network.example"),  # a port the visitor chose
        ("127.0.0.1:8000", "8000", "http://127.0.0.1:8000"),  # runserver's own port stays
        ("[::1]:8000", "8000", "http://[::1]:8000"),
    ],
)
def test_links_in_public_pages_use_one_spelling_of_the_host(
    rf, settings, host, server_port, expected
):
    settings.ALLOWED_HOSTS = ["network.example", "127.0.0.1", "[::1]"]
    request = rf.get("/", HTTP_HOST=host, SERVER_PORT=server_port)
    assert pagecache.origin(request) == expected
