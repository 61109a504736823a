"""A page with pictures, held to the same standards as every public view: axe-core and
the Nu HTML Checker at zero, and the browser picking the small WebP on a phone."""

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from playwright.sync_api import expect

from pages.models import Page
from tests.conftest import image_bytes, make_image

from .tools import DESKTOP, PHONE, describe_vnu, run_axe, serious_violations, validate_html

pytestmark = pytest.mark.browser


@pytest.fixture
def pictured_page(site):
    """The cost page with a figure and a captioned picture in its text.

    The files go to the real MEDIA_ROOT (the live server serves that folder) and are
    removed afterwards.
    """
    figure = make_image(
        alt_text="A nurse beside a reclining infusion chair",
        caption="A treatment room",
        credit="Photo: the network",
    )
    inline = make_image(
        alt_text="A bill listing infusion fees", content=image_bytes(1000, 700, "PNG")
    )
    page = Page.objects.get(path="learn/cost")
    page.figure = figure
    page.body += f'<figure><img src="/x" alt="" data-file="{inline.pk}"><figcaption>A typical bill</figcaption></figure>'
    page.save()
    yield page
    for image in (figure, inline):
        for name in [image.file.name, *image.renditions.values_list("file", flat=True)]:
            default_storage.delete(name)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_page_with_pictures_has_no_serious_accessibility_violations(
    site, new_page, pictured_page, viewport
):
    page = new_page(**viewport)
    page.goto(site.url("/learn/cost/"))
    expect(page.get_by_role("img", name="A bill listing infusion fees")).to_be_visible()
    violations = serious_violations(run_axe(page))
    assert not violations, "\n".join(violations)


def test_a_phone_loads_the_small_webp_and_every_picture_has_its_size(
    site, phone_page, pictured_page
):
    phone_page.goto(site.url("/learn/cost/"))
    figure = phone_page.get_by_role("img", name="A nurse beside a reclining infusion chair")
    expect(figure).to_be_visible()
    source, complete = figure.evaluate("img => [img.currentSrc, img.complete]")
    assert source.endswith("-480.webp") and complete
    for img in phone_page.locator("article img").all():
        assert img.get_attribute("width") and img.get_attribute("height")


@pytest.mark.django_db
def test_a_page_with_pictures_has_no_errors_in_the_nu_html_checker(pictured_page):
    html = Client().get("/learn/cost/").content.decode()
    assert html.count("<picture>") == 2
    errors = describe_vnu(validate_html({"pictures": html})["pictures"])
    assert not errors, "\n".join(errors)
