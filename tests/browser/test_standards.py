"""Every public view held to accessibility and HTML standards: axe-core in Chromium
(WCAG 2.2 A and AA, colour contrast included), the Nu HTML Checker on the HTML the
server sends, reflow at 320 px and text zoomed to 200%."""

import io
import re
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from playwright.sync_api import expect

from pages.models import Page
from pages.revisions import latest_version_id

from .tools import (
    DESKTOP,
    GOOD_FEEDBACK,
    MISTAKES,
    PHONE,
    PSYCHIATRISTS,
    VIEWS,
    contrast_ratio,
    describe_vnu,
    run_axe,
    serious_violations,
    show,
    validate_html,
)

pytestmark = pytest.mark.browser

STATUS = {
    "home": HTTPStatus.OK,
    "learn": HTTPStatus.OK,
    "opposition-child": HTTPStatus.OK,
    "form-errors": HTTPStatus.BAD_REQUEST,
    "confirmation": HTTPStatus.OK,
    "not-found": HTTPStatus.NOT_FOUND,
    "search": HTTPStatus.OK,
}
# What shows that the view is the one meant (an error page or a thank-you by mistake
# would be checked in its place otherwise).
MARK = {
    "home": "Introduction to Ketamine Therapy",
    "learn": "In this section",
    "opposition-child": "Opposition from Psychiatrists",
    "form-errors": "Your feedback has not been sent yet",
    "confirmation": "Thank you. Your comments have been sent privately to the team.",
    "not-found": "We could not find that page",
    "search": "match “ketamine therapy”",
}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("view", VIEWS)
def test_no_serious_or_critical_accessibility_violations(site, new_page, view, viewport):
    # The page keeps its Content Security Policy: run_axe works within it.
    page = new_page(**viewport)
    assert show(page, site.base, view) == STATUS[view]
    expect(page.locator("main")).to_contain_text(MARK[view])

    results = run_axe(page)

    violations = serious_violations(results)
    assert not violations, "\n".join(violations)
    ran = {rule["id"] for kind in ("passes", "violations", "incomplete") for rule in results[kind]}
    assert {"color-contrast", "target-size"} <= ran  # the WCAG AA checks did run
    # Contrast axe could not decide (text over an image, say) would need a person.
    assert [rule["id"] for rule in results["incomplete"] if rule["id"] == "color-contrast"] == []


@pytest.fixture(scope="module")
def vnu_messages(django_db_setup, django_db_blocker):
    """The Nu HTML Checker's errors for each view, from one run of the checker.

    The HTML is what the server sends (Django's test client, inside a transaction
    rolled back afterwards): that is what vnu checks when given an address. One run
    for all views, because the JVM's start-up is most of vnu's time.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        cache.clear()
        call_command("load_starter_content", stdout=io.StringIO())
        with override_settings(FEEDBACK_MIN_SECONDS=0):
            responses = server_responses(Client())
        transaction.set_rollback(True)
    cache.clear()
    for view, response in responses.items():
        assert response.status_code == STATUS[view], view
        assert MARK[view] in response.text, view
    return validate_html({view: response.text for view, response in responses.items()})


def server_responses(client):
    """Each of VIEWS as the server answers it, the two form posts made as a browser would."""
    page = Page.objects.get(path=PSYCHIATRISTS.strip("/"))
    submit = reverse("feedback:submit", args=[page.pk])

    def post(fields):
        return client.post(
            submit, {**fields, "revision": latest_version_id(page) or ""}, follow=True
        )

    return {
        "home": client.get("/"),
        "learn": client.get("/learn/"),
        "opposition-child": client.get(PSYCHIATRISTS),
        "form-errors": post(MISTAKES),
        "confirmation": post(GOOD_FEEDBACK),
        "not-found": client.get("/learn/no-such-page/"),
        "search": client.get("/search/?q=ketamine+therapy"),
    }


# django_db: the test database must be made even when these are the only tests run.
@pytest.mark.django_db
@pytest.mark.parametrize("view", VIEWS)
def test_html_has_no_errors_in_the_nu_html_checker(vnu_messages, view):
    errors = describe_vnu(vnu_messages[view])
    assert not errors, "\n".join(errors)


# Every element that sticks out sideways past the window or clips its own content, and
# the page's width if it scrolls sideways. A wide table's cells are reachable by
# scrolling the table, as WCAG's reflow criterion allows, so they are left alone.
FIND_SIDEWAYS_PROBLEMS = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "") +
    ' "' + (el.textContent || "").trim().slice(0, 40) + '"';
  if (document.documentElement.scrollWidth > width) {
    problems.push(`the page is ${document.documentElement.scrollWidth}px wide in a ${width}px window`);
  }
  for (const el of document.body.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;  // empty, or visually hidden on purpose
    const scroller = el.parentElement && el.parentElement.closest("table, pre");
    if (scroller && ["auto", "scroll"].includes(getComputedStyle(scroller).overflowX)) continue;
    if (box.right > width + 1 || box.left < -1) {
      problems.push(`${name(el)} spans ${Math.round(box.left)}..${Math.round(box.right)}px`);
    }
    for (const axis of ["X", "Y"]) {
      const clips = ["hidden", "clip"].includes(style["overflow" + axis]);
      const [inner, outer] = axis === "X" ? [el.scrollWidth, el.clientWidth] : [el.scrollHeight, el.clientHeight];
      if (clips && inner > outer + 1) problems.push(`${name(el)} clips its content (${axis})`);
    }
  }
  return problems;
}"""


def sideways_problems(page):
    """What would make a reader scroll sideways or lose text ([]: nothing)."""
    return page.evaluate(FIND_SIDEWAYS_PROBLEMS)


