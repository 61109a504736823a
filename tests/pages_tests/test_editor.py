import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from http import HTTPStatus
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.contrib.staticfiles import finders
from django.urls import reverse

from pages.models import Page
from tests.conftest import make_page, page_form_data


class ElementCollector(HTMLParser):
    """The elements of a page, each with its attributes."""

    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_sign_off")]


def change_url(page):
    return reverse("admin:pages_page_change", args=[page.pk])


def test_the_body_is_edited_in_the_visual_editor_with_our_own_assets(editor_client, published_page):
    response = editor_client.get(change_url(published_page))
    html = response.content.decode()
    assert "data-django-prose-editor-configurable" in html
    assert "django_prose_editor/editor.js" in html and "js/editor-extensions.js" in html
    tags = [line for line in html.splitlines() if "<script" in line or "<link" in line]
    assert not [tag for tag in tags if "//" in tag.replace("://testserver", "")]
    # The import map is the one inline script; it carries the response's nonce.
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script type="importmap" nonce="{nonce}">' in html
    assert finders.find("js/editor-extensions.js")


def test_public_pages_carry_no_nonce(client, published_page):
    assert "nonce" not in client.get("/learn/cost/")["Content-Security-Policy"]


def test_hostile_html_posted_past_the_editor_is_cleaned_in_every_field(editor_client, client):
    page = make_page("Cost")
    script = "<script>alert(1)</script>"
    data = page_form_data(
        page,
        body=f'<p onclick="x()">Fine {script}<a href="javascript:alert(1)">x</a></p>',
        epigraph_quote=script,
        byline=f"<img src=x onerror=alert(1)>{script}",
        summary=f"{script} summary",
    )
    assert editor_client.post(change_url(page), data).status_code == HTTPStatus.FOUND
    page.refresh_from_db()
    assert page.body == "<p>Fine <a>x</a></p>"
    html = client.get("/cost/").content.decode()
    parsed = ElementCollector()
    parsed.feed(html)
    assert not [attrs for tag, attrs in parsed.elements if tag == "script" and "src" not in attrs]
    assert not [attrs for _, attrs in parsed.elements if any(n.startswith("on") for n in attrs)]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # other fields are shown as text


def test_page_chooser_finds_pages_by_title_and_says_which_visitors_cannot_see(editor_client):
    cost = make_page("Cost of treatment", parent=make_page("Learn"))
    draft = make_page("Costly draft", status=Page.Status.DRAFT)
    make_page("Something else")
    response = editor_client.get(reverse("admin:pages_page_choose"), {"q": "cost"})
    assert response.status_code == HTTPStatus.OK
    assert json.loads(response.content)["results"] == [
        {"id": draft.pk, "title": "Costly draft", "url": "/costly-draft/", "visible": False},
        {
            "id": cost.pk,
            "title": "Cost of treatment",
            "url": "/learn/cost-of-treatment/",
            "visible": True,
        },
    ]


def test_page_chooser_is_for_staff_who_may_edit_pages(client, django_user_model):
    assert client.get(reverse("admin:pages_page_choose")).status_code == HTTPStatus.FOUND
    client.force_login(django_user_model.objects.create_user("clerk", is_staff=True))
    assert client.get(reverse("admin:pages_page_choose")).status_code == HTTPStatus.FORBIDDEN


def test_links_visitors_could_not_follow_are_listed_but_the_page_is_saved(editor_client):
    page = make_page("Cost")
    draft = make_page("Plans", status=Page.Status.DRAFT)
    gone = make_page("Gone")
    gone_pk = gone.pk
    gone.delete()
    body = (
        f'<p><a href="/plans/" data-page-id="{draft.pk}">our plans</a>, '
        f'<a href="/gone/" data-page-id="{gone_pk}">old page</a>, '
        '<a href="/no/such/page/">typo</a>, <a href="/cost/">fine</a>, '
        '<a href="/search/?q=x">search</a>, <a href="https://example.org/">elsewhere</a></p>'
    )
    response = editor_client.post(change_url(page), page_form_data(page, body=body))
    assert response.status_code == HTTPStatus.FOUND
    page.refresh_from_db()
    assert page.body.startswith("<p><a")  # saved
    (warning,) = [m for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    text = str(warning)
    assert "3 link(s) would not work" in text
    assert "“our plans” links to “Plans”, which visitors cannot see" in text
    assert "“old page” links to a page that no longer exists" in text
    assert "“typo” links to /no/such/page/, where there is no page" in text
    assert "fine" not in text and "search" not in text and "elsewhere" not in text


def test_a_page_with_working_links_saves_without_a_warning(editor_client, published_page):
    body = f'<p><a href="/learn/" data-page-id="{published_page.parent_id}">Learn</a></p>'
    response = editor_client.post(
        change_url(published_page), page_form_data(published_page, body=body)
    )
    assert not [m for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]


def test_the_csp_admits_the_editors_base_stylesheet_by_its_hash(settings):
    bundle = Path(finders.find("django_prose_editor/editor.js")).read_text()
    css = re.search(r"let \w+=`(\.ProseMirror \{.*?)`", bundle, re.DOTALL).group(1)
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in settings.SECURE_CSP["style-src"]
