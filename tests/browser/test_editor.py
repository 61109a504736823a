"""The page editor in Chromium: the visual editor's toolbar, pasting, the page chooser
and the live preview, all under the site's real Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

from pages.models import Page

from .conftest import log_in

pytestmark = pytest.mark.browser


def open_editor(page, site, editor, path="learn/cost"):
    """Sign in and open a page's change form; returns the list of console problems."""
    problems = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if message.type in ("error", "warning") else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    log_in(page, site, editor)
    pk = Page.objects.get(path=path).pk
    page.goto(site.url(f"/admin/pages/page/{pk}/change/"))
    expect(page.locator(".tiptap.ProseMirror")).to_be_visible()
    return problems


def test_explore(site, page, editor):
    problems = open_editor(page, site, editor)
    page.screenshot(path="/tmp/editor.png", full_page=True)  # noqa: S108
    print(problems)
    assert not problems
