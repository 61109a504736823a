"""Every starter page, with everything it loads, fits in 40 KB compressed from our own host."""

import gzip
import re
from html.parser import HTMLParser
from http import HTTPStatus

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from pages.management.commands.load_starter_content import starter_pages

BUDGET = 40 * 1024
# Links that name an address without the browser fetching it.
NOT_FETCHED = {"canonical", "alternate", "author", "license", "me"}


class Resources(HTMLParser):
    """The addresses a browser would fetch to show the page."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and not NOT_FETCHED & set((attrs.get("rel") or "").split()):
            self.urls.append(attrs.get("href"))
        elif tag in {"script", "img", "iframe", "source", "audio", "video", "embed", "track"}:
            self.urls.append(attrs.get("src"))
            self.urls += [c.split()[0] for c in (attrs.get("srcset") or "").split(",") if c]
        elif tag == "object":
            self.urls.append(attrs.get("data"))
        elif tag == "form":
            self.urls.append(attrs.get("action"))


def fetched_by(html):
    parser = Resources()
    parser.feed(html)
    return [url for url in parser.urls if url]


def css_urls(css):
    return re.findall(r"""url\(\s*['"]?([^'")]+)""", css) + re.findall(
        r"""@import\s+['"]([^'"]+)""", css
    )


def is_other_host(url):
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url, re.I))


def static_file(url):
    path = finders.find(url.removeprefix("/static/").split("?")[0])
    assert path, f"{url} is not one of our static files"
    with open(path, "rb") as fh:
        return fh.read()


@pytest.fixture
def starter_site(db):
    call_command("load_starter_content", stdout=None)


def page_urls():
    return ["/" if spec.fields.get("is_home") else f"/{spec.path}/" for spec in starter_pages()]


@pytest.mark.parametrize("url", page_urls())
def test_page_and_everything_it_loads_is_at_most_40_kb_compressed(client, starter_site, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    total = len(gzip.compress(response.content, compresslevel=6))
    assets = [u for u in fetched_by(html) if u.startswith("/static/")]
    for asset in assets:
        body = static_file(asset)
        total += len(gzip.compress(body, compresslevel=9))
        if asset.endswith(".css"):
            for inner in css_urls(body.decode()):
                if not inner.startswith("data:"):
                    total += len(gzip.compress(static_file(inner), compresslevel=9))
    assert any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets)
    assert total <= BUDGET, f"{url} transfers {total} bytes compressed"


@pytest.mark.parametrize("url", page_urls())
def test_page_loads_nothing_from_another_host(client, starter_site, url):
    html = client.get(url).content.decode()
    others = [u for u in fetched_by(html) if is_other_host(u)]
    for asset in (u for u in fetched_by(html) if u.startswith("/static/") and u.endswith(".css")):
        others += [u for u in css_urls(static_file(asset).decode()) if is_other_host(u)]
    assert others == []


def test_the_resource_check_would_notice_a_font_from_another_host():
    html = '<link rel="stylesheet" href="https://fonts.example.com/css"><link rel="canonical" href="https://ketamine.example/">'
    assert [u for u in fetched_by(html) if is_other_host(u)] == ["https://fonts.example.com/css"]
    assert is_other_host("//cdn.example.com/x.js") and not is_other_host("/static/x.js")
