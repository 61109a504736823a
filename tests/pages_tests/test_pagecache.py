"""The shared page cache: few queries, changes live at once, per-visitor parts per visitor."""

import time
from datetime import timedelta
from http import HTTPStatus
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, reverse
from django.utils import timezone

from feedback.models import Feedback
from feedback.views import THANKS
from pages import pagecache, tree
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
    # the page, its sources and newest revision, or the tree and site settings when the
    # site changed under them.
    for cold_article, warm_article, cold_home, warm_home in counts.values():
        assert (warm_article, warm_home) == (1, 1)
        assert cold_article <= 4 and cold_home <= 4


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


def closed_page():
    """A page without the feedback form: nothing in it differs between visitors."""
    return make_page("Cost", parent=make_page("Learn"), accepts_feedback=False)


def test_a_page_without_a_form_answers_304_until_it_changes(client):
    page = closed_page()
    first = client.get("/learn/cost/")
    assert first["Cache-Control"] == "no-cache"
    assert "Cookie" in first["Vary"]
    etag = first["ETag"]
    again = client.get("/learn/cost/", headers={"if-none-match": etag})
    assert again.status_code == HTTPStatus.NOT_MODIFIED
    assert again.content == b""
    page.body = "Prices have changed."
    page.save()
    changed = client.get("/learn/cost/", headers={"if-none-match": etag})
    assert changed.status_code == HTTPStatus.OK
    assert changed["ETag"] != etag
    assert b"Prices have changed." in changed.content


def test_a_change_elsewhere_in_the_menu_changes_the_etag(client):
    closed_page()
    etag = client.get("/learn/cost/")["ETag"]
    make_page("Crisis resources")
    response = client.get("/learn/cost/", headers={"if-none-match": etag})
    assert response.status_code == HTTPStatus.OK
    assert b"Crisis resources" in response.content


def hidden_value(response, name):
    html = response.content.decode()
    start = html.index(f'name="{name}" value="') + len(f'name="{name}" value="')
    return html[start : html.index('"', start)]


def test_a_page_with_the_feedback_form_answers_304_as_it_carries_nothing_per_visitor(
    client, published_page
):
    etag = client.get("/learn/cost/")["ETag"]
    again = client.get("/learn/cost/", headers={"if-none-match": etag})
    assert again.status_code == HTTPStatus.NOT_MODIFIED


def test_the_thank_you_message_shows_on_a_cached_page_then_goes(client, published_page):
    client.get("/learn/cost/")
    data = {
        "name": "Sam",
        "comments": "Helpful page.",
        "honeypot": "",
        "revision": "",
    }
    client.post(reverse("feedback:submit", args=[published_page.pk]), data)
    assert THANKS in client.get("/learn/cost/").content.decode()
    assert THANKS not in client.get("/learn/cost/").content.decode()
    assert Feedback.objects.count() == 1


def test_a_page_answered_from_the_cache_before_url_resolution_keeps_every_header(
    published_page,
):
    first = Client().get("/learn/cost/")  # rendered by the view, then stored
    with mock.patch.object(URLResolver, "resolve", side_effect=AssertionError) as resolve:
        again = Client().get("/learn/cost/")
    assert not resolve.called
    assert again.content == first.content
    for header in (
        "Content-Security-Policy",
        "Permissions-Policy",
        "Referrer-Policy",
        "X-Content-Type-Options",
        "X-Frame-Options",
        "Content-Type",
    ):
        assert again[header] == first[header], header


def test_other_addresses_are_not_looked_up_in_the_page_cache(client, published_page):
    client.get("/learn/cost/")
    with mock.patch("pages.pagecache.lookup", wraps=pagecache.lookup) as lookup:
        client.get("/search/", {"q": "cost"})
        client.get("/robots.txt")
        client.get("/admin/login/")
        assert not lookup.called  # they cost what they did before the page cache
        client.get("/learn/cost/")
        assert lookup.call_count == 1


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
    assert cold_article <= 4 and cold_home <= 4


def test_with_a_shared_cache_a_committed_save_is_live_at_once_for_every_process(
    client, shared_cache, published_page, django_capture_on_commit_callbacks
):
    client.get("/learn/cost/")
    with django_capture_on_commit_callbacks(execute=True):
        published_page.title = "What it costs"
        published_page.save()
    pagecache._recent.clear()  # as another worker would see it: only the shared cache
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


