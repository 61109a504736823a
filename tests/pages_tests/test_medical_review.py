"""Medical review dates and sources: what visitors see, what editors may enter, the report."""

import re
from datetime import date
from http import HTTPStatus

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version

from pages.models import Page, Source
from tests.conftest import make_page, page_form_data, sources_form_data

# These save through the admin as a publisher would: live at once, each save a revision.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_sign_off")]

TODAY = date(2026, 6, 15)
REPORT = reverse("admin:pages_page_review_report")


@pytest.fixture
def today():
    with time_machine.travel("2026-06-15 12:00:00+00:00", tick=False):
        yield TODAY


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def edit(client, page, new_sources=(), **changes):
    """Save the page through the admin form, keeping its sources and adding ``new_sources``."""
    page.refresh_from_db()
    data = {**page_form_data(page, **changes), **sources_form_data(page, new_sources)}
    return client.post(reverse("admin:pages_page_change", args=[page.pk]), data)


# --- What visitors see -------------------------------------------------------------------


def test_visitors_see_who_reviewed_the_page_and_when(client):
    make_page(
        "Cost",
        reviewed_by="Dr Jane Doe, MD, psychiatrist",
        last_reviewed_on=date(2026, 3, 3),
        next_review_due=date(2027, 3, 3),
    )
    html = html_of(client, "/cost/")
    assert (
        'Medically reviewed by Dr Jane Doe, MD, psychiatrist on <time datetime="2026-03-03">'
        "3 March 2026</time>"
    ) in html
    assert html.index("Medically reviewed") < html.index("Last updated")


def test_the_reviewers_name_is_shown_as_text_not_markup(client):
    make_page("Cost", reviewed_by="<b>Dr Evil</b>", last_reviewed_on=date(2026, 3, 3))
    html = html_of(client, "/cost/")
    assert "&lt;b&gt;Dr Evil&lt;/b&gt;" in html and "<b>Dr Evil" not in html


def test_an_unreviewed_page_says_nothing_about_review(client):
    make_page("Cost")
    html = html_of(client, "/cost/")
    assert "Medically reviewed" not in html and "Sources" not in html


def test_sources_are_listed_in_order_at_the_foot_of_the_article(client):
    page = make_page("Cost")
    Source.objects.create(page=page, title="Second", publisher="NIMH", position=2)
    Source.objects.create(
        page=page,
        title="Antidepressant effects of ketamine in depressed patients",
        publisher="Biological Psychiatry",
        year=2000,
        url="https://doi.org/10.1016/S0006-3223(99)00230-9",
        position=1,
    )
    html = html_of(client, "/cost/")
    sources = html[html.index('id="sources-heading"') : html.index("Last updated")]
    assert (
        '<a href="https://doi.org/10.1016/S0006-3223(99)00230-9" rel="noopener noreferrer">'
        "Antidepressant effects of ketamine in depressed patients</a>. "
        "Biological Psychiatry, 2000."
    ) in sources
    assert "<li>Second. NIMH.</li>" in sources  # no link, no year
    assert sources.index("Antidepressant") < sources.index("Second")
    assert html.index("article-body") < html.index("sources-heading") < html.index("</article>")


def test_source_text_is_escaped(client):
    page = make_page("Cost")
    Source.objects.create(
        page=page, title="<script>alert(1)</script>", publisher='"Quotes" & <i>tags</i>'
    )
    html = html_of(client, "/cost/")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&quot;Quotes&quot; &amp; &lt;i&gt;tags&lt;/i&gt;" in html


def test_a_changed_source_shows_at_once_although_the_list_is_cached(client):
    page = make_page("Cost")
    source = Source.objects.create(page=page, title="First title", publisher="NIMH")
    assert "First title" in html_of(client, "/cost/")
    source.title = "Corrected title"
    source.save()
    html = html_of(client, "/cost/")
    assert "Corrected title" in html and "First title" not in html
    source.delete()
    assert "Corrected title" not in html_of(client, "/cost/")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == HTTPStatus.OK
    return len(ctx.captured_queries)


