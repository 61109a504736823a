"""An editor works in the admin; visitors see only what is published."""

from http import HTTPStatus

import pytest
from playwright.sync_api import expect

from pages.models import Page
from tests.conftest import make_page

from .conftest import log_in

pytestmark = pytest.mark.browser


def test_editor_changes_a_page_body_and_a_visitor_sees_it_on_the_next_load(site, editor, new_page):
    visitor = new_page()
    visitor.goto(site.url("/learn/cost/"))  # a visit before the edit, to warm every cache
    expect(visitor.get_by_text("Sliding-scale clinics now exist")).to_have_count(0)

    admin = new_page()
    log_in(admin, site, editor)
    # The "Pages" model row, not the "Pages" application heading above it.
    admin.locator("#content-main a[href$='/pages/page/']").first.click()
    admin.get_by_role("textbox", name="Search").fill("Cost")
    admin.keyboard.press("Enter")
    admin.get_by_role("link", name="— Cost").click()
    body = admin.get_by_label("Body")
    body.fill(body.input_value() + "\n\nSliding-scale clinics now exist in several cities.\n")
    admin.get_by_label("Status").select_option(label="Published")
    admin.get_by_role("button", name="Save", exact=True).first.click()
    expect(admin.locator(".messagelist")).to_contain_text("was changed successfully")

    visitor.reload()
    expect(
        visitor.get_by_text("Sliding-scale clinics now exist in several cities.")
    ).to_be_visible()


def test_draft_page_is_hidden_from_visitors_and_previewed_by_its_editor(site, editor, new_page):
    learn = Page.objects.get(path="learn")
    make_page(
        "Insurance appeals",
        parent=learn,
        status=Page.Status.DRAFT,
        body="How to appeal a refused claim, step by step.",
    )

    visitor = new_page()
    response = visitor.goto(site.url("/learn/insurance-appeals/"))
    assert response.status == HTTPStatus.NOT_FOUND
    expect(visitor.get_by_role("heading", level=1)).to_have_text("We could not find that page")
    visitor.goto(site.url("/learn/"))
    expect(visitor.get_by_role("link", name="Insurance appeals")).to_have_count(0)

    admin = new_page()
    log_in(admin, site, editor)
    admin.goto(site.url("/admin/pages/page/?status__exact=draft"))
    with admin.context.expect_page() as opened:
        admin.get_by_role("link", name="Preview draft").click()
    preview = opened.value
    expect(preview).to_have_url(site.url("/learn/insurance-appeals/"))
    expect(preview.get_by_role("heading", level=1)).to_have_text("Insurance appeals")
    expect(preview.get_by_text("Preview: visitors cannot see this page yet")).to_be_visible()
    expect(preview.get_by_text("How to appeal a refused claim")).to_be_visible()

    # Still hidden from the visitor after the editor's preview.
    assert visitor.goto(site.url("/learn/insurance-appeals/")).status == HTTPStatus.NOT_FOUND
