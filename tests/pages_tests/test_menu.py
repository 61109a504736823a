import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pages.models import Page
from tests.conftest import make_page

pytestmark = pytest.mark.django_db


def menu_html(client, url):
    html = client.get(url).content.decode()
    return html[html.index('<ul id="main-menu"') : html.index("</nav>")]


def test_menu_lists_top_level_pages_and_their_children_in_editor_order(client):
    learn = make_page("Learn", position=10)
    make_page("Cost", parent=learn, position=20)
    make_page("Route of Administration", parent=learn, position=10)
    make_page("Articles", position=20)
    menu = menu_html(client, "/learn/")
    assert menu.index(">Learn<") < menu.index(">Articles<")
    assert menu.index("Route of Administration") < menu.index(">Cost<")


def test_menu_leaves_out_drafts_and_pages_hidden_from_the_menu(client):
    learn = make_page("Learn")
    make_page("Secret draft", parent=learn, status=Page.Status.DRAFT)
    make_page("Not in menu", parent=learn, show_in_menu=False)
    menu = menu_html(client, "/learn/")
    assert "Secret draft" not in menu and "Not in menu" not in menu


def test_menu_reaches_the_third_level(client):
    opposition = make_page("Opposition", parent=make_page("Learn"))
    make_page("Psychiatrists", parent=opposition)
    assert 'href="/learn/opposition/psychiatrists/"' in menu_html(client, "/learn/")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_menu_query_count_stays_constant_as_pages_are_added(client):
    learn = make_page("Learn")
    make_page("Cost", parent=learn)
    count_queries(client, "/learn/cost/")  # warm the tree cache
    few = count_queries(client, "/learn/cost/")
    for i in range(30):
        section = make_page(f"Section {i}")
        make_page(f"Topic {i}", parent=section)
    count_queries(client, "/learn/cost/")  # the saves changed the tree: rebuild once
    many = count_queries(client, "/learn/cost/")
    assert many == few
    assert many <= 3


def test_menu_shows_a_new_page_at_once(client):
    learn = make_page("Learn")
    client.get("/learn/")
    make_page("Brand new topic", parent=learn)
    assert "Brand new topic" in menu_html(client, "/learn/")