def test_sources_cost_anonymous_visitors_no_query_once_cached(client):
    learn = make_page("Learn")
    cited = make_page("Cost", parent=learn, reviewed_by="Dr A", last_reviewed_on=date(2026, 1, 1))
    for i in range(5):
        Source.objects.create(page=cited, title=f"Study {i}", publisher="NIH", year=2020)
    make_page("Infusions", parent=learn)
    for url in ("/learn/cost/", "/learn/infusions/"):
        count_queries(client, url)  # the first view fills the caches
    with_sources = count_queries(client, "/learn/cost/")
    without = count_queries(client, "/learn/infusions/")
    assert with_sources == without
    assert with_sources <= 3


# --- What editors may enter ----------------------------------------------------------------


def test_next_review_must_be_due_after_the_last_review(today):
    page = make_page("Cost", reviewed_by="Dr A", last_reviewed_on=date(2026, 3, 3))
    for due in (date(2026, 3, 2), date(2026, 3, 3)):
        page.next_review_due = due
        with pytest.raises(ValidationError) as caught:
            page.full_clean()
        assert caught.value.error_dict["next_review_due"][0].code == "next_review_too_early"
    page.next_review_due = date(2026, 3, 4)
    page.full_clean()


def test_the_admin_refuses_an_early_next_review_with_a_clear_message(editor_client, today):
    page = make_page("Cost")
    response = edit(
        editor_client,
        page,
        reviewed_by="Dr A",
        last_reviewed_on="2026-03-03",
        next_review_due="2026-01-01",
    )
    assert response.status_code == HTTPStatus.OK
    assert "The next review must be due after the last review (2026-03-03)." in (
        response.content.decode()
    )
    page.refresh_from_db()
    assert page.next_review_due is None


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"reviewed_by": "Dr A"}, "last_reviewed_on", "review_date_required"),
        ({"last_reviewed_on": date(2026, 3, 3)}, "reviewed_by", "reviewer_required"),
        (
            {"reviewed_by": "Dr A", "last_reviewed_on": date(2026, 6, 16)},
            "last_reviewed_on",
            "review_in_future",
        ),
    ],
)
def test_a_review_needs_both_who_and_a_past_date(today, fields, field, code):
    page = make_page("Cost", **fields)
    with pytest.raises(ValidationError) as caught:
        page.full_clean()
    assert caught.value.error_dict[field][0].code == code


def test_editor_adds_a_source_on_the_page_form_and_visitors_see_it(editor_client, client):
    page = make_page("Cost")
    response = edit(
        editor_client,
        page,
        new_sources=[
            {"title": "A trial", "publisher": "JAMA", "year": "2018", "url": "", "position": "0"}
        ],
    )
    assert response.status_code == HTTPStatus.FOUND
    assert page.sources.get().title == "A trial"
    assert "<li>A trial. JAMA, 2018.</li>" in html_of(client, "/cost/")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"year": "1700"}, "Ensure this value is greater than or equal to 1800."),
        ({"year": "2999"}, "Ensure this value is less than or equal to"),
        ({"url": "javascript:alert(1)"}, "Enter a valid URL."),
        ({"url": "ftp://example.org/paper"}, "Enter a valid URL."),
        ({"publisher": ""}, "This field is required."),
    ],
)
def test_the_page_form_refuses_a_bad_source(editor_client, row, message):
    page = make_page("Cost")
    source = {"title": "A trial", "publisher": "JAMA", "year": "2018", "url": "", "position": "0"}
    response = edit(editor_client, page, new_sources=[{**source, **row}])
    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assert not page.sources.exists()


def test_sources_are_kept_in_the_page_revision_and_reverting_restores_them(editor_client, client):
    page = make_page("Cost")
    row = {"title": "Old study", "publisher": "NIH", "year": "2001", "url": "", "position": "0"}
    assert edit(editor_client, page, new_sources=[row]).status_code == HTTPStatus.FOUND
    with_old_study = Version.objects.get_for_object(page).first()
    page.sources.all().delete()
    newer = {**row, "title": "New study", "year": "2024"}
    assert edit(editor_client, page, new_sources=[newer]).status_code == HTTPStatus.FOUND

    compare = reverse("admin:pages_page_compare", args=[page.pk, with_old_study.pk])
    html = html_of(editor_client, compare)
    assert '<th scope="row">Sources</th><td>Old study, NIH, 2001</td>' in html
    assert "<td>New study, NIH, 2024</td>" in html

    revert = reverse("admin:pages_page_revert", args=[page.pk, with_old_study.pk])
    assert editor_client.post(revert).status_code == HTTPStatus.FOUND
    assert [s.title for s in page.sources.all()] == ["Old study"]
    html = html_of(client, "/cost/")
    assert "Old study" in html and "New study" not in html