def test_the_release_digest_follows_code_and_templates_but_not_installed_packages(
    settings, tmp_path
):
    settings.BASE_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    (tmp_path / "templates").mkdir()
    (tmp_path / ".venv").mkdir()
    template, package = tmp_path / "templates" / "base.html", tmp_path / ".venv" / "lib.py"
    template.write_text("<p>one</p>")
    package.write_text("x = 1")

    def digest():
        pagecache.release.cache_clear()
        return pagecache.release()

    try:
        first = digest()
        package.write_text("x = 2")
        assert digest() == first
        template.write_text("<p>two</p>")
        assert digest() != first
    finally:
        pagecache.release.cache_clear()


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
    pagecache._recent.clear()  # as another worker would see it: only the shared cache
    html = client.get("/learn/cost/").content.decode()
    assert "Call 988 now, day or night." in html
    assert "A new trial" in html


only_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="LISTEN/NOTIFY is PostgreSQL's"
)


@pytest.fixture
def listening(shared_cache):
    """A thread that has heard nothing yet, with a clock that stands still until moved."""
    tree._heard.__dict__.clear()
    clock = mock.patch("pages.tree.time.monotonic", return_value=1000.0)
    yield clock.start()
    clock.stop()
    tree._heard.__dict__.clear()


def other_server():
    """A database connection of its own, as another app server has."""
    other = connection.get_new_connection(connection.get_connection_params())
    other.autocommit = True
    return other


def announce_from_another_server(generation):
    """What another app server does once an editor's change there is committed."""
    cache.set(tree.GENERATION_KEY, generation, timeout=None)
    other = other_server()
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, '')", [tree.CHANGES_CHANNEL])
    other.close()


def stamp_once_changed(old, seconds=5):
    """The stamp as soon as it differs from ``old`` (a notification takes microseconds)."""
    deadline = time.perf_counter() + seconds
    while (stamp := tree.site_stamp()) == old and time.perf_counter() < deadline:
        time.sleep(0.01)
    return stamp


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_with_postgresql_a_warm_view_does_not_ask_the_shared_cache_for_the_stamp(listening):
    first = tree.site_stamp()
    with mock.patch("pages.tree.cache", wraps=cache) as shared_cache:
        assert tree.site_stamp() == first
    assert not shared_cache.get.called


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_with_postgresql_a_change_announced_by_another_server_is_seen_at_once(listening):
    first = tree.site_stamp()
    announce_from_another_server("changed-elsewhere")
    # The clock stands still: the new stamp comes from the notification, not from age.
    assert stamp_once_changed(first) == "gchanged-elsewhere"


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_with_postgresql_an_unannounced_change_is_read_within_a_second(listening):
    first = tree.site_stamp()
    cache.set(tree.GENERATION_KEY, "changed-quietly", timeout=None)
    assert tree.site_stamp() == first
    listening.return_value += tree.TRUST_SECONDS
    assert tree.site_stamp() == "gchanged-quietly"


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_with_postgresql_a_saved_page_is_announced_to_every_server(listening):
    other = other_server()
    with other.cursor() as cursor:
        cursor.execute(f"LISTEN {tree.CHANGES_CHANNEL}")
    before = cache.get(tree.GENERATION_KEY)
    make_page("Cost")  # committed at once: this test runs outside a transaction
    deadline = time.perf_counter() + 5
    while not other.notifies and time.perf_counter() < deadline:
        other.poll()
        time.sleep(0.01)
    other.close()
    assert other.notifies
    assert cache.get(tree.GENERATION_KEY) != before


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_with_postgresql_inside_a_transaction_the_stamp_is_read_from_the_cache(listening):
    # Notifications wait for the end of a transaction, so they cannot be trusted in one.
    first = tree.site_stamp()
    with transaction.atomic():
        cache.set(tree.GENERATION_KEY, "changed-meanwhile", timeout=None)
        assert tree.site_stamp() == "gchanged-meanwhile"
    assert first != "gchanged-meanwhile"


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_with_postgresql_pages_are_still_served_when_listening_fails(client, listening):
    make_page("Cost")
    client.get("/cost/")  # creates the site settings row, a change of its own
    client.get("/cost/")
    refused = mock.patch.object(connection, "cursor", side_effect=OperationalError("gone"))
    tree._heard.__dict__.clear()
    with refused as cursor:
        assert b"<h1>Cost</h1>" in client.get("/cost/").content
        assert b"<h1>Cost</h1>" in client.get("/cost/").content
    assert cursor.call_count == 1  # tried again only a second later
