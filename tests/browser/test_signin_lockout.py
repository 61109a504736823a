"""A person locked out of the admin is told why, until when and whom to ask, in the
admin's own look, on a desktop and on a phone."""

import os

import pytest
from playwright.sync_api import expect

from .tools import PHONE

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_locked_out_editor_sees_until_when_and_whom_to_ask(new_page, site, editor, size):
    page = new_page(**(PHONE if size == "phone" else {}))
    for _ in range(5):
        page.goto(site.url("/admin/login/"))
        page.get_by_label("Username").fill(editor.username)
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("signing in is paused")
    expect(page.get_by_text("Try again after")).to_be_visible()
    expect(page.get_by_text("Ask the person who runs this site")).to_be_visible()
    expect(page.get_by_role("link", name="Back to the sign-in page")).to_be_visible()
    # Nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    if shots := os.environ.get("LOCKOUT_SCREENSHOTS"):
        page.screenshot(path=f"{shots}/lockout-{size}.png", full_page=True)
