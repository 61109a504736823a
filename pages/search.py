"""Site search with one interface on both databases.

PostgreSQL uses its full-text search (English stemming, title weighted over summary
over body); SQLite, for development, matches words and ranks them in Python. Either
way only ``Page.objects.published()`` is searched, and each hit carries a passage
of its text as escaped HTML with the matched words in ``<mark>``.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Page

MAX_QUERY_CHARS = 200
MAX_TERMS = 10
PASSAGE_WORDS = 35
# Private-use characters mark the matches in PostgreSQL's raw-text headline, so the
# whole passage can be escaped first and the markers turned into <mark> after.
MARK_START, MARK_STOP = "\ue000", "\ue001"
# Only the columns a result needs: page bodies can be long.
RESULT_FIELDS = ["title", "slug", "path", "is_home", "summary", "updated_at"]


@dataclass(frozen=True)
class SearchHit:
    """One result: the page, and a passage of its text as safe HTML."""

    page: Page
    headline: SafeString


def search_terms(query):
    """The words of a visitor's query: letters and digits only, at most 10, from
    its first 200 characters, so an absurd query costs no more than a short one."""
    return re.findall(r"[^\W_]+", query[:MAX_QUERY_CHARS])[:MAX_TERMS]


def search_pages(query):
    """Visible pages containing every word of ``query``, best first.

    Returns a sequence that ``Paginator`` can count and slice; it is empty when the
    query has no words.
    """
    terms = search_terms(query)
    if not terms:
        return []
    pages = Page.objects.published()
    if connection.vendor == "postgresql":
        return PostgresResults(pages, terms)
    return simple_results(pages, terms)


class PostgresResults:
    """Full-text results, counted and sliced in the database: only the rows of the
    page of results being shown get a headline, the costly part."""

    def __init__(self, pages, terms):
        query = SearchQuery(" ".join(terms), search_type="websearch", config="english")
        # search_document is models.search_vector(), stored on save and GIN-indexed.
        self.queryset = (
            pages.filter(search_document=query)
            .annotate(
                rank=SearchRank(F("search_document"), query),
                passage=SearchHeadline(
                    Concat("summary", Value(" "), "body_text", output_field=TextField()),
                    query,
                    config="english",
                    start_sel=MARK_START,
                    stop_sel=MARK_STOP,
                    max_words=PASSAGE_WORDS,
                    min_words=15,
                ),
            )
            .only(*RESULT_FIELDS)
            .order_by("-rank", "path")
        )

    def count(self):
        return self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        rows = self.queryset[index]
        if isinstance(index, slice):
            return [SearchHit(page, _marked(page.passage)) for page in rows]
        return SearchHit(rows, _marked(rows.passage))


def _marked(passage):
    escaped = escape(passage)
    return mark_safe(escaped.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))  # noqa: S308


# Weights per matched word, in the spirit of PostgreSQL's A/B/C: one title match
# outweighs any number of body matches.
TITLE_WEIGHT, SUMMARY_WEIGHT, BODY_WEIGHT, MAX_BODY_COUNT = 10, 4, 1, 5


def simple_results(pages, terms):
    """SQLite's fallback: pages containing every word (no stemming), ranked in Python."""
    matches_all = Q()
    for term in terms:
        matches_all &= (
            Q(title__icontains=term) | Q(summary__icontains=term) | Q(body_text__icontains=term)
        )
    found = pages.filter(matches_all).only(*RESULT_FIELDS, "body_text")
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    scored = []
    for page in found:
        score = 0
        for term in terms:
            needle = re.compile(re.escape(term), re.IGNORECASE)
            score += TITLE_WEIGHT * bool(needle.search(page.title))
            score += SUMMARY_WEIGHT * bool(needle.search(page.summary))
            score += BODY_WEIGHT * min(len(needle.findall(page.body_text)), MAX_BODY_COUNT)
        passage = simple_passage(f"{page.summary} {page.body_text}", pattern)
        scored.append((-score, page.path, SearchHit(page, passage)))
    return [hit for *_, hit in sorted(scored, key=lambda item: item[:2])]


def simple_passage(text, pattern, size=PASSAGE_WORDS):
    """About ``size`` words of ``text`` around the first match, escaped, matches marked."""
    words = text.split()
    first = next((i for i, word in enumerate(words) if pattern.search(word)), 0)
    start = max(0, first - size // 3)
    passage = " ".join(words[start : start + size])
    parts = []
    last = 0
    for match in pattern.finditer(passage):
        parts.append(escape(passage[last : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    parts.append(escape(passage[last:]))
    prefix = "… " if start else ""
    suffix = " …" if start + size < len(words) else ""
    return mark_safe(prefix + "".join(parts) + suffix)  # noqa: S308
