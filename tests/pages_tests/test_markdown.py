from html.parser import HTMLParser

import pytest

from pages.markdown import render_markdown
from tests.conftest import make_page

HOSTILE = [
    "<script>alert(1)</script>",
    "<style>body{display:none}</style>",
    '<img src="x" onerror="alert(1)">',
    '<a href="#" onclick="alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](<javascript:alert(1)>)",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=https://example.com></iframe>",
    "![x](javascript:alert(1))",
    "[x]: javascript:alert(1)\n\n[click][x]",
]


class ElementCollector(HTMLParser):
    """Collects the real elements and attributes of an HTML fragment."""

    def __init__(self):
        super().__init__()
        self.tags, self.attrs = set(), []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs.extend(attrs)


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_is_neutralised(source):
    parsed = ElementCollector()
    parsed.feed(render_markdown(source))
    assert not parsed.tags & {"script", "style", "iframe", "img"}
    assert not [name for name, _ in parsed.attrs if name.startswith("on")]
    assert not [v for n, v in parsed.attrs if n == "href" and "script:" in v.lower()]


def test_ordinary_markdown_renders_headings_lists_links_and_tables():
    html = render_markdown(
        "## Cost\n\n- one\n- two\n\n[Read more](/learn/cost/)\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert "<h2>Cost</h2>" in html
    assert "<li>one</li>" in html
    assert '<a href="/learn/cost/" rel="noopener noreferrer">Read more</a>' in html
    assert "<td>1</td>" in html


@pytest.mark.django_db
def test_body_html_is_rendered_when_saved_not_per_request(client):
    page = make_page("Cost", body="**bold**")
    assert page.body_html == "<p><strong>bold</strong></p>\n"
    # Tamper with the stored HTML: the view must serve what was stored, not re-render.
    type(page).objects.filter(pk=page.pk).update(body_html="<p>stored copy</p>")
    assert b"stored copy" in client.get(page.get_absolute_url()).content
