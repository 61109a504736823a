"""The page editor in Chromium: the visual editor's toolbar and shortcuts, pasting,
the page chooser and the live preview, all under the site's real Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

from pages.models import Page

from .conftest import log_in

pytestmark = pytest.mark.browser

WORD_PASTE = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{margin:0}'
    "</style></head><body><!--StartFragment--><h1 style='color:red'>Pasted title</h1>"
    "<p class=MsoNormal style='mso-margin-top-alt:auto'><b><span style='font-size:14pt;"
    "font-family:Calibri'>Strong words</span></b> and <i>slanted</i><o:p></o:p></p>"
    '<ul style="margin-left:2em"><li class=MsoListParagraph><span style="color:blue">Item</span></li></ul>'
    '<p><a href="javascript:alert(1)">bad link</a> <img src="x" onerror="window.pasted = 1">'
    "<font face=Arial>old font</font></p><!--EndFragment--></body></html>"
)


# Refusals that are the point: the live preview's frame runs no script, and the
# CSP refuses the style attributes and event handlers of pasted HTML while the
# editor reads it.
EXPECTED_REFUSALS = (
    "Failed to load resource",
    "in 'about:srcdoc' because",
    "Applying inline style",
    "Executing inline event handler",
)


def open_editor(page, site, editor, path="learn/cost"):
    """Sign in and open a page's change form; returns the list of console problems."""
    problems = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" and not any(r in message.text for r in EXPECTED_REFUSALS)
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} {response.url}")
            if response.status >= 400 and "favicon" not in response.url
            else None
        ),
    )
    log_in(page, site, editor)
    pk = Page.objects.get(path=path).pk
    page.goto(site.url(f"/admin/pages/page/{pk}/change/"))
    expect(page.locator(".tiptap.ProseMirror")).to_be_visible()
    return problems


def empty_editor(page):
    body = page.locator(".tiptap.ProseMirror")
    body.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    return body


def body_html(page):
    return page.locator("#id_body").input_value()


def toolbar(page, name):
    return page.locator(".prose-menubar").get_by_role("button", name=name, exact=True)


