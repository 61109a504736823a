from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from pages.models import Page
from tests.conftest import make_page, sources_form_data

pytestmark = pytest.mark.django_db


def page_form(**overrides):
    data = {
        "title": "Cost",
        "slug": "cost",
        "parent": "",
        "status": "published",
        "summary": "What it costs.",
        "body": "<h2>Cost</h2><p>Text.</p>",
        "epigraph_quote": "",
        "epigraph_person": "",
        "epigraph_role": "",
        "figure": "",
        "byline": "",
        "position": "0",
        "show_in_menu": "on",
        "accepts_feedback": "on",
        **sources_form_data(),
    }
    data.update(overrides)
    return data


def test_without_sign_off_an_editor_creates_a_page_that_is_live_at_once(
    editor_client, without_sign_off
):
    response = editor_client.post(reverse("admin:pages_page_add"), page_form())
    assert response.status_code == HTTPStatus.FOUND
    assert Client().get("/cost/").status_code == HTTPStatus.OK


def test_with_sign_off_an_editors_new_page_waits_as_a_draft(editor_client):
    response = editor_client.post(reverse("admin:pages_page_add"), page_form(), follow=True)
    assert "Saved as a draft: publishing needs a medical reviewer" in response.content.decode()
    assert Client().get("/cost/").status_code == HTTPStatus.NOT_FOUND


def test_admin_refuses_a_reserved_slug_with_a_clear_error(editor_client):
    response = editor_client.post(reverse("admin:pages_page_add"), page_form(slug="admin"))
    assert response.status_code == HTTPStatus.OK
    assert "is used by the site itself" in response.content.decode()
    assert not Page.objects.exists()


def test_admin_refuses_a_duplicate_sibling_slug(editor_client):
    learn = make_page("Learn")
    make_page("Cost", parent=learn)
    response = editor_client.post(reverse("admin:pages_page_add"), page_form(parent=str(learn.pk)))
    assert "already uses the slug" in response.content.decode()


def test_admin_refuses_making_a_page_its_own_ancestor(editor_client):
    top = make_page("Top")
    child = make_page("Child", parent=top)
    response = editor_client.post(
        reverse("admin:pages_page_change", args=[top.pk]),
        page_form(title="Top", slug="top", parent=str(child.pk)),
    )
    assert "cannot be placed under itself" in response.content.decode()
    top.refresh_from_db()
    assert top.parent is None


def test_changelist_shows_the_tree_filters_and_search(editor_client):
    learn = make_page("Learn")
    make_page("Cost", parent=learn, body="insurance rarely pays")
    url = reverse("admin:pages_page_changelist")
    html = editor_client.get(url).content.decode()
    assert ">— Cost</a>" in html  # indented under its parent
    assert "View live" in html
    assert "Cost" in editor_client.get(url, {"q": "insurance"}).content.decode()
    assert (
        "Learn"
        not in editor_client.get(url, {"q": "insurance"})
        .content.decode()
        .split('id="result_list"')[1]
    )
    assert editor_client.get(url, {"status__exact": "draft"}).status_code == HTTPStatus.OK


def test_editors_group_can_manage_pages_and_nothing_else(editor):
    assert editor.has_perms(["pages.add_page", "pages.change_page", "pages.delete_page"])
    assert not editor.has_perm("auth.change_user")
    assert {p.split(".")[0] for p in editor.get_all_permissions()} == {"pages"}
