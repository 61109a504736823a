"""What staff do, in a real browser: a reviewer works through feedback, an editor
changes and previews pages, and each is kept to their own part of the admin."""

import csv
import re
from http import HTTPStatus

import pytest
from playwright.sync_api import expect

from feedback.models import Feedback
from pages.models import Page, SiteSettings

from .conftest import log_in
from .tools import PSYCHIATRISTS, THANKS, send_feedback

pytestmark = pytest.mark.browser


def open_admin_list(page, name):
    """From the admin's home, open a model's list by its row, as a person would."""
    page.get_by_role("rowheader", name=name, exact=True).get_by_role("link").click()


def test_reviewer_finds_feedback_by_a_word_marks_it_reviewed_and_exports_it(
    site, new_page, reviewer
):
    visitor = new_page()
    visitor.goto(site.url(PSYCHIATRISTS))
    send_feedback(visitor, name="Sam Visitor", comments="Please cite the zanos paper.")
    expect(visitor.get_by_text(THANKS)).to_be_visible()
    Feedback.objects.create(
        page=Page.objects.get(path="learn/cost"), name="Other", comments="Prices are old."
    )

    page = new_page()
    log_in(page, site, reviewer)
    open_admin_list(page, "Feedback")
    page.get_by_role("textbox", name="Search").fill("zanos")
    page.get_by_role("button", name="Search").click()

    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Sam Visitor")
    expect(rows).to_contain_text("New")
    rows.get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Action").select_option(
        label="Mark selected feedback as reviewed"
    )
    page.get_by_role("button", name="Run").click()
    expect(page.get_by_text("1 feedback marked as reviewed.")).to_be_visible()
    expect(rows).to_contain_text("Reviewed")

    rows.get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Action").select_option(
        label="Export selected feedback as CSV"
    )
    with page.expect_download() as download:
        page.get_by_role("button", name="Run").click()
    assert re.fullmatch(r"feedback-\d{4}-\d\d-\d\d\.csv", download.value.suggested_filename)
    with open(download.value.path(), encoding="utf-8-sig", newline="") as exported:
        records = list(csv.DictReader(exported))
    assert len(records) == 1
    assert "Please cite the zanos paper." in records[0].values()
    assert "Sam Visitor" in records[0].values()
    assert Feedback.objects.get(name="Sam Visitor").status == Feedback.Status.REVIEWED


def test_editor_changes_a_page_and_the_next_visitor_sees_it(site, new_page, editor):
    # Without the medical sign-off (tests/browser/test_editing_workflow.py has it).
    settings = SiteSettings.load()
    settings.require_review = False
    settings.save()
    visitor = new_page()
    visitor.goto(site.url("/learn/cost/"))
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Cost")
    expect(visitor.get_by_text("Most clinics now take card payments.")).to_have_count(0)

    page = new_page()
    log_in(page, site, editor)
    open_admin_list(page, "Pages")
    page.get_by_role("link", name=re.compile(r"^— Cost$")).click()
    # The body is a visual editor: type at its end, as an editor would.
    page.locator(".tiptap.ProseMirror").click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("Most clinics now take card payments.")
    page.get_by_label("Status").select_option(label="Published")
    # The form has a row of buttons at its top and another at its foot.
    page.get_by_role("button", name="Publish changes", exact=True).last.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    visitor.reload()
    expect(visitor.get_by_text("Most clinics now take card payments.")).to_be_visible()


def test_editor_is_refused_the_feedback_admin(site, page, editor):
    log_in(page, site, editor)
    expect(page.get_by_role("link", name="Visitor feedback")).to_have_count(0)
    expect(page.get_by_role("rowheader", name="Feedback", exact=True)).to_have_count(0)

    response = page.goto(site.url("/admin/feedback/feedback/"))
    assert response.status == HTTPStatus.FORBIDDEN
    expect(page.get_by_role("heading", level=1)).to_contain_text("Forbidden")


def test_draft_page_is_hidden_from_visitors_and_previewed_by_the_editor(site, new_page, editor):
    Page.objects.create(
        parent=Page.objects.get(path="learn"),
        title="Esketamine Nasal Spray",
        slug="esketamine",
        body="Draft notes on the nasal spray.",
        status=Page.Status.DRAFT,
    )
    visitor = new_page()
    response = visitor.goto(site.url("/learn/esketamine/"))
    assert response.status == HTTPStatus.NOT_FOUND
    expect(visitor.get_by_role("heading", level=1)).to_have_text("We could not find that page")
    visitor.goto(site.url("/learn/"))
    expect(visitor.get_by_role("link", name="Esketamine Nasal Spray")).to_have_count(0)

    page = new_page()
    log_in(page, site, editor)
    open_admin_list(page, "Pages")
    row = page.locator("#result_list tr", has_text="Esketamine Nasal Spray")
    with page.context.expect_page() as preview_tab:
        row.get_by_role("link", name="Preview").click()
    preview = preview_tab.value
    preview.wait_for_load_state()
    expect(preview).to_have_url(site.url("/learn/esketamine/"))
    expect(preview.get_by_role("heading", level=1)).to_have_text("Esketamine Nasal Spray")
    expect(preview.get_by_text("Draft notes on the nasal spray.")).to_be_visible()
    expect(
        preview.get_by_text("Preview: visitors cannot see this page yet (draft)")
    ).to_be_visible()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_reviewer_sees_what_feedback_waits_on_the_admin_home_and_opens_the_spam(
    site, new_page, reviewer, size
):
    from .conftest import PHONE

    cost = Page.objects.get(path="learn/cost")
    Feedback.objects.create(page=cost, name="A", comments="Prices are old.")
    Feedback.objects.create(page=cost, name="B", comments="Buy pills", status="spam")
    page = new_page(**(PHONE if size == "phone" else {}))
    log_in(page, site, reviewer)
    counts = page.locator("#feedback-counts")
    expect(counts).to_be_in_viewport()
    expect(counts.get_by_role("link", name="New: 1")).to_be_visible()
    # The counts fit the screen: nothing to scroll sideways to.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    counts.get_by_role("link", name="Spam: 1").click()
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Buy pills")


def test_every_pages_list_column_fits_beside_the_side_menu_at_1280_pixels(site, page, editor):
    log_in(page, site, editor)
    page.goto(site.url("/admin/pages/page/"))
    expect(page.locator("#nav-sidebar")).to_be_visible()  # the side menu is open
    results = page.locator("#changelist .results")
    assert results.evaluate("e => e.scrollWidth <= e.clientWidth"), "the list scrolls sideways"
    first_row = page.locator("#result_list tbody tr").first
    expect(first_row.get_by_role("link", name="View live")).to_be_in_viewport()
