"""The page body: what the visual editor may produce, and the allow-list every save goes through.

The editor (django-prose-editor) and the server agree on one list of elements,
``BODY_EXTENSIONS``; whatever is posted, with or without the editor, is cleaned
by nh3 down to it, so nothing that runs script reaches a public page.
"""

import html as html_module
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3
from django.urls import reverse_lazy
from markdown_it import MarkdownIt

# What editors can write: headings 2-4 (the page title is the h1), bold, italic,
# lists, links, block quotes and pictures from the image library.
BODY_EXTENSIONS = {
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "PageLink": {
        "protocols": ["http", "https", "mailto", "tel"],
        "enableTarget": False,
        "chooserUrl": reverse_lazy("admin:pages_page_choose"),
    },
    "Figure": {"pickerUrl": reverse_lazy("admin:pages_image_choose")},
    "Caption": True,
    "Image": True,
    "History": True,
    "SpecialCharacters": True,
}

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "ul", "ol", "li", "blockquote", "a",
    "figure", "figcaption", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    # data-page-id names the page an internal link points to, so the link follows
    # the page when it moves (see resolve_page_links).
    "a": {"href", "title", "data-page-id"},
    "ol": {"start"},
    # data-file names the picture in the image library (the editor's figure picker
    # stores it there); its renditions replace the <img> when the page is rendered.
    "img": {"src", "alt", "width", "height", "data-file"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

# Older bodies (Markdown) may hold elements the editor has no button for; their
# nearest equivalent keeps the structure instead of flattening it to text.
_RENAMED_TAGS = [
    (re.compile(r"<(/?)h1\b", re.IGNORECASE), r"<\1h2"),
    (re.compile(r"<(/?)h[56]\b", re.IGNORECASE), r"<\1h4"),
    (re.compile(r"<(/?)b\b(?=[\s>])", re.IGNORECASE), r"<\1strong"),
    (re.compile(r"<(/?)i\b(?=[\s>])", re.IGNORECASE), r"<\1em"),
]
_EMPTY_BODY = re.compile(r"^\s*(<p>\s*(<br>)?\s*</p>\s*)*$")
# A picture must come from the library: a pasted <img> would load from anywhere
# (a tracking pixel), and has no renditions or checked alt text.
_IMG_NOT_FROM_LIBRARY = re.compile(r"<img\b(?![^>]*\sdata-file=\"\d+\")[^>]*>")

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    # Script and style are dropped with their contents, not kept as text.
    clean_content_tags={"script", "style"},
    # No target="_blank" is allowed, so links need no rel="noopener".
    link_rel=None,
    strip_comments=True,
)


def clean_body(html: str) -> str:
    """The body with only the allow-listed elements, attributes and link schemes kept."""
    html = html or ""
    for pattern, replacement in _RENAMED_TAGS:
        html = pattern.sub(replacement, html)
    cleaned = _IMG_NOT_FROM_LIBRARY.sub("", _cleaner.clean(html)).strip()
    return "" if _EMPTY_BODY.match(cleaned) else cleaned


def clean_text_html(value: str) -> str:
    """A plain-text field with any markup removed (its text kept), for fields shown escaped."""
    return nh3.clean(value or "", tags=set(), clean_content_tags={"script", "style"})


_A_TAG = re.compile(r"<a\b[^>]*>", re.IGNORECASE)
_PAGE_ID = re.compile(r'\sdata-page-id="(\d+)"')
_HREF = re.compile(r'\shref="[^"]*"')


def linked_page_ids(html: str) -> list[int]:
    """The pks of the pages the body links to with the page chooser, in order."""
    return [int(pk) for tag in _A_TAG.findall(html or "") for pk in _PAGE_ID.findall(tag)]


def resolve_page_links(html: str, url_for_pk) -> str:
    """Point each chosen-page link at the page's current address.

    ``url_for_pk(pk)`` returns the address, or None to keep the stored one
    (a page visitors cannot see keeps the address it was saved with).
    """

    def resolve(match):
        tag = match.group(0)
        found = _PAGE_ID.search(tag)
        url = url_for_pk(int(found.group(1))) if found else None
        if not url:
            return tag
        href = f' href="{url}"'
        return _HREF.sub(href, tag, count=1) if _HREF.search(tag) else tag[:-1] + href + ">"

    return _A_TAG.sub(resolve, html or "")


@dataclass(frozen=True)
class BodyLink:
    """One link in a body: its address, chosen page (if any) and words."""

    href: str
    page_id: int | None
    text: str


class _LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.open = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            attrs = dict(attrs)
            page_id = attrs.get("data-page-id") or ""
            self.open = [attrs.get("href") or "", int(page_id) if page_id.isdigit() else None, ""]

    def handle_data(self, data):
        if self.open is not None:
            self.open[2] += data

    def handle_endtag(self, tag):
        if tag == "a" and self.open is not None:
            href, page_id, text = self.open
            self.links.append(BodyLink(href, page_id, " ".join(text.split())))
            self.open = None


def body_links(html: str) -> list[BodyLink]:
    """The links in a (cleaned) body, in order."""
    collector = _LinkCollector()
    collector.feed(html or "")
    collector.close()
    return collector.links


# Page bodies were written in Markdown before the visual editor; the data migration
# and the starter files (pages/starter/*.md) still convert it, the same way the
# site rendered it then. Raw HTML in the source stays text, as it always did.
_markdown = MarkdownIt("commonmark", {"html": False, "typographer": True}).enable(
    ["table", "strikethrough", "replacements", "smartquotes"]
)


def markdown_to_html(source: str) -> str:
    """Markdown as the cleaned HTML the editor works with."""
    return clean_body(_markdown.render(source or ""))


def link_to_pages(html: str, pk_for_path) -> str:
    """Mark links typed as a page's address as links to that page (``data-page-id``).

    ``pk_for_path(path)`` returns the pk of the page at a path ("" for the home
    page), or None. Links already marked, and links elsewhere, are left alone.
    """

    def mark(match):
        tag = match.group(0)
        href = _HREF.search(tag)
        if _PAGE_ID.search(tag) or not href:
            return tag
        address = html_module.unescape(href.group(0)[7:-1]).split("#", 1)[0].split("?", 1)[0]
        if not address.startswith("/") or address.startswith("//"):
            return tag
        pk = pk_for_path(address.strip("/"))
        return tag[:-1] + f' data-page-id="{pk}">' if pk else tag

    return _A_TAG.sub(mark, html or "")


_BLOCK_END = re.compile(r"</(p|h[2-4]|li|blockquote|figcaption)>")


def block_break(html: str) -> str:
    """The body with a sentence break after each block, for counting sentences in its text.

    A heading or list item has no full stop, but it is not part of the next sentence.
    """
    return _BLOCK_END.sub(lambda m: f".</{m.group(1)}> ", html or "").replace("..<", ".<")


_BLOCK_CLOSE = re.compile(r"</(?:p|h[2-4]|li|blockquote|figcaption|ul|ol)>|<br\s*/?>", re.I)
_ANY_TAG = re.compile(r"<[^>]*>")


def readable_text(html: str) -> str:
    """The body as a person reads it, one block a line, for word-by-word comparisons.

    Tags are markup, not words: compared as text they would show as changes.
    """
    text = _ANY_TAG.sub("", _BLOCK_CLOSE.sub("\n", html or ""))
    lines = (" ".join(line.split()) for line in html_module.unescape(text).splitlines())
    return "\n".join(line for line in lines if line)
