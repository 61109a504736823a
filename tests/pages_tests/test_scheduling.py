"""A page published with a future publish time appears on its own at that time."""

from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import pytest
import time_machine

from tests.conftest import make_page

pytestmark = pytest.mark.django_db

NOW = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)
PUBLISH_AT = NOW + timedelta(hours=2)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def scheduled(clock):
    learn = make_page("Learn")
    return make_page("Ketamine research", parent=learn, publish_at=PUBLISH_AT)


def menu(client):
    html = client.get("/learn/").content.decode()
    return html[html.index('<ul id="main-menu"') : html.index("</nav>")]


def test_scheduled_page_is_not_found_before_its_time_and_served_after(client, clock, scheduled):
    assert client.get("/learn/ketamine-research/").status_code == HTTPStatus.NOT_FOUND
    clock.move_to(PUBLISH_AT)
    assert client.get("/learn/ketamine-research/").status_code == HTTPStatus.OK


def test_scheduled_page_joins_the_menu_at_its_time_without_any_save(client, clock, scheduled):
    assert "Ketamine research" not in menu(client)  # the tree is now cached
    clock.move_to(PUBLISH_AT - timedelta(seconds=1))
    assert "Ketamine research" not in menu(client)
    clock.move_to(PUBLISH_AT + timedelta(seconds=1))
    assert "Ketamine research" in menu(client)


def test_scheduled_page_joins_the_sitemap_at_its_time(client, clock, scheduled):
    assert b"/learn/ketamine-research/" not in client.get("/sitemap.xml").content
    clock.move_to(PUBLISH_AT)
    assert b"/learn/ketamine-research/" in client.get("/sitemap.xml").content


def test_scheduled_page_is_found_by_search_only_from_its_time(client, clock, scheduled):
    assert b"Ketamine research" not in client.get("/search/", {"q": "research"}).content
    clock.move_to(PUBLISH_AT)
    assert b"Ketamine research" in client.get("/search/", {"q": "research"}).content


def test_pages_under_a_scheduled_page_wait_for_it(client, clock, scheduled):
    child = make_page("Trials", parent=scheduled)
    assert client.get(child.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    clock.move_to(PUBLISH_AT)
    assert client.get(child.get_absolute_url()).status_code == HTTPStatus.OK


def test_editor_sees_a_scheduled_page_as_a_preview_with_its_time(scheduled, editor_client):
    # (The editor logs in after the clock moved, or the session would be years old.)
    html = editor_client.get("/learn/ketamine-research/").content.decode()
    assert "Preview: visitors cannot see this page yet (published, publishes 1 March 2030" in html
