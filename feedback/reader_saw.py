"""The page a visitor was reading when they wrote, rebuilt from its saved revision, with
what has changed since marked word by word in the rendered article."""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.core.exceptions import ObjectDoesNotExist
from django.utils.html import escape
from django.utils.safestring import mark_safe

from pages import revisions
from pages.models import Page

# A tag, a run of other non-space characters (a word, entities included), or spaces.
HTML_TOKENS = re.compile(r"<[^>]*>|[^<\s]+|\s+")
BLOCK_TAG = re.compile(r"</?(p|h[1-6]|li|ul|ol|blockquote|pre|table|tr|hr|br)\b", re.I)
# The fields the article shows; any other change is listed apart.
SHOWN_FIELDS = [
    "title",
    "byline",
    "epigraph_quote",
    "epigraph_person",
    "epigraph_role",
    "body",
    "figure",
]


def page_then(version):
    """The page as it was in ``version``: an unsaved Page whose derived fields (the body's
    HTML among them) come from ``Page.derive_fields``, as a save would have made them."""
    page = Page(pk=int(version.object_id), **revisions.revision_values(version))
    try:
        page.derive_fields()
    except ObjectDoesNotExist:
        # The parent has been deleted since; only the address depends on it.
        page.parent_id = None
        page.derive_fields()
    return page


def html_diff(old_html, new_html):
    """The article body as it was (``old_html``) with the words removed since in <del>
    and the words added since in <ins>.

    The markup stays that of the old body, so the result is as well formed as it was;
    markup that only the new body has is left out. Both inputs are the cleaned HTML
    that Page.derive_fields makes: their text is already escaped and they hold no
    script, which is why the result may be marked safe.
    """
    a, b = HTML_TOKENS.findall(old_html or ""), HTML_TOKENS.findall(new_html or "")
    parts = []
    for op, i1, i2, j1, j2 in _merged_opcodes(a, b):
        if op == "equal":
            parts.extend(a[i1:i2])
            continue
        parts.extend(_marked(a[i1:i2], "del", keep_tags=True))
        parts.extend(_marked(b[j1:j2], "ins", keep_tags=False))
    return mark_safe("".join(parts))  # noqa: S308 - built from cleaned HTML only, see above


def _merged_opcodes(a, b):
    """SequenceMatcher's steps, with a lone space kept between two changes folded into
    them, so a reworded sentence reads as one struck-out and one added phrase."""
    # autojunk off: in a long article it would treat spaces and common words as noise.
    steps = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    merged = []
    for n, (op, i1, i2, j1, j2) in enumerate(steps):
        between_changes = 0 < n < len(steps) - 1
        if op == "equal" and between_changes and not "".join(a[i1:i2]).strip():
            op = "replace"
        if op != "equal" and merged and merged[-1][0] != "equal":
            _, first_i, _, first_j, _ = merged.pop()
            i1, j1 = first_i, first_j
            op = "replace"
        merged.append((op, i1, i2, j1, j2))
    return merged


def _marked(tokens, mark, *, keep_tags):
    """Runs of text wrapped in <mark>; tags kept as they are, or dropped (a dropped block
    tag between two runs leaves a line break, so added paragraphs do not run together)."""
    run, marked_before, broken = [], False, False
    for token in tokens:
        if not token.startswith("<"):
            run.append(token)
            continue
        text = "".join(run)
        if text.strip():
            if broken:
                yield "<br>"
            yield f"<{mark}>{text}</{mark}>"
            marked_before, broken = True, False
        elif run and keep_tags:
            yield text
        run = []
        if keep_tags:
            yield token
        elif marked_before and BLOCK_TAG.match(token):
            broken = True
    text = "".join(run)
    if text.strip():
        if broken:
            yield "<br>"
        yield f"<{mark}>{text}</{mark}>"
    elif run and keep_tags:
        yield text


def text_then_and_now(old, new):
    """A plain-text field as it was, with the changes since marked (escaped)."""
    if new is None or old == new:
        return escape(old or "")
    return revisions.inline_diff(old or "", new or "")


@dataclass
class SourceLine:
    """A source in the list as it was, or one added since."""

    title: str
    publisher: str
    year: object
    url: str
    change: str = ""  # "removed" since the visitor read it, "added" since, or ""


def sources_then_and_now(version, page):
    """The sources the visitor saw, in order, those removed since marked, then those added."""
    then = revisions.revision_sources(version)
    now = list(page.sources.values(*revisions.SOURCE_FIELDS)) if page is not None else None

    def key(source):
        return (source["title"], source["publisher"], source["year"], source["url"])

    fields = ("title", "publisher", "year", "url")
    now_keys = {key(source) for source in now} if now is not None else None
    lines = [
        SourceLine(
            *(source[name] for name in fields),
            change="removed" if now_keys is not None and key(source) not in now_keys else "",
        )
        for source in then
    ]
    then_keys = {key(source) for source in then}
    for source in now or []:
        if key(source) not in then_keys:
            lines.append(SourceLine(*(source[name] for name in fields), change="added"))
    return lines


def figure_then(page):
    """The library picture the visitor saw, if it is still in the library."""
    if not page.figure_id:
        return None
    try:
        return page.figure
    except ObjectDoesNotExist:  # deleted from the library since
        return None


def article(version, page_now):
    """What the reader-saw template needs to draw the article as the visitor read it."""
    then = page_then(version)
    now = page_now

    def field(name):
        return text_then_and_now(getattr(then, name), getattr(now, name) if now else None)

    return {
        "title": field("title"),
        "byline": field("byline"),
        "epigraph_quote": field("epigraph_quote"),
        "epigraph_person": field("epigraph_person"),
        "epigraph_role": field("epigraph_role"),
        "figure": figure_then(then),
        "figure_gone": bool(then.figure_id) and figure_then(then) is None,
        "figure_changed": now is not None and then.figure_id != now.figure_id,
        "body": html_diff(then.body_html, now.body_html if now else then.body_html),
        "sources": sources_then_and_now(version, now),
        "source_text": then.body,
    }


def shown_labels():
    """The labels revisions.compare gives the fields the article shows."""
    return {str(Page._meta.get_field(name).verbose_name).capitalize() for name in SHOWN_FIELDS}


def not_shown(changes):
    """Of revisions.compare's changes, those to fields the article does not show."""
    shown = shown_labels() | {"Sources"}
    return [change for change in changes if change.label not in shown]
