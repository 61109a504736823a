"""Nothing on a page moves as it settles (Cumulative Layout Shift 0), measured as
Lighthouse measures it: Chromium's layout-shift entries, under phone emulation."""

import time

import pytest

from .tools import PHONE, PSYCHIATRISTS

pytestmark = pytest.mark.browser

# Every layout shift Chromium recorded since the page began loading, summed as
# Lighthouse sums them (shifts right after a tap or key press do not count).
LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      if (!entry.hadRecentInput) { total += entry.value; }
    }
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 500);
})"""


def arrive_late(route):
    """The script arrives well after the page and stylesheet, as on a slow phone network:
    the page is painted before it runs."""
    time.sleep(0.5)
    route.continue_()


@pytest.mark.parametrize("path", ["/", PSYCHIATRISTS])
@pytest.mark.parametrize("size", [PHONE, {}], ids=["phone", "desktop"])
def test_nothing_moves_while_the_page_loads(site, new_page, path, size):
    page = new_page(**size)
    page.route("**/*.js", arrive_late)
    page.goto(site.url(path), wait_until="load")
    assert page.evaluate(LAYOUT_SHIFT) == 0
