"""What a visitor does, in a real browser: find a page through the menu on a phone,
send feedback, get a mistake explained, and do it all from the keyboard."""

import re

import pytest
from playwright.sync_api import expect

from feedback.models import Feedback

from .tools import PSYCHIATRISTS, THANKS, send_feedback

pytestmark = pytest.mark.browser


def crisis_band(page):
    return page.get_by_role("complementary", name="Crisis support")


def test_phone_visitor_reaches_a_deep_page_through_the_menu_and_sends_feedback(site, phone_page):
    page = phone_page
    page.goto(site.url("/"))
    # On a phone the menu starts folded behind its button.
    menu = page.get_by_role("navigation", name="Main")
    learn = menu.get_by_text("Learn", exact=True)
    expect(learn).to_be_hidden()

    menu.get_by_role("button", name="Menu").click()
    learn.click()
    menu.get_by_role("link", name="Opposition from Psychiatrists").click()

    expect(page).to_have_url(site.url(PSYCHIATRISTS))
    expect(page.get_by_role("heading", level=1)).to_have_text("Opposition from Psychiatrists")
    send_feedback(page, name="Sam Visitor", comments="The second study is from 2019.")

    expect(page).to_have_url(site.url(f"{PSYCHIATRISTS}#feedback"))
    thanks = page.get_by_text(THANKS)
    expect(thanks).to_be_in_viewport()
    # Next to the form: inside the feedback section, right under its heading.
    feedback_section = page.locator("section#feedback")
    expect(feedback_section.get_by_role("status")).to_have_text(THANKS)
    expect(feedback_section.get_by_role("button", name="Send feedback")).to_be_visible()
    saved = Feedback.objects.get()
    assert (saved.page.path, saved.name) == (PSYCHIATRISTS.strip("/"), "Sam Visitor")
    assert saved.comments == "The second study is from 2019."


