"""A visitor finds their way: the phone menu, and the keyboard alone."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def main_nav(page):
    return page.get_by_role("navigation", name="Main")


def learn_toggle(page):
    # <summary> has no ARIA role of its own to find it by; its text is what people see.
    return main_nav(page).locator("summary", has_text="Learn")


def test_phone_visitor_reaches_a_nested_opposition_page_through_the_menu_alone(site, phone_page):
    page = phone_page
    page.goto(site.url("/"))
    learn_link = main_nav(page).get_by_role("link", name="Opposition from Psychiatrists")
    expect(learn_link).to_be_hidden()

    menu_button = page.get_by_role("button", name="Menu")
    expect(menu_button).to_have_attribute("aria-expanded", "false")
    menu_button.tap()
    expect(menu_button).to_have_attribute("aria-expanded", "true")
    learn_toggle(page).tap()
    for child in ["Big Pharma", "Researchers", "Opposition from Psychiatrists"]:
        expect(main_nav(page).get_by_role("link", name=child)).to_be_visible()

    learn_link.tap()
    expect(page).to_have_url(site.url("/learn/opposition/psychiatrists/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Opposition from Psychiatrists")


def focused_text(page):
    return page.evaluate("document.activeElement.textContent.trim()")


def test_tab_reaches_the_skip_link_first_and_then_the_menu(site, page):
    page.goto(site.url("/learn/cost/"))
    stops = []
    for _ in range(5):
        page.keyboard.press("Tab")
        stops.append(focused_text(page))
    assert stops == [
        "Skip to main content",
        "Ketamine Patient Network",
        "Introduction to Ketamine Therapy",
        "Learn",
        "Articles",
    ]


def test_skip_link_moves_focus_to_the_main_content(site, page):
    page.goto(site.url("/learn/cost/"))
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    page.keyboard.press("Tab")
    # The next stop is inside the article, past the whole menu.
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


@pytest.mark.parametrize("key", ["Enter", " "], ids=["Enter", "Space"])
def test_learn_menu_opens_from_the_keyboard_and_its_links_are_reachable(site, page, key):
    page.goto(site.url("/"))
    learn_toggle(page).focus()
    page.keyboard.press(key)
    expect(main_nav(page).get_by_role("link", name="Learn: overview")).to_be_visible()

    page.keyboard.press("Tab")
    expect(main_nav(page).get_by_role("link", name="Learn: overview")).to_be_focused()
    for _ in range(20):
        if focused_text(page) == "Opposition from Psychiatrists":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/learn/opposition/psychiatrists/$"))


def test_escape_closes_the_learn_menu_and_returns_focus_to_it(site, page):
    page.goto(site.url("/"))
    learn_toggle(page).focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(main_nav(page).get_by_role("link", name="Learn: overview")).to_be_hidden()
    expect(learn_toggle(page)).to_be_focused()
