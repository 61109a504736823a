"""Purging shared caches after each committed change: exactly what it affects."""

import io
import logging
import socket

import pytest
from django.core.management import call_command

from pages.frontend_cache import FrontendCacheBackend, content_changed
from pages.models import Page, Redirect, SiteSettings, Source
from tests.conftest import make_page

pytestmark = pytest.mark.django_db

EVERYTHING = "everything"


class Recorder(FrontendCacheBackend):
    """A shared cache that notes what it was told to forget."""

    calls = []

    def purge(self, paths):
        self.calls.append(sorted(paths))

    def purge_all(self):
        self.calls.append(EVERYTHING)


@pytest.fixture
def purged(settings):
    settings.FRONTEND_CACHES = [
        {"BACKEND": "tests.pages_tests.test_frontend_cache.Recorder", "LOCATION": "memory"}
    ]
    Recorder.calls = []
    return Recorder.calls


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the block, then its on-commit callbacks, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_change_to_a_pages_own_content_purges_its_address_search_and_sitemap(
    published_page, purged, committed
):
    with committed():
        published_page.body = "Prices have changed."
        published_page.save()
    assert purged == [["/learn/cost/", "/search/", "/sitemap.xml"]]


def test_nothing_is_purged_before_the_change_is_committed(
    published_page, purged, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        published_page.body = "Prices have changed."
        published_page.save()
    assert purged == []
    callbacks[0]()
    assert purged == [["/learn/cost/", "/search/", "/sitemap.xml"]]


@pytest.mark.parametrize(
    "change",
    [
        {"title": "What it costs"},
        {"slug": "prices"},
        {"show_in_menu": False},
        {"position": 7},
        {"status": Page.Status.DRAFT},
    ],
)
def test_a_change_to_the_menu_or_tree_purges_every_page(published_page, purged, committed, change):
    with committed():
        for name, value in change.items():
            setattr(published_page, name, value)
        published_page.save()
    assert EVERYTHING in purged


def test_a_new_or_deleted_page_purges_every_page(published_page, purged, committed):
    with committed():
        make_page("New study", parent=published_page.parent)
    assert purged == [EVERYTHING]
    purged.clear()
    with committed():
        published_page.delete()
    assert EVERYTHING in purged


def test_new_site_settings_purge_every_page(db, purged, committed):
    with committed():
        site_settings = SiteSettings.load()
        site_settings.crisis_text = "Call 988."
        site_settings.save()
    assert purged[-1] == EVERYTHING


def test_a_new_source_purges_only_its_page(published_page, purged, committed):
    with committed():
        Source.objects.create(page=published_page, title="A trial", publisher="A journal")
    assert purged == [["/learn/cost/"]]


def test_a_new_redirect_purges_its_old_address(db, purged, committed):
    with committed():
        Redirect.objects.create(old_path="/old/", target_path="/learn/")
    assert purged == [["/old/"]]


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe is closed


def test_an_unreachable_cache_is_logged_and_the_save_still_succeeds(
    published_page, settings, committed, caplog
):
    settings.FRONTEND_CACHES = [
        {
            "BACKEND": "pages.frontend_cache.VarnishBackend",
            "LOCATION": f"http://127.0.0.1:{closed_port()}",
        }
    ]
    with caplog.at_level(logging.ERROR, logger="pages.frontend_cache"), committed():
        published_page.body = "Prices have changed."
        published_page.save()
    assert Page.objects.get(pk=published_page.pk).body == "Prices have changed."
    assert "Could not purge" in caplog.text


def test_the_purge_command_makes_every_shared_cache_forget_every_page(purged):
    call_command("purge_frontend_cache", stdout=io.StringIO())
    assert purged == [EVERYTHING]


def test_a_model_visitors_never_see_purges_nothing(purged, django_capture_on_commit_callbacks):
    class EditorsScratchpad:
        """Stands for a pages model that opts out, such as an autosaved draft."""

        shown_to_visitors = False

        class _meta:  # noqa: N801 (the shape of a model's options, as the receiver reads it)
            app_label = "pages"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        content_changed(EditorsScratchpad, EditorsScratchpad(), created=True)
    assert callbacks == []
    assert purged == []
