"""Every public page against the standards: axe-core (WCAG 2.2 A/AA, including colour
contrast), the Nu HTML Checker, reflow at 320 px, and 200% zoom and text size."""

import re

import pytest

from .tools import (
    PHONE,
    contrast_ratio,
    rule_ids,
    run_axe,
    serious_violations,
    validate_html,
    vnu_errors,
)

pytestmark = pytest.mark.browser


def open_path(path):
    def visit(page, site):
        return page.goto(site.url(path)).text()

    return visit


# name -> how a visitor gets there; each returns the HTML the server sent.
VIEWS = {
    "home": open_path("/"),
    "a Learn page": open_path("/learn/cost/"),
    "an Opposition child page": open_path("/learn/opposition/psychiatrists/"),
    "the 404 page": open_path("/no-such-page/"),
}

# Every element that sticks out sideways past the window, or clips its own text.
# Contents of a sideways-scrolling box (a wide table) are reachable by scrolling it,
# as WCAG's reflow criterion allows, so they are left alone.
FIND_OVERFLOW = """() => {
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
    if (box.width === 0 || box.height === 0) continue;
    const scroller = el.parentElement && el.parentElement.closest("table, pre, [data-scrolls]");
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


def assert_no_serious_violations(page, where):
    results = run_axe(page)
    assert serious_violations(results) == [], where
    # Colour contrast (WCAG 2 AA, 1.4.3) is one of axe's default rules; make sure it
    # actually examined text here rather than being skipped as inapplicable.
    assert "color-contrast" in rule_ids(results, "passes"), where
    assert "color-contrast" not in rule_ids(results, "violations"), where
    return results


@pytest.mark.parametrize("name", VIEWS)
def test_page_has_no_serious_or_critical_accessibility_violations(site, new_page, name):
    for size, options in [("desktop", {}), ("phone", PHONE)]:
        page = new_page(**options)
        VIEWS[name](page, site)
        assert_no_serious_violations(page, f"{name} ({size})")


def test_open_phone_menu_has_no_serious_or_critical_accessibility_violations(site, phone_page):
    phone_page.goto(site.url("/learn/cost/"))
    phone_page.get_by_role("button", name="Menu").tap()
    phone_page.get_by_role("navigation", name="Main").locator("summary", has_text="Learn").tap()
    assert_no_serious_violations(phone_page, "phone menu with Learn open")


def test_open_desktop_menu_has_no_serious_or_critical_accessibility_violations(site, page):
    page.goto(site.url("/learn/cost/"))
    page.get_by_role("navigation", name="Main").locator("summary", has_text="Learn").click()
    assert_no_serious_violations(page, "desktop menu with Learn open")


def test_every_checked_page_is_valid_html(site, page):
    documents = {name: visit(page, site) for name, visit in VIEWS.items()}
    messages = validate_html(documents)  # one JVM start for all of them
    errors = {name: vnu_errors(found) for name, found in messages.items()}
    assert errors == {name: [] for name in documents}


@pytest.mark.parametrize("name", VIEWS)
def test_page_reflows_at_320px_wide_and_at_200_percent_zoom_without_sideways_scrolling(
    site, new_page, name
):
    sizes = {
        "320 px wide": {"viewport": {"width": 320, "height": 640}, "is_mobile": True},
        # A 1280 x 800 window zoomed to 200% lays out like this.
        "1280 px at 200% zoom": {
            "viewport": {"width": 640, "height": 400},
            "device_scale_factor": 2,
        },
    }
    for size, options in sizes.items():
        page = new_page(**options)
        VIEWS[name](page, site)
        assert page.evaluate(FIND_OVERFLOW) == [], f"{name} at {size}"


def test_open_phone_menu_fits_320px_wide(site, new_page):
    page = new_page(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    page.goto(site.url("/learn/opposition/psychiatrists/"))
    page.get_by_role("button", name="Menu").tap()
    page.get_by_role("navigation", name="Main").locator("summary", has_text="Learn").tap()
    assert page.evaluate(FIND_OVERFLOW) == []


@pytest.mark.parametrize("name", VIEWS)
def test_text_enlarged_to_200_percent_is_neither_clipped_nor_scrolls_sideways(site, new_page, name):
    page = new_page()
    # Chromium's own text-size setting (Settings > Appearance > Font size), as a reader
    # would set it: 32 px instead of 16 px. rem sizes and rem media queries follow it.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    VIEWS[name](page, site)
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "32px"
    assert page.evaluate(FIND_OVERFLOW) == [], f"{name} with 200% text"


# The focused element's outline, and the colours just outside it on each side with room.
DESCRIBE_FOCUS_RING = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  // Just past the ring's outer edge; an inset ring's surroundings are the element's own.
  const reach = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth) + 1;
  const inset = reach <= 0;
  const points = [
    [box.left - reach, box.top + box.height / 2], [box.right + reach, box.top + box.height / 2],
    [box.left + box.width / 2, box.top - reach], [box.left + box.width / 2, box.bottom + reach],
  ].filter(([x, y]) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight);
  const around = points.map(([x, y]) => {
    for (const under of document.elementsFromPoint(x, y)) {
      if (!inset && (under === el || el.contains(under))) continue;
      const colour = getComputedStyle(under).backgroundColor;
      if (colour !== "rgba(0, 0, 0, 0)") return colour;
    }
    return "rgb(255, 255, 255)";
  });
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
    # WCAG 2.2 AA 1.4.11 (non-text contrast): axe does not check focus indicators.
    page.goto(site.url("/learn/opposition/psychiatrists/"))
    problems = focus_ring_problems(page)  # from the top, menu closed
    learn = page.get_by_role("navigation", name="Main").locator("summary", has_text="Learn")
    learn.focus()
    page.keyboard.press("Enter")  # and through the open Learn menu
    assert problems + focus_ring_problems(page) == []


def test_keyboard_focus_ring_contrasts_3_to_1_in_the_open_phone_menu(site, phone_page):
    phone_page.goto(site.url("/learn/opposition/psychiatrists/"))
    phone_page.get_by_role("button", name="Menu").tap()
    phone_page.get_by_role("navigation", name="Main").locator("summary", has_text="Learn").tap()
    phone_page.get_by_role("link", name="Skip to main content").focus()
    assert focus_ring_problems(phone_page) == []