def test_each_toolbar_button_makes_its_element_and_the_save_keeps_it(
    site, page, editor, without_sign_off
):
    problems = open_editor(page, site, editor)
    empty_editor(page)
    page.keyboard.type("A heading")
    page.locator(".prose-menubar__selected").first.click()
    page.locator(".prose-menubar__picker").get_by_text("Heading 3").click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    body = page.locator(".tiptap.ProseMirror")
    for name, words in [("bold", "Strong"), ("italic", "Slanted")]:
        toolbar(page, name).click()  # on: what is typed next is bold (or italic)
        page.keyboard.type(words)
        toolbar(page, name).click()  # off again
        page.keyboard.type(" plain")
        page.keyboard.press("Enter")
    for name, words in [("unordered list", "Bullet"), ("ordered list", "Numbered")]:
        body.press_sequentially(words)
        toolbar(page, name).click()
        page.keyboard.press("End")
        page.keyboard.press("Enter")
        page.keyboard.press("Enter")  # leave the list
    body.press_sequentially("Quoted")
    toolbar(page, "blockquote").click()
    html = body_html(page)
    for element in ["<h3>A heading</h3>", "<strong>Strong</strong>", "<em>Slanted</em>",
                    "<ul><li><p>Bullet</p></li></ul>", "<ol><li><p>Numbered</p></li></ol>",
                    "<blockquote><p>Quoted</p></blockquote>"]:  # fmt: skip
        assert element in html
    page.get_by_role("button", name="Publish changes", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    saved = Page.objects.get(path="learn/cost").body
    assert "<h3>A heading</h3>" in saved and "<blockquote><p>Quoted</p></blockquote>" in saved
    assert not problems


def test_keyboard_shortcuts_format_text(site, page, editor):
    open_editor(page, site, editor)
    empty_editor(page)
    # Each shortcut on a new, empty line, then the words it formats.
    for keys, words, undo in [
        ("Control+Alt+2", "Section", None),
        ("Control+Alt+4", "Smaller", None),
        ("Control+b", "bold", "Control+b"),
        ("Control+i", "italic", "Control+i"),
        ("Control+Shift+8", "bullet", "Enter"),
        ("Control+Shift+7", "numbered", "Enter"),
        ("Control+Shift+b", "quote", None),
    ]:
        page.keyboard.press(keys)
        page.keyboard.type(words)
        if undo:
            page.keyboard.press(undo)
        page.keyboard.press("Enter")
    html = body_html(page)
    for element in ["<h2>Section</h2>", "<h4>Smaller</h4>", "<strong>bold</strong>",
                    "<em>italic</em>", "<ul><li><p>bullet", "<ol><li><p>numbered",
                    "<blockquote><p>quote"]:  # fmt: skip
        assert element in html, element


def test_text_pasted_from_word_keeps_only_the_editors_elements(site, page, editor):
    problems = open_editor(page, site, editor)
    body = empty_editor(page)
    body.evaluate(
        """(el, html) => {
            const data = new DataTransfer()
            data.setData("text/html", html)
            data.setData("text/plain", "Pasted")
            el.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}))
        }""",
        WORD_PASTE,
    )
    html = body_html(page)
    assert "<strong>Strong words</strong>" in html and "<em>slanted</em>" in html
    assert "<li><p>Item</p></li>" in html and "Pasted title" in html and "old font" in html
    assert page.evaluate("window.pasted") is None  # the pasted handler never ran
    for leftover in [
        "style",
        "class=",
        "Mso",
        "<span",
        "<font",
        "<h1",
        "javascript",
        "onerror",
        "<!--",
    ]:
        assert leftover not in html, leftover
    assert not problems


def test_a_link_is_made_to_a_page_chosen_by_its_title(site, page, editor):
    open_editor(page, site, editor)
    empty_editor(page)
    page.keyboard.type("See the infusion page")
    page.keyboard.press("Shift+Home")
    toolbar(page, "insert link").click()
    dialog = page.locator("dialog.prose-editor-dialog")
    dialog.get_by_role("button", name="Choose a page…").click()
    dialog.get_by_role("searchbox", name="Search pages by title").fill("infusion")
    dialog.get_by_role("button", name="The Infusion Experience").click()
    expect(dialog.get_by_role("textbox").first).to_have_value("/learn/infusion-experience/")
    dialog.get_by_role("button", name="Apply").click()
    pk = Page.objects.get(path="learn/infusion-experience").pk
    assert f'href="/learn/infusion-experience/" data-page-id="{pk}"' in body_html(page)


def test_the_live_preview_follows_typing_and_switches_to_phone_width(site, page, editor):
    problems = open_editor(page, site, editor)
    preview = page.frame_locator(".live-preview iframe")
    expect(preview.get_by_role("heading", level=1)).to_have_text("Cost")
    page.locator(".tiptap.ProseMirror").click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("Most clinics now take card payments.")
    expect(preview.get_by_text("Most clinics now take card payments.")).to_be_visible()
    expect(page.locator(".live-preview__status")).to_have_text("Up to date")
    expect(page.locator(".live-preview__words")).to_contain_text("min to read")
    expect(page.locator(".live-preview__grade")).to_contain_text("Reading grade")
    page.get_by_label("Title:").fill("Cost of treatment")
    expect(preview.get_by_role("heading", level=1)).to_have_text("Cost of treatment")
    page.locator(".live-preview").get_by_role("button", name="Phone").click()
    assert page.locator(".live-preview iframe").evaluate("el => el.style.width") == "390px"
    assert Page.objects.get(path="learn/cost").title == "Cost"  # nothing saved
    assert not problems


def test_a_picture_from_the_library_is_placed_in_the_text_and_served_responsively(
    site, new_page, editor, without_sign_off
):
    from django.core.files.storage import default_storage

    from tests.conftest import make_image

    chair = make_image(alt_text="A reclining infusion chair", caption="The chair")
    try:
        page = new_page()
        problems = open_editor(page, site, editor)
        empty_editor(page)
        page.keyboard.type("Our clinic.")
        page.keyboard.press("Enter")
        toolbar(page, "figure").click()
        dialog = page.locator("dialog.prose-editor-dialog")
        with page.context.expect_page() as picker_window:
            dialog.get_by_role("button", name="Browse...").click()
        picker = picker_window.value
        # Its script binds the buttons once loaded: a click before then would do nothing.
        picker.wait_for_load_state("load")
        # Choosing closes the window at once; an ordinary click() can find its page gone
        # before it has finished, so the click is dispatched and the closing awaited.
        with picker.expect_event("close"):
            picker.get_by_role("button", name="A reclining infusion chair").dispatch_event("click")
        expect(dialog.get_by_label("Alternative Text")).to_have_value("A reclining infusion chair")
        dialog.get_by_role("button", name="Insert").click()
        assert f'data-file="{chair.pk}"' in body_html(page)
        page.get_by_role("button", name="Publish changes", exact=True).first.click()
        expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
        visitor = new_page()
        visitor.goto(site.url("/learn/cost/"))
        picture = visitor.get_by_role("img", name="A reclining infusion chair")
        expect(picture).to_be_visible()
        assert picture.get_attribute("loading") == "lazy" and picture.get_attribute("srcset")
        expect(visitor.locator("figcaption", has_text="The chair")).to_be_visible()
        assert not problems
    finally:
        for name in [chair.file.name, *chair.renditions.values_list("file", flat=True)]:
            default_storage.delete(name)
