from http import HTTPStatus

import pytest
from django.urls import resolve, reverse

from pages.models import Page
from tests.conftest import make_page

pytestmark = pytest.mark.django_db


def test_nested_page_url_is_the_path_of_slugs():
    learn = make_page("Learn")
    opposition = make_page("Opposition", parent=learn)
    psychiatrists = make_page("Psychiatrists", parent=opposition)
    assert psychiatrists.get_absolute_url() == "/learn/opposition/psychiatrists/"
    assert reverse("pages:detail", kwargs={"path": psychiatrists.path}) == (
        "/learn/opposition/psychiatrists/"
    )
    assert resolve("/learn/opposition/psychiatrists/").url_name == "detail"


def test_nested_page_is_served_at_its_path(client):
    page = make_page("Psychiatrists", parent=make_page("Opposition", parent=make_page("Learn")))
    response = client.get("/learn/opposition/psychiatrists/")
    assert response.status_code == HTTPStatus.OK
    assert response.context["page"] == page
    assert b"<h1>Psychiatrists</h1>" in response.content


def test_address_without_trailing_slash_redirects_to_the_slashed_one(client, published_page):
    response = client.get("/learn/cost")
    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == "/learn/cost/"


def test_home_page_is_served_at_root_and_its_own_path_redirects_there(client, home_page):
    response = client.get("/")
    assert response.status_code == HTTPStatus.OK
    assert response.context["page"] == home_page
    assert client.get("/introduction/")["Location"] == "/"


def test_unknown_address_shows_friendly_404_in_site_layout(client, published_page):
    response = client.get("/no/such/page/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert b"We could not find that page" in response.content
    assert b'href="/learn/"' in response.content  # the menu is there


def test_draft_page_returns_404_for_anonymous_visitor(client, draft_page):
    assert client.get(draft_page.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_page_under_a_draft_returns_404_for_anonymous_visitor(client):
    parent = make_page("Hidden section", status=Page.Status.DRAFT)
    child = make_page("Published child", parent=parent)
    grandchild = make_page("Published grandchild", parent=child)
    assert client.get(child.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    assert client.get(grandchild.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    assert set(Page.objects.published()) == set()


def test_editor_can_preview_a_draft_and_the_preview_is_never_cached(editor_client, draft_page):
    response = editor_client.get(draft_page.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assert b"Preview: visitors cannot see this page yet" in response.content
    assert "no-cache" in response["Cache-Control"]


def test_staff_without_page_permission_cannot_preview_drafts(client, draft_page, django_user_model):
    client.force_login(django_user_model.objects.create_user("clerk", is_staff=True))
    assert client.get(draft_page.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_published_page_shows_title_epigraph_byline_body_and_last_updated(client):
    page = make_page(
        "Opposition from Psychiatrists",
        epigraph_quote="A quoted sentence.",
        epigraph_person="Dr Q",
        epigraph_role="Professor",
        byline="By the volunteers",
        body="<h2>Why</h2><p>Because <em>reasons</em>.</p>",
    )
    html = client.get(page.get_absolute_url()).content.decode()
    assert html.count("<h1") == 1
    assert "A quoted sentence." in html and "Dr Q" in html and "Professor" in html
    assert "By the volunteers" in html
    assert "<h2>Why</h2>" in html and "<em>reasons</em>" in html
    assert "Last updated" in html
    assert f'content="{page.summary}"' in html  # meta description


def test_layout_has_skip_link_landmarks_and_breadcrumbs(client, published_page):
    html = client.get(published_page.get_absolute_url()).content.decode()
    assert html.index('class="skip-link" href="#main"') < html.index("<nav")
    for landmark in (
        "<header",
        '<nav class="site-nav" aria-label="Main"',
        '<main id="main"',
        "<footer",
    ):
        assert landmark in html
    assert 'aria-label="Breadcrumb"' in html and 'href="/learn/"' in html


def test_page_text_is_escaped(client):
    page = make_page("<script>alert(1)</script>", slug="x", epigraph_quote="<b>q</b>")
    html = client.get(page.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;b&gt;q&lt;/b&gt;" in html


def test_an_editors_change_is_live_at_once(client, published_page):
    assert b"Some text about Cost" in client.get("/learn/cost/").content
    published_page.body = "Prices have changed."
    published_page.save()
    assert b"Prices have changed." in client.get("/learn/cost/").content
