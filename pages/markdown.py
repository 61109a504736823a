"""Markdown to safe HTML for staff-written page bodies."""

import nh3
from markdown_it import MarkdownIt

# Raw HTML in the source is not passed through ("html": False), and the output
# is sanitized again with an allow-list, so neither a careless paste nor a
# hostile editor account can put script into a public page.
_markdown = MarkdownIt("commonmark", {"html": False, "typographer": True}).enable(
    ["table", "strikethrough", "replacements", "smartquotes"]
)

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def render_markdown(source: str) -> str:
    """Render Markdown and return HTML that keeps only the allow-listed markup."""
    return nh3.clean(
        _markdown.render(source or ""),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
