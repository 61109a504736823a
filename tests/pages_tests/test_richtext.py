import importlib
import json
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from reversion.models import Revision, Version

from pages.richtext import clean_body, link_to_pages, markdown_to_html, resolve_page_links
from tests.conftest import make_page

HOSTILE = [
    "<script>alert(1)</script>",
    "<style>body{display:none}</style>",
    '<img src="x" onerror="alert(1)">',
    '<a href="#" onclick="alert(1)">x</a>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "<iframe src=https://example.com></iframe>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<form action="https://evil.example"><input name=x></form>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
]


class ElementCollector(HTMLParser):
    """Collects the real elements and attributes of an HTML fragment."""

    def __init__(self):
        super().__init__()
        self.tags, self.attrs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)


def parse(html):
    parsed = ElementCollector()
    parsed.feed(html)
    return parsed


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_html_is_neutralised(source):
    parsed = parse(clean_body(source))
    assert not set(parsed.tags) & {"script", "style", "iframe", "svg", "math", "form", "object"}
    assert not [name for name, _ in parsed.attrs if name.startswith("on") or name == "style"]
    assert not [v for n, v in parsed.attrs if n in ("href", "src") and ":" in v.split("/")[0]]


def test_the_editors_elements_are_kept():
    html = (
        "<h2>Cost</h2><h3>Fees</h3><h4>Detail</h4><p><strong>b</strong> <em>i</em><br>x</p>"
        '<ul><li>one</li></ul><ol start="3"><li>two</li></ol><blockquote><p>q</p></blockquote>'
        '<p><a href="/learn/cost/" data-page-id="7">c</a></p>'
        '<figure><img src="/media/a.png" alt="A chart" data-file="4"><figcaption>Cap</figcaption></figure>'
    )
    cleaned = clean_body(html)
    assert parse(cleaned).tags == parse(html).tags
    assert 'data-page-id="7"' in cleaned and 'data-file="4"' in cleaned


@pytest.mark.parametrize(
    "href", ["https://example.org/", "http://example.org/", "mailto:a@example.org", "tel:+15550100"]
)
def test_external_links_keep_only_web_mail_and_phone_addresses(href):
    assert f'href="{href}"' in clean_body(f'<a href="{href}">x</a>')


@pytest.mark.parametrize("href", ["ftp://example.org/", "file:///etc/passwd", "javascript:x()"])
def test_other_link_schemes_are_stripped(href):
    assert "href" not in clean_body(f'<a href="{href}">x</a>')


def test_a_word_document_paste_is_cleaned_to_the_editors_elements():
    word = (
        '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{}</style>'
        "</head><body><!--StartFragment--><p class=MsoNormal style='mso-margin-top-alt:auto'>"
        "<b><span style='font-size:14pt;font-family:Calibri'>Heading-ish</span></b><o:p></o:p></p>"
        '<h1 style="color:red">Big title</h1><font face="Arial">old font</font>'
        "<table class=MsoTableGrid><tr><td>cell</td></tr></table><!--EndFragment--></body></html>"
    )
    cleaned = clean_body(word)
    assert parse(cleaned).tags == ["p", "strong", "h2"]
    assert "Heading-ish" in cleaned and "old font" in cleaned and "cell" in cleaned
    assert "Mso" not in cleaned and "style" not in cleaned and "<!--" not in cleaned


def test_only_pictures_from_the_library_are_kept():
    cleaned = clean_body(
        '<p><img src="https://tracker.example/p.gif" alt=""></p>'
        '<figure><img src="/media/renditions/a-800.jpg" alt="Chair" data-file="4"></figure>'
    )
    assert "tracker" not in cleaned and 'data-file="4"' in cleaned


def test_an_empty_editor_is_an_empty_body():
    assert clean_body("<p></p>") == ""


def test_markdown_converts_to_headings_lists_and_links():
    html = markdown_to_html("## Cost\n\n- one\n- two\n\n[Read more](/learn/cost/)\n\n##### Small")
    assert "<h2>Cost</h2>" in html and "<li>one</li>" in html and "<h4>Small</h4>" in html
    assert '<a href="/learn/cost/">Read more</a>' in html


def test_links_typed_as_a_pages_address_become_links_to_that_page():
    html = '<a href="/learn/cost/#fees">c</a> <a href="https://x.org/cost/">x</a> <a href="/">h</a>'
    linked = link_to_pages(html, {"learn/cost": 7, "": 1}.get)
    assert '<a href="/learn/cost/#fees" data-page-id="7">' in linked
    assert '<a href="https://x.org/cost/">' in linked and '<a href="/" data-page-id="1">' in linked


def test_a_link_to_a_chosen_page_is_pointed_at_where_the_page_lives_now():
    html = '<a href="/old/place/" data-page-id="7">c</a><a href="/x/" data-page-id="8">d</a>'
    resolved = resolve_page_links(html, {7: "/new/place/"}.get)
    assert '<a href="/new/place/" data-page-id="7">' in resolved
    assert '<a href="/x/" data-page-id="8">' in resolved  # unknown to visitors: kept


@pytest.mark.django_db
def test_body_is_cleaned_when_saved_and_served_as_stored(client):
    page = make_page("Cost", body="<p><strong>bold</strong><script>x()</script></p>")
    assert page.body == page.body_html == "<p><strong>bold</strong></p>"
    # Tamper with the stored HTML: the view must serve what was stored, not re-render.
    type(page).objects.filter(pk=page.pk).update(body_html="<p>stored copy</p>")
    assert b"stored copy" in client.get(page.get_absolute_url()).content


@pytest.mark.django_db
def test_the_migration_turns_markdown_bodies_and_revisions_into_html_without_loss():
    migration = importlib.import_module("pages.migrations.0011_body_html_from_markdown")
    cost = make_page("Cost")
    page = make_page("Intro")
    markdown = "## Why\n\nSee [cost](/cost/) and *more*.\n\n> quoted"
    type(page).objects.filter(pk=page.pk).update(body=markdown)
    revision = Revision.objects.create(comment="old", date_created=timezone.now())
    Version.objects.create(
        revision=revision,
        object_id=str(page.pk),
        content_type=ContentType.objects.get_for_model(page),
        db="default",
        format="json",
        serialized_data=json.dumps(
            [{"model": "pages.page", "pk": page.pk, "fields": {"body": markdown}}]
        ),
        object_repr="Intro",
    )
    migration.convert(apps, None)
    page.refresh_from_db()
    for html in (
        page.body,
        page.body_html,
        json.loads(Version.objects.get().serialized_data)[0]["fields"]["body"],
    ):
        assert html.startswith("<h2>Why</h2>") and "<em>more</em>" in html
        assert 'href="/cost/"' in html and f'data-page-id="{cost.pk}"' in html
        assert "<blockquote>\n<p>quoted</p>\n</blockquote>" in html
