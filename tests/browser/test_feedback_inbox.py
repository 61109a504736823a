"""The feedback inbox as reviewers see it: every column on screen, at desktop size with
the admin's side menu open and on a phone, and a record that opens with its words."""

import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from reversion.models import Version

from feedback.models import Feedback
from pages.models import Page

from .conftest import log_in
from .tools import DESKTOP, PHONE, run_axe, serious_violations

pytestmark = pytest.mark.browser

COLUMNS = {
    "urgent badge": ".field-state .urgent-flag",
    "status": ".field-state .feedback-status",
    "page": ".field-page_display",
    "sent": ".field-sent",
    "name": ".field-name",
    "comments": ".field-excerpt",
}
LONG = (
    "I read this page twice and I think the section on what a session costs is out of "
    "date: the clinic near me charges far more, and insurance paid nothing at all. "
) * 4
# `make screenshots`-style pictures of the inbox, when asked for (git ignores screenshots/).
SHOTS = os.environ.get("INBOX_SCREENSHOTS")


def axe_within(page, selector):
    """axe-core's results for one part of the page: ours, not the rest of Django's admin."""
    run_axe(page)  # loads axe into the page
    return page.evaluate(
        """selector => axe.run(selector, {
            rules: {"color-contrast": {enabled: true}, "target-size": {enabled: true}},
            resultTypes: ["violations"],
        })""",
        selector,
    )


@pytest.fixture
def inbox(site):
    cost = Page.objects.get(path="learn/cost")
    now = timezone.now()
    Feedback.objects.create(
        page=cost,
        name="Alexandra Constantinopoulou-Whitfield",
        comments="Sometimes I think about suicide when the treatment wears off. " + LONG,
        is_urgent=True,
        submitted_at=now - timezone.timedelta(hours=5),
        page_version=Version.objects.get_for_object(cost).first(),
    )
    # The page has changed since that visitor read it.
    words = cost.body.split(" ")
    words[12:15] = ["(changed", "since", "then)"]
    cost.body = " ".join(words)
    cost.save()
    for n in range(3):
        Feedback.objects.create(
            page=cost,
            name=f"Reader {n}",
            comments=LONG,
            submitted_at=now - timezone.timedelta(hours=n),
            status=Feedback.Status.REVIEWED if n else Feedback.Status.NEW,
        )


def assert_on_screen(page, locator, what):
    """Shown without scrolling sideways: inside the window and inside the list's own box
    (which would otherwise scroll, hiding the columns on its right)."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    shown = page.locator("#changelist .results").bounding_box()
    right_edge = min(page.viewport_size["width"], shown["x"] + shown["width"])
    assert box["x"] >= max(0, shown["x"]), (what, box, shown)
    assert box["x"] + box["width"] <= right_edge + 0.5, (what, box, shown)
    assert box["width"] > 20, (what, box)  # wide enough to read, not squeezed to nothing


@pytest.mark.parametrize("device", [DESKTOP, PHONE], ids=["desktop-1280x800", "phone-390x844"])
def test_every_inbox_column_is_on_screen_at_desktop_and_phone_sizes(
    site, new_page, reviewer, inbox, device
):
    page = new_page(**device)
    log_in(page, site, reviewer)
    page.goto(site.url("/admin/feedback/feedback/"))
    if device is DESKTOP:
        expect(page.locator("#nav-sidebar")).to_be_visible()  # the side menu is open
    urgent_row = page.locator("#result_list tbody tr").first
    for what, selector in COLUMNS.items():
        assert_on_screen(page, urgent_row.locator(selector), what)
    expect(urgent_row.locator(".urgent-flag")).to_have_text("URGENT")
    expect(urgent_row.locator(".feedback-status")).to_have_text("New")
    results = page.locator("#changelist .results")
    assert results.evaluate("e => e.scrollWidth <= e.clientWidth"), "the list scrolls sideways"
    # Two lines of the comments, not the whole text.
    excerpt = urgent_row.locator(".feedback-excerpt")
    line = float(excerpt.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
    assert excerpt.bounding_box()["height"] <= 2 * line + 1
    assert not serious_violations(axe_within(page, "#result_list"))
    if SHOTS:
        name = "desktop" if device is DESKTOP else "phone"
        size = f"{device['viewport']['width']}x{device['viewport']['height']}"
        page.screenshot(path=Path(SHOTS) / f"inbox-{name}-{size}.png")
        urgent_row.locator(".field-sent a").click()
        page.screenshot(path=Path(SHOTS) / f"record-{name}-{size}.png", full_page=True)


@pytest.mark.parametrize("device", [DESKTOP, PHONE], ids=["desktop-1280x800", "phone-390x844"])
def test_a_record_opens_on_its_words_and_next_follows_the_filtered_list(
    site, new_page, reviewer, inbox, device
):
    page = new_page(**device)
    log_in(page, site, reviewer)
    page.goto(site.url("/admin/feedback/feedback/?status__exact=new"))
    page.locator("#result_list tbody tr").first.locator(".field-sent a").click()
    comments = page.locator(".feedback-comments-text")
    expect(comments).to_contain_text("Sometimes I think about suicide")
    expect(comments.locator("mark")).to_have_text("suicide")
    assert comments.bounding_box()["y"] < page.viewport_size["height"]  # no scrolling to it
    expect(page.get_by_text("1 of 2")).to_be_visible()
    expect(page.get_by_role("link", name="Clear urgent flag")).to_be_visible()
    page.get_by_role("link", name="Next ›").click()
    expect(page.get_by_text("2 of 2")).to_be_visible()  # the reviewed ones are skipped
    expect(page.locator(".feedback-comments-text")).to_contain_text("I read this page twice")
    page.get_by_role("link", name="‹ Previous").click()
    expect(page.get_by_text("1 of 2")).to_be_visible()
    # What the reader saw: the article, changes since marked, the source behind a toggle.
    article = page.locator(".reader-saw-article")
    expect(article.locator("h1")).to_have_text("Cost")
    expect(article.locator("ins").first).to_contain_text("(changed since then)")
    expect(page.locator(".reader-saw-source")).to_be_hidden()
    page.get_by_text("The source text of the body").click()
    expect(page.locator(".reader-saw-source")).to_be_visible()
    assert not serious_violations(axe_within(page, "#content-main"))
    if SHOTS:
        name = "desktop" if device is DESKTOP else "phone"
        size = f"{device['viewport']['width']}x{device['viewport']['height']}"
        page.screenshot(path=Path(SHOTS) / f"record-{name}-{size}.png", full_page=True)
