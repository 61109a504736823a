from http import HTTPStatus

import pytest
from django.urls import reverse
from reversion.models import Version

from pages.models import Page
from tests.conftest import make_image, make_page, page_form_data

pytestmark = pytest.mark.django_db


def preview_url(page):
    return reverse("admin:pages_page_preview", args=[page.pk])


def test_change_form_has_a_preview_button_that_opens_a_new_tab(editor_client, published_page):
    html = editor_client.get(
        reverse("admin:pages_page_change", args=[published_page.pk])
    ).content.decode()
    assert f'formaction="{preview_url(published_page)}"' in html
    assert 'name="_preview"' in html and 'formtarget="_blank"' in html


def test_editor_previews_unsaved_changes_in_the_real_layout_and_nothing_is_saved(
    editor_client, client, published_page
):
    data = page_form_data(
        published_page, title="Cost, revised", body="<h2>New</h2><p>Fresh <em>words</em>.</p>"
    )
    response = editor_client.post(preview_url(published_page), data)
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "<h1>Cost, revised</h1>" in html and "<em>words</em>" in html
    assert "Preview of unsaved changes" in html
    assert 'aria-label="Breadcrumb"' in html and 'id="main-menu"' in html  # the real layout
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in html
    published_page.refresh_from_db()
    assert published_page.title == "Cost"
    assert not Version.objects.get_for_object(published_page).exists()
    visitor_html = client.get("/learn/cost/").content.decode()
    assert "Fresh" not in visitor_html and "<h1>Cost</h1>" in visitor_html


def test_a_new_page_can_be_previewed_before_it_is_first_saved(editor_client):
    learn = make_page("Learn")
    data = page_form_data(Page(title="Brand new", slug="brand-new", parent=learn, position=0))
    data.update(summary="New.", body="Not saved yet.", status="published")
    response = editor_client.post(reverse("admin:pages_page_preview_add"), data)
    assert response.status_code == HTTPStatus.OK
    assert "Not saved yet." in response.content.decode()
    assert not Page.objects.filter(slug="brand-new").exists()


def test_preview_with_invalid_input_lists_what_to_fix(editor_client, published_page):
    data = page_form_data(published_page, title="", summary="x" * 200)
    response = editor_client.post(preview_url(published_page), data)
    html = response.content.decode()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "cannot be previewed until these are corrected" in html
    assert "Title: This field is required." in html


def test_visitors_and_staff_without_page_permission_cannot_preview(
    client, django_user_model, published_page
):
    data = page_form_data(published_page, body="Secret change.")
    response = client.post(preview_url(published_page), data)
    assert response.status_code == HTTPStatus.FOUND and "/admin/login/" in response["Location"]
    client.force_login(django_user_model.objects.create_user("clerk", is_staff=True))
    assert client.post(preview_url(published_page), data).status_code == HTTPStatus.FORBIDDEN


def test_opening_the_preview_address_directly_goes_back_to_the_editor(
    editor_client, published_page
):
    response = editor_client.get(preview_url(published_page))
    assert response["Location"] == reverse("admin:pages_page_change", args=[published_page.pk])


def test_preview_shows_a_newly_chosen_figure_and_saves_nothing(
    editor_client, published_page, media_root
):
    image = make_image(alt_text="A chart of infusion prices")
    data = page_form_data(published_page, figure=image.pk)
    response = editor_client.post(preview_url(published_page), data)
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert 'alt="A chart of infusion prices"' in html and "<picture>" in html
    published_page.refresh_from_db()
    assert published_page.figure is None
