"""Arbitrary text in every public address and form, and in the admin's searches and
filters, is answered with a page (at worst 400 or 404), never a 500.

Hypothesis draws the text: NUL and other control characters, any Unicode that can
travel in UTF-8, and long strings. Each test is bounded by its number of examples;
the PostgreSQL pass matters most, since PostgreSQL refuses text SQLite accepts.
"""

import re
from datetime import timedelta
from html import unescape
from http import HTTPStatus
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from feedback.models import AccessLog, Feedback
from pages.models import Redirect
from tests.conftest import make_page
from tests.feedback_tests.conftest import form_data

pytestmark = [
    pytest.mark.django_db,
    # Digits in a date filter are read as a date without a time zone, and Django says so.
    pytest.mark.filterwarnings("ignore:DateTimeField .* received a naive datetime:RuntimeWarning"),
]

FUZZ = settings(
    max_examples=40,
    # Generous: the limit is there to stop a runaway example, not to time the site.
    deadline=timedelta(seconds=10),
    database=None,  # nothing written into the working tree
    # The database fixtures are set up once per test and shared by its examples,
    # which is what we want: each example is one more request to the same site.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Everything that can be sent as UTF-8 (so no lone surrogates), and now and then a
# long run of it. Characters that broke things before, or that are easy to get wrong
# (NUL above all, digits that are not ASCII, direction and zero-width marks, characters URLs
# and SQL treat specially), are drawn as often as all the others together.
TROUBLE = "\x00\x7f\x1b²١𝟘\u202e\u200b\ufeff%/\\?#&=+'\".._-\r\n\t "
short_text = st.text(
    st.one_of(st.just("\x00"), st.sampled_from(TROUBLE), st.characters(codec="utf-8")),
    max_size=40,
)
long_text = st.builds(lambda piece, times: piece * times, short_text, st.integers(50, 400))
any_text = st.one_of(short_text, short_text, long_text)


def assert_answered(response):
    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR, response.status_code


@pytest.fixture
def site(db):
    """A small site: a section with a page that takes feedback, one piece of feedback,
    an access log entry and a redirect, so every list and filter has something to show."""
    page = make_page("Cost", parent=make_page("Learn"))
    make_page("Draft", status="draft")
    Feedback.objects.create(page=page, name="Sam", comments="A comment.", email="s@example.org")
    Redirect.objects.create(old_path="/old/", target_page=page)
    return page


@pytest.fixture
def visitor():
    return Client()


@FUZZ
@given(segments=st.lists(any_text, min_size=1, max_size=3))
@example(segments=["learn", "cost\x00"])  # a 500 on PostgreSQL, found by hand
def test_any_page_address_is_answered(site, visitor, segments):
    path = "/" + "/".join(quote(segment, safe="") for segment in segments) + "/"
    assert_answered(visitor.get(path))


@FUZZ
@given(query=any_text, page=any_text)
@example(query="cost\x00", page="1")
def test_any_search_is_answered(site, visitor, query, page):
    assert_answered(visitor.get("/search/", {"q": query, "page": page}))


@FUZZ
@given(name=any_text, value=any_text)
def test_any_query_string_on_pages_sitemap_and_robots_is_answered(site, visitor, name, value):
    for address in ["/", "/learn/cost/", "/sitemap.xml", "/robots.txt", "/healthz"]:
        assert_answered(visitor.get(address, {name: value}))
    assert_answered(visitor.get("/sitemap.xml", {"p": value}))


@FUZZ
@given(
    fields=st.fixed_dictionaries(
        {},
        optional=dict.fromkeys(
            ["username", "name", "email", "comments", "honeypot", "timestamp"], any_text
        ),
    ),
    extra=st.dictionaries(any_text, any_text, max_size=2),
)
def test_any_feedback_post_is_answered(site, fields, extra):
    # A fresh client each time, so the rate limit does not answer every example.
    client = Client()
    data = {**extra, **form_data(site), **fields}
    response = client.post(f"/feedback/{site.pk}/", data, headers={"Sec-Fetch-Site": "same-origin"})
    assert_answered(response)


@FUZZ
@given(page_id=any_text)
def test_any_feedback_address_is_answered(site, visitor, page_id):
    response = visitor.post(
        f"/feedback/{quote(page_id, safe='')}/",
        form_data(site),
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert_answered(response)


CHANGELISTS = [
    "/admin/pages/page/",
    "/admin/pages/redirect/",
    "/admin/feedback/feedback/",
    "/admin/feedback/accesslog/",
]


def query_names_on(client, address):
    """The query parameters the changelist's own links use: search, filters, dates, order."""
    html = client.get(address).content.decode()
    names = {"q", "o", "p", "all", "e", "_to_field", "_popup"}
    for href in re.findall(r'href="(\?[^"]*)"', html):
        names.update(name for name, _ in parse_qsl(urlsplit(unescape(href)).query))
    return sorted(names)


@pytest.fixture
def superuser_client(admin_client, site):
    AccessLog.objects.create(
        user=None, username="someone", action="viewed", feedback_ids=[site.pk], count=1
    )
    return admin_client


@pytest.mark.parametrize("address", CHANGELISTS)
def test_admin_changelist_searches_and_filters_with_any_text_are_answered(
    superuser_client, address
):
    names = query_names_on(superuser_client, address)

    def check(params):
        assert_answered(superuser_client.get(address, params))

    check = given(st.dictionaries(st.sampled_from(names), any_text, min_size=1, max_size=3))(check)
    check = example({"q": "²"})(check)  # the access log took it for a record number
    for name in names:  # a number too large for a date (the date drill-down)
        check = example({name: "1" * 50})(check)
    for name in names:  # a NUL in any one parameter (a filter's value reached PostgreSQL)
        check = example({name: "\x00"})(check)
    FUZZ(check)()


@FUZZ
@given(first=any_text, second=any_text, number=st.integers(min_value=0, max_value=2**70))
@example(first="1" * 50, second="", number=0)  # a page's History read a number too large
def test_admin_addresses_with_any_object_id_are_answered(superuser_client, first, second, number):
    first, second = quote(first, safe=""), quote(second, safe="")
    for address in [
        f"/admin/pages/page/{first}/change/",
        f"/admin/pages/page/{first}/history/",
        f"/admin/pages/page/{first}/delete/",
        f"/admin/pages/page/{first}/preview/",
        f"/admin/pages/page/{first}/history/{number}/compare/",
        f"/admin/pages/page/{first}/history/{number}/",
        f"/admin/pages/page/recover/{number}/",
        f"/admin/pages/redirect/{first}/change/",
        f"/admin/feedback/feedback/{first}/change/",
        f"/admin/feedback/accesslog/{first}/change/",
        f"/admin/r/{first}/{second}/",
        f"/admin/r/{number}/{first}/",
        f"/admin/feedback/feedback/insight/?page={first}&weeks={second}",
        f"/admin/autocomplete/?term={first}&app_label=pages&model_name=page&field_name={second}",
        f"/admin/autocomplete/?term={first}&app_label=pages&model_name=page&field_name=parent",
        f"/admin/{first}/",
        f"/media/{first}",
    ]:
        assert_answered(superuser_client.get(address))


@pytest.mark.parametrize("address", CHANGELISTS)
def test_admin_actions_with_any_selection_are_answered(superuser_client, address):
    @FUZZ
    @given(
        action=st.one_of(any_text, st.sampled_from(["mark_reviewed", "export_csv", "archive"])),
        selected=st.lists(any_text, max_size=3),
        index=any_text,
    )
    @example(action="mark_reviewed", selected=[""], index="0")  # a 500 in Django's admin
    def check(action, selected, index):
        data = {"action": action, "_selected_action": selected, "index": index}
        assert_answered(superuser_client.post(address, data))

    check()


@FUZZ
@given(username=any_text, password=any_text, forwarded=any_text)
@example(username="0" * 256, password="x", forwarded="")  # too long for axes' column
def test_any_admin_sign_in_is_answered(site, settings, username, password, forwarded):
    # Behind the site's own proxy, the forwarded address is what sign-ins count by.
    settings.FEEDBACK_TRUST_X_FORWARDED_FOR = True
    response = Client().post(
        "/admin/login/",
        {"username": username, "password": password, "next": "/admin/"},
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert_answered(response)