def test_the_revert_form_offers_the_revisions_sources_and_saving_it_replaces_todays(
    editor_client,
):
    page = make_page("Cost")
    row = {"title": "Old study", "publisher": "NIH", "year": "2001", "url": "", "position": "0"}
    edit(editor_client, page, new_sources=[row])
    with_old_study = Version.objects.get_for_object(page).first()
    page.sources.all().delete()
    edit(editor_client, page, new_sources=[{**row, "title": "New study"}])
    url = reverse("admin:pages_page_revision", args=[page.pk, with_old_study.pk])

    html = html_of(editor_client, url)
    assert 'value="Old study"' in html and 'value="New study"' not in html
    assert [s.title for s in page.sources.all()] == ["New study"]  # looking changes nothing

    page.refresh_from_db()
    data = {**page_form_data(page), **sources_form_data(None, [row])}
    assert editor_client.post(url, data).status_code == HTTPStatus.FOUND
    assert [s.title for s in page.sources.all()] == ["Old study"]


# --- The review report and filter -----------------------------------------------------------


@pytest.fixture
def review_pages(today):
    """One page in each state, including a draft; "today" is 15 June 2026."""
    reviewed = {"reviewed_by": "Dr A, MD", "last_reviewed_on": date(2025, 1, 1)}
    return {
        "long overdue": make_page("Long overdue", next_review_due=date(2026, 1, 1), **reviewed),
        "overdue draft": make_page(
            "Overdue draft", status=Page.Status.DRAFT, next_review_due=date(2026, 6, 14), **reviewed
        ),
        "never": make_page("Never reviewed"),
        "current": make_page("Up to date", next_review_due=date(2026, 6, 15), **reviewed),
        "no due date": make_page("Reviewed once", **reviewed),
    }


def report_rows(html):
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    return body.split("<tr")[1:]


def test_report_lists_overdue_pages_first_then_never_reviewed_ones(editor_client, review_pages):
    html = html_of(editor_client, REPORT)
    rows = report_rows(html)
    titles = [re.search(r'title="Edit this page">([^<]+)</a>', row)[1] for row in rows]
    assert titles == ["Long overdue", "Overdue draft", "Never reviewed"]
    assert "Overdue by 165 days" in rows[0] and "Published" in rows[0]
    assert "Overdue by 1 day<" in rows[1] and "Draft" in rows[1]
    assert "Never reviewed" in rows[2]
    assert "Up to date" not in html.split("<tbody>")[1] and "Reviewed once" not in html
    edit_url = reverse("admin:pages_page_change", args=[review_pages["never"].pk])
    assert f'href="{edit_url}"' in rows[2]
    assert "2 pages overdue for review, 1 never reviewed, 2 up to date." in html


def test_the_pages_list_links_to_the_report(editor_client):
    html = html_of(editor_client, reverse("admin:pages_page_changelist"))
    assert f'href="{REPORT}"' in html and "Medical review report" in html
    assert "Recover deleted pages" in html  # the history's own button is still there


@pytest.mark.parametrize(
    ("choice", "titles"),
    [
        ("overdue", {"Long overdue", "Overdue draft"}),
        ("missing", {"Never reviewed"}),
        ("current", {"Up to date", "Reviewed once"}),
    ],
)
def test_pages_list_filters_by_medical_review(editor_client, review_pages, choice, titles):
    response = editor_client.get(reverse("admin:pages_page_changelist"), {"review": choice})
    shown = {page.title for page in response.context["cl"].result_list}
    assert shown == titles


def test_report_is_for_staff_who_may_see_pages(client, django_user_model, reviewer_client):
    response = client.get(REPORT)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("admin:login"))
    client.force_login(django_user_model.objects.create_user("clerk", is_staff=True))
    assert client.get(REPORT).status_code == HTTPStatus.FORBIDDEN
    assert reviewer_client.get(REPORT).status_code == HTTPStatus.FORBIDDEN
