import time
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import resolve, reverse

from pages.models import Page
from pages.search import search_pages, search_terms
from tests.conftest import make_page

pytestmark = pytest.mark.django_db

only_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search"
)
only_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite fallback")


def titles(query):
    return [hit.page.title for hit in search_pages(query)[:50]]


def search(client, **params):
    return client.get(reverse("pages:search"), params)


def test_search_lives_at_slash_search_and_its_slug_is_reserved():
    assert reverse("pages:search") == "/search/"
    assert resolve("/search/").url_name == "search"
    with pytest.raises(ValidationError, match="used by the site itself"):
        Page(title="Search", slug="search", summary="s", body="b").full_clean()


def test_title_match_outranks_summary_and_body_matches():
    make_page("Side effects", body="Nausea is the most common; dissociation passes.")
    make_page("Routes", summary="How dissociation differs by route.", body="Text.")
    make_page("Dissociation", body="What it feels like.")
    assert titles("dissociation") == ["Dissociation", "Routes", "Side effects"]


def test_every_word_of_the_query_must_match():
    make_page("Cost", body="Insurance rarely pays for infusions.")
    make_page("Insurance letters", body="Templates for appeals.")
    assert titles("insurance infusions") == ["Cost"]


def test_an_edited_page_is_found_by_its_new_words_at_once():
    page = make_page("Cost", body="Old wording.")
    page.body = "Sliding-scale fees exist."
    page.save()
    assert titles("sliding") == ["Cost"]
    assert titles("wording") == []


def test_only_pages_visitors_may_see_are_searched():
    make_page("Visible ketamine page")
    make_page("Draft ketamine page", status=Page.Status.DRAFT)
    hidden = make_page("Hidden section", status=Page.Status.DRAFT)
    make_page("Ketamine under a draft", parent=hidden)
    assert titles("ketamine") == ["Visible ketamine page"]


@only_postgresql
def test_postgresql_search_understands_word_forms_and_weights_the_title():
    make_page("Prices", body="Sessions are priced per infusion.")
    make_page("Treatment", body="Nothing about money here.", summary="What prices look like.")
    make_page("Other", body="Clinics set their own price.")
    # Stemming: "price" also finds "prices" and "priced"; the title outranks the rest.
    assert titles("price")[0] == "Prices"
    assert set(titles("price")) == {"Prices", "Treatment", "Other"}
    assert titles("prices") == titles("price")


@only_sqlite
def test_sqlite_fallback_matches_parts_of_words_and_ranks_title_first():
    make_page("Esketamine", body="A nasal spray.")
    make_page("Routes", body="Esketamine is a nasal spray; racemic ketamine is infused.")
    assert titles("ketamine") == ["Esketamine", "Routes"]
    assert titles("KETAMINE") == titles("ketamine")


def test_matching_passage_is_highlighted_and_page_text_stays_escaped(client):
    make_page(
        "Safety",
        body="Ignore <script>alert(1)</script> and <b>x</b>: doses < 1 mg/kg & more in dosing.",
    )
    html = search(client, q="dosing").content.decode()
    passage = html[html.index('<ol class="search-results"') : html.index("</ol>")]
    assert "<mark>dosing</mark>" in passage
    assert "&lt; 1 mg/kg &amp; more" in passage
    assert "<script>" not in passage and "<b>" not in passage


def test_the_query_is_echoed_escaped(client):
    html = search(client, q='"><b>bold</b> ketamine').content.decode()
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html


def test_results_page_shows_count_links_and_highlighted_passages(client):
    make_page("Cost", body="Infusions cost between 400 and 800 dollars.")
    response = search(client, q="infusions")
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "1 page matches" in html
    assert '<a href="/cost/">Cost</a>' in html
    assert "<mark>Infusions</mark>" in html
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.parametrize("query", ["", "   ", "?!.,;:-", "'\"()[]{}"])
def test_a_query_without_words_gets_a_clear_prompt(client, query):
    response = search(client, q=query)
    assert response.status_code == HTTPStatus.OK
    assert "Please enter a word to search for." in response.content.decode()


def test_a_search_with_no_matches_says_so(client, published_page):
    html = search(client, q="xylophone").content.decode()
    assert "No pages match “xylophone”" in html


def test_an_absurdly_long_query_is_cut_short_and_answers_quickly(client, published_page):
    query = "ketamine " * 1200  # over 10,000 characters
    started = time.perf_counter()
    response = search(client, q=query)
    elapsed = time.perf_counter() - started
    assert response.status_code == HTTPStatus.OK
    assert elapsed < 1
    assert len(search_terms(query)) == 10
    assert f'value="{query[:200]}"' in response.content.decode()


def test_results_come_ten_to_a_page_and_bad_page_numbers_do_not_fail(client):
    for i in range(25):
        make_page(f"Clinic {i:02d}", body="A ketamine clinic.")
    first = search(client, q="clinic")
    assert len(first.context["results"]) == 10
    assert "25 pages match" in first.content.decode()
    assert 'href="?q=clinic&amp;page=2"' in first.content.decode()
    assert len(search(client, q="clinic", page=3).context["results"]) == 5
    assert search(client, q="clinic", page=999).context["results"].number == 3
    assert search(client, q="clinic", page="abc").context["results"].number == 1


def test_every_page_has_a_labelled_search_box_in_the_header(client, published_page):
    html = client.get("/learn/cost/").content.decode()
    header = html[html.index("<header") : html.index("</header>")]
    assert 'role="search"' in header and 'action="/search/"' in header
    assert '<label class="visually-hidden" for="site-search-q">' in header
    assert 'id="site-search-q" name="q"' in header
