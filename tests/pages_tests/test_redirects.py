from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pages.models import Page, Redirect
from tests.conftest import make_page

pytestmark = pytest.mark.django_db


def location(client, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY, response.status_code
    return response["Location"]


@pytest.fixture
def tree():
    learn = make_page("Learn")
    opposition = make_page("Opposition", parent=learn)
    make_page("Psychiatrists", parent=opposition)
    return learn, opposition


def test_old_addresses_of_a_renamed_page_and_its_descendants_redirect_permanently(client, tree):
    learn, _ = tree
    learn.slug = "topics"
    learn.save()
    assert location(client, "/learn/") == "/topics/"
    assert location(client, "/learn/opposition/") == "/topics/opposition/"
    assert location(client, "/learn/opposition/psychiatrists/") == (
        "/topics/opposition/psychiatrists/"
    )
    assert client.get("/topics/opposition/psychiatrists/").status_code == HTTPStatus.OK


def test_moving_a_page_under_another_parent_redirects_its_old_addresses(client, tree):
    _, opposition = tree
    opposition.parent = make_page("Articles")
    opposition.save()
    assert location(client, "/learn/opposition/") == "/articles/opposition/"
    assert location(client, "/learn/opposition/psychiatrists/") == (
        "/articles/opposition/psychiatrists/"
    )


def test_a_page_moved_twice_sends_its_first_address_straight_to_the_current_one(client, tree):
    _, opposition = tree
    opposition.slug = "critics"
    opposition.save()
    opposition.slug = "sceptics"
    opposition.save()
    assert location(client, "/learn/opposition/") == "/learn/sceptics/"
    assert location(client, "/learn/critics/psychiatrists/") == "/learn/sceptics/psychiatrists/"


def test_the_query_string_is_kept_on_the_way(client, tree):
    learn, _ = tree
    learn.slug = "topics"
    learn.save()
    assert location(client, "/learn/?utm_source=leaflet") == "/topics/?utm_source=leaflet"


def test_moving_a_draft_leaves_no_redirect_behind(client):
    draft = make_page("Notes", status=Page.Status.DRAFT)
    draft.slug = "drafts"
    draft.save()
    assert not Redirect.objects.exists()
    assert client.get("/notes/").status_code == HTTPStatus.NOT_FOUND


def test_a_new_page_at_an_old_address_wins_over_the_redirect(client, tree):
    learn, _ = tree
    learn.slug = "topics"
    learn.save()
    make_page("Learn again", slug="learn")
    assert client.get("/learn/").status_code == HTTPStatus.OK
    assert not Redirect.objects.filter(old_path="/learn/").exists()
    assert location(client, "/learn/opposition/") == "/topics/opposition/"


def test_moving_a_page_back_to_its_old_address_leaves_no_loop(client, tree):
    learn, _ = tree
    learn.slug = "topics"
    learn.save()
    learn.slug = "learn"
    learn.save()
    assert client.get("/learn/").status_code == HTTPStatus.OK
    assert location(client, "/topics/opposition/") == "/learn/opposition/"


def test_a_redirect_to_a_hidden_page_answers_not_found(client, tree):
    learn, _ = tree
    learn.slug = "topics"
    learn.status = Page.Status.DRAFT
    learn.save()
    assert Redirect.objects.filter(old_path="/learn/").exists()
    assert client.get("/learn/").status_code == HTTPStatus.NOT_FOUND


def test_a_found_page_costs_no_redirect_lookup(client, tree):
    client.get("/learn/")  # warm the menu cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/learn/").status_code == HTTPStatus.OK
    assert len(queries) <= 3
    assert not any("pages_redirect" in q["sql"] for q in queries.captured_queries)


def redirect_errors(**fields):
    with pytest.raises(ValidationError) as exc:
        Redirect(**fields).full_clean()
    return {field: [e.code for e in errs] for field, errs in exc.value.error_dict.items()}


def test_an_editors_redirect_to_an_address_works_and_is_normalised(client, published_page):
    redirect = Redirect(old_path=" /price ", target_path="/learn/cost/")
    redirect.full_clean()
    redirect.save()
    assert redirect.old_path == "/price/"
    assert location(client, "/price/") == "/learn/cost/"
    assert location(client, "/price") == "/price/"  # the usual trailing slash first


def test_a_redirect_to_itself_is_refused(published_page):
    assert redirect_errors(old_path="/old/", target_path="/old/") == {"__all__": ["redirect_loop"]}


def test_a_chain_of_redirects_that_loops_is_refused(published_page):
    Redirect.objects.create(old_path="/a/", target_path="/b/")
    Redirect.objects.create(old_path="/b/", target_path="/c/")
    assert redirect_errors(old_path="/c/", target_path="/a") == {"__all__": ["redirect_loop"]}


def test_a_redirect_to_a_page_at_the_same_address_is_refused(published_page):
    published_page.slug = "price"
    published_page.save()
    Redirect.objects.all().delete()
    errors = redirect_errors(old_path="/learn/price/", target_page=published_page)
    assert errors == {"old_path": ["page_exists"]}


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x/", "javascript:alert(1)", "learn/cost/", "/\\x/"],
)
def test_a_target_address_off_this_site_is_refused(published_page, target):
    assert redirect_errors(old_path="/old/", target_path=target) == {
        "target_path": ["not_a_site_path"]
    }


@pytest.mark.parametrize("old_path", ["/admin/", "/static/x/", "/search/", "/"])
def test_addresses_the_site_itself_uses_cannot_be_redirected(published_page, old_path):
    assert redirect_errors(old_path=old_path, target_page=published_page) == {
        "old_path": ["reserved_path"]
    }


def test_a_redirect_needs_exactly_one_target(published_page):
    assert redirect_errors(old_path="/old/") == {"target_page": ["one_target"]}
    assert redirect_errors(old_path="/old/", target_page=published_page, target_path="/learn/") == {
        "target_page": ["one_target"]
    }


def test_editors_manage_redirects_in_the_admin_and_a_loop_gets_a_clear_error(editor_client, tree):
    learn, _ = tree
    learn.slug = "topics"
    learn.save()
    changelist = reverse("admin:pages_redirect_changelist")
    html = editor_client.get(changelist, {"q": "opposition"}).content.decode()
    assert "/learn/opposition/" in html and "/topics/opposition/" in html
    assert "/learn/opposition/psychiatrists/" in html
    response = editor_client.post(
        reverse("admin:pages_redirect_add"),
        {"old_path": "/loop/", "target_page": "", "target_path": "/loop"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "would send visitors in a circle" in response.content.decode()
    response = editor_client.post(
        reverse("admin:pages_redirect_add"),
        {"old_path": "/old-learn/", "target_page": learn.pk, "target_path": ""},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert editor_client.get("/old-learn/")["Location"] == "/topics/"