def test_phone_visitor_sees_the_crisis_line_on_the_page_and_after_sending_feedback(
    site, phone_page
):
    page = phone_page
    page.goto(site.url(PSYCHIATRISTS))
    band = crisis_band(page)
    expect(band).to_be_in_viewport()
    expect(band).to_contain_text("988")

    send_feedback(page, name="Sam Visitor", comments="Thank you for this page.")
    expect(page.get_by_text(THANKS)).to_be_visible()
    expect(crisis_band(page)).to_be_visible()

    crisis_band(page).get_by_role("link").click()
    expect(page).to_have_url(site.url("/crisis-resources/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("If You Are in Crisis")


def test_mistakes_are_explained_by_their_fields_and_the_comments_are_kept(site, page):
    page.goto(site.url(PSYCHIATRISTS))
    comments = "The dosing table is missing the\nesketamine nasal spray."
    answer = send_feedback(page, name="", email="sam@example", comments=comments)
    assert answer.status == 400

    summary = page.get_by_role("alert")
    expect(summary).to_be_in_viewport()
    expect(summary).to_contain_text("Your feedback has not been sent yet")
    name_field = page.get_by_label("Your name")
    email_field = page.get_by_label("Your email")
    expect(name_field).to_have_attribute("aria-invalid", "true")
    expect(email_field).to_have_attribute("aria-invalid", "true")
    # Each error is written under its own field and tied to it for screen readers.
    expect(name_field).to_have_accessible_description("This field is required.")
    expect(email_field).to_have_accessible_description(
        re.compile(r"Optional: only if you would like a reply\. +Enter a valid email address\.")
    )
    expect(page.get_by_label("Your comments about this page")).to_have_value(comments)
    expect(email_field).to_have_value("sam@example")

    # The summary's links lead to the fields.
    summary.get_by_role("link", name="Your email: Enter a valid email address.").click()
    expect(email_field).to_be_focused()
    summary.get_by_role("link", name="Your name: This field is required.").click()
    expect(name_field).to_be_focused()
    assert not Feedback.objects.exists()


def focused(page):
    """What the keyboard is on: the focused element's id, text, where it sits, and
    whether it shows a focus outline."""
    return page.evaluate(
        """() => {
            const e = document.activeElement;
            return {
                id: e.id,
                text: e.textContent.trim(),
                in_crisis_line: e.closest(".crisis-line") !== null,
                in_menu: e.closest("nav.site-nav") !== null,
                outlined: getComputedStyle(e).outlineStyle !== "none",
            };
        }"""
    )


def tab_until(page, wanted, limit=80):
    """Press Tab until the focused element matches ``wanted``; return the stops passed."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stops.append(focused(page))
        if wanted(stops[-1]):
            return stops
    raise AssertionError(f"not reached in {limit} Tabs: {stops}")


def test_keyboard_alone_reaches_skip_link_then_menu_and_sends_the_form(site, page):
    page.goto(site.url(PSYCHIATRISTS))

    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to main content"
    expect(page.get_by_role("link", name="Skip to main content")).to_be_in_viewport()
    # Then the menu, three stops on. Between them by design: the crisis line's link
    # (help in reach at once, before anything else) and the site name (home).
    crisis, site_name, first_entry = tab_until(page, lambda stop: stop["in_menu"], limit=3)
    assert crisis["in_crisis_line"]
    assert crisis["text"] == "More crisis resources"
    assert site_name["text"] == "Ketamine Patient Network"
    assert first_entry["text"] == "Introduction to Ketamine Therapy"
    assert all(stop["outlined"] for stop in (crisis, site_name, first_entry))
    # The Learn menu opens from the keyboard too.
    tab_until(page, lambda stop: stop["text"] == "Learn", limit=3)
    page.keyboard.press("Enter")
    tab_until(page, lambda stop: stop["text"] == "Opposition from Psychiatrists", limit=12)

    # From a fresh load, the skip link jumps over the header to the article.
    page.reload()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"

    stops = tab_until(page, lambda stop: stop["id"] == "id_username")
    assert all(stop["outlined"] for stop in stops)  # the keyboard's place is always shown
    page.keyboard.type("sam_k")
    page.keyboard.press("Tab")
    page.keyboard.type("Sam Keys")
    page.keyboard.press("Tab")
    page.keyboard.type("sam@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("Written without a mouse.")
    # The honeypot is out of the tab order: the next stop is the button.
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Send feedback"
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.get_by_text(THANKS)).to_be_visible()
    saved = Feedback.objects.get()
    assert (saved.username, saved.name, saved.email) == ("sam_k", "Sam Keys", "sam@example.org")
    assert saved.comments == "Written without a mouse."


def test_learn_menu_opens_with_space_and_escape_closes_it_and_returns_to_it(site, page):
    page.goto(site.url("/"))
    menu = page.get_by_role("navigation", name="Main")
    learn = menu.get_by_text("Learn", exact=True)
    overview = menu.get_by_role("link", name="Learn: overview")
    tab_until(page, lambda stop: stop["text"] == "Learn", limit=6)
    page.keyboard.press(" ")
    expect(overview).to_be_visible()
    page.keyboard.press("Tab")
    expect(overview).to_be_focused()

    page.keyboard.press("Escape")
    expect(overview).to_be_hidden()
    # Focus goes back to the menu's toggle, not to the top of the page.
    expect(learn).to_be_focused()


def test_the_browser_reports_how_long_the_page_was_open_so_a_hasty_post_is_kept_as_spam(
    site, page, settings
):
    # Nobody could be this patient: every post now counts as "too fast", which shows
    # static/js/feedback.js measured the time and the server read it.
    settings.FEEDBACK_MIN_SECONDS = 3600
    page.goto(site.url(PSYCHIATRISTS))
    send_feedback(page, name="Sam Visitor", comments="Quick note.")
    expect(page.locator("section#feedback").get_by_role("status")).to_have_text(THANKS)
    saved = Feedback.objects.get()
    assert saved.status == Feedback.Status.SPAM
    assert re.fullmatch(r"sent \d+\.\d s after the page loaded", saved.spam_reason)