@pytest.mark.parametrize("view", VIEWS)
def test_no_horizontal_scroll_or_clipped_content_at_320_px_wide(site, new_page, view):
    # WCAG 1.4.10 Reflow: content fits 320 CSS px without scrolling in two directions.
    page = new_page(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    show(page, site.base, view)
    assert sideways_problems(page) == []


def test_open_menu_fits_320_px_wide(site, new_page):
    page = new_page(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    page.goto(site.url(PSYCHIATRISTS))
    page.get_by_role("button", name="Menu").click()
    menu = page.get_by_role("navigation", name="Main")
    menu.get_by_text("Learn", exact=True).click()
    expect(menu.get_by_role("link", name="Opposition from Psychiatrists")).to_be_visible()
    assert sideways_problems(page) == []


@pytest.mark.parametrize("view", VIEWS)
def test_text_zoomed_to_200_percent_stays_readable_without_sideways_scroll(site, new_page, view):
    # WCAG 1.4.4 Resize text, the way a "zoom text only" setting does it: the root font
    # size doubles at an ordinary 1280x800 window. (Whole-page zoom to 200% is the same
    # layout as a 640 px window, which the 320 px test above already covers.) All of the
    # site's sizes are in rem/em, so everything grows with it; nothing may then be cut
    # off or pushed sideways out of the window.
    page = new_page(**DESKTOP)
    show(page, site.base, view)
    heading = page.get_by_role("heading", level=1)
    size_before = font_size(heading)

    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")

    assert font_size(heading) == pytest.approx(2 * size_before)
    assert sideways_problems(page) == []
    readable = [heading]
    if view not in {"not-found", "search"}:
        readable += [
            page.get_by_label("Your name"),
            page.get_by_label("Your comments about this page"),
            page.get_by_role("button", name="Send feedback"),
        ]
    for element in readable:
        element.scroll_into_view_if_needed()
        expect(element).to_be_in_viewport()
        box = element.bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= DESKTOP["viewport"]["width"]


def font_size(locator):
    return locator.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")


# The focused element's outline, and the colours next to the ring on each side of the
# element that has room: just outside its outer edge and just inside its inner edge.
# Where a side of the ring lies within the element (an inset ring), the colour there is
# the element's own; elsewhere it is whatever lies behind.
DESCRIBE_FOCUS_RING = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const offset = parseFloat(style.outlineOffset);
  const outer = offset + parseFloat(style.outlineWidth);
  // Distances from the element's edge, outward positive.
  const distances = [outer < 0 ? outer + 0.5 : outer + 1, offset - 1];
  const colourAt = (x, y, inside) => {
    for (const under of document.elementsFromPoint(x, y)) {
      if (!inside && (under === el || el.contains(under))) continue;
      const colour = getComputedStyle(under).backgroundColor;
      if (colour !== "rgba(0, 0, 0, 0)") return colour;
    }
    return "rgb(255, 255, 255)";
  };
  const around = [];
  const midX = box.left + box.width / 2, midY = box.top + box.height / 2;
  for (const d of distances) {
    const points = [
      [box.left - d, midY], [box.right + d, midY], [midX, box.top - d], [midX, box.bottom + d],
    ].filter(([x, y]) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight);
    for (const [x, y] of points) around.push(colourAt(x, y, d < 0));
  }
  return {
    key: Array.prototype.indexOf.call(document.querySelectorAll("*"), el),
    name: el.tagName.toLowerCase() + ' "' + el.textContent.trim().slice(0, 40) + '"',
    style: style.outlineStyle, width: parseFloat(style.outlineWidth),
    colour: style.outlineColor, around: around,
  };
}"""


def rgb(css_colour):
    return tuple(int(part) for part in re.findall(r"\d+", css_colour)[:3])


def focus_ring_problems(page, max_stops=150):
    """Tab through the page; describe each stop whose ring is missing or too faint."""
    problems, seen = [], set()
    for _ in range(max_stops):
        page.keyboard.press("Tab")
        ring = page.evaluate(DESCRIBE_FOCUS_RING)
        if ring is None or ring["key"] in seen:
            break
        seen.add(ring["key"])
        if ring["style"] == "none" or ring["width"] < 2:
            problems.append(f"{ring['name']}: no visible focus outline")
            continue
        for around in ring["around"]:
            ratio = contrast_ratio(rgb(ring["colour"]), rgb(around))
            if ratio < 3:
                problems.append(
                    f"{ring['name']}: ring {ring['colour']} on {around} is {ratio:.2f}:1"
                )
    assert len(seen) > 5, "Tab reached almost nothing"
    return problems


def test_keyboard_focus_ring_contrasts_3_to_1_with_its_surroundings_on_desktop(site, page):
    # WCAG 2.2 AA 1.4.11 (non-text contrast) asks 3:1 of a focus indicator against the
    # colours next to it; axe does not check focus indicators at all.
    page.goto(site.url(PSYCHIATRISTS))
    problems = focus_ring_problems(page)  # from the top, menu closed
    page.get_by_role("navigation", name="Main").get_by_text("Learn", exact=True).focus()
    page.keyboard.press("Enter")  # and through the open Learn menu
    assert problems + focus_ring_problems(page) == []


def test_keyboard_focus_ring_contrasts_3_to_1_in_the_open_phone_menu(site, phone_page):
    phone_page.goto(site.url(PSYCHIATRISTS))
    menu = phone_page.get_by_role("navigation", name="Main")
    menu.get_by_role("button", name="Menu").click()
    menu.get_by_text("Learn", exact=True).click()
    phone_page.get_by_role("link", name="Skip to main content").focus()
    assert focus_ring_problems(phone_page) == []
