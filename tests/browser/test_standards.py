"""Every public view held to accessibility and HTML standards: axe-core in Chromium
(WCAG 2.2 A and AA, colour contrast included), the Nu HTML Checker on the HTML the
server sends, reflow at 320 px and text zoomed to 200%."""

import io
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from playwright.sync_api import expect

from feedback.forms import make_token
from pages.models import Page

from .tools import (
    DESKTOP,
    GOOD_FEEDBACK,
    MISTAKES,
    PHONE,
    PSYCHIATRISTS,
    VIEWS,
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
    # bypass_csp: axe is added to the page as a script the site did not serve, which
    # the site's Content Security Policy would rightly refuse. See run_axe.
    page = new_page(bypass_csp=True, **viewport)
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
        return client.post(submit, {**fields, "timestamp": make_token(page)}, follow=True)

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


def horizontal_overflow(page):
    """How many CSS pixels the page is wider than its window (0: no sideways scroll)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("view", VIEWS)
def test_no_horizontal_scroll_at_320_px_wide(site, new_page, view):
    # WCAG 1.4.10 Reflow: content fits 320 CSS px without scrolling in two directions.
    page = new_page(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    show(page, site.base, view)
    assert horizontal_overflow(page) == 0


def test_open_menu_fits_320_px_wide(site, new_page):
    page = new_page(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    page.goto(site.url(PSYCHIATRISTS))
    page.get_by_role("button", name="Menu").click()
    menu = page.get_by_role("navigation", name="Main")
    menu.get_by_text("Learn", exact=True).click()
    expect(menu.get_by_role("link", name="Opposition from Psychiatrists")).to_be_visible()
    assert horizontal_overflow(page) == 0


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
    assert horizontal_overflow(page) == 0
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
