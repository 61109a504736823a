import csv
import io
import re
from html import unescape
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.models import Feedback
from tests.conftest import make_page
from tests.feedback_tests.conftest import make_feedback

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:feedback_feedback_changelist")


@pytest.fixture
def feedback(page):
    return make_feedback(page, name="Sam Kay", comments="The cost page is out of date.")


def admin_urls(feedback):
    return {
        "changelist": CHANGELIST,
        "change": reverse("admin:feedback_feedback_change", args=[feedback.pk]),
        "add": reverse("admin:feedback_feedback_add"),
        "delete": reverse("admin:feedback_feedback_delete", args=[feedback.pk]),
        "history": reverse("admin:feedback_feedback_history", args=[feedback.pk]),
    }


def export(client, *feedback_items):
    return client.post(
        CHANGELIST,
        {"action": "export_csv", "_selected_action": [f.pk for f in feedback_items]},
    )


OK, DENIED, LOGIN = HTTPStatus.OK, HTTPStatus.FORBIDDEN, HTTPStatus.FOUND
EXPECTED = {
    #             changelist, change, add, delete, history, export
    "anonymous": [LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN],
    "editor": [DENIED, DENIED, DENIED, DENIED, DENIED, DENIED],
    "reviewer": [OK, OK, DENIED, DENIED, OK, OK],
    "superuser": [OK, OK, DENIED, OK, OK, OK],
}


@pytest.fixture
def client_for(request, client, editor, reviewer_client, admin_client):
    from django.test import Client

    def get(role):
        if role == "anonymous":
            return Client()
        if role == "editor":
            editor_client = Client()
            editor_client.force_login(editor)
            return editor_client
        return {"reviewer": reviewer_client, "superuser": admin_client}[role]

    return get


@pytest.mark.parametrize("role", EXPECTED)
def test_who_may_open_each_feedback_admin_url_and_export(role, client_for, feedback):
    client = client_for(role)
    urls = admin_urls(feedback)
    statuses = [client.get(url).status_code for url in urls.values()]
    statuses.append(export(client, feedback).status_code)
    assert statuses == EXPECTED[role]
    if role == "anonymous":
        assert client.get(CHANGELIST)["Location"].startswith("/admin/login/")
    if EXPECTED[role][-1] == OK:
        assert export(client, feedback)["Content-Type"] == "text/csv; charset=utf-8"
    assert Feedback.objects.filter(pk=feedback.pk).exists()  # a GET never deletes


def test_reviewers_group_may_view_and_change_feedback_and_edit_urgent_phrases_only():
    group = Group.objects.get(name="Feedback reviewers")
    assert sorted(group.permissions.values_list("codename", flat=True)) == [
        "add_urgentphrase",
        "change_feedback",
        "change_urgentphrase",
        "view_feedback",
        "view_urgentphrase",
    ]


def test_editors_group_has_no_feedback_permission():
    group = Group.objects.get(name="Editors")
    assert not group.permissions.filter(content_type__app_label="feedback").exists()


def test_editor_does_not_see_feedback_in_the_admin_index(editor_client, feedback):
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert "Pages" in html
    assert "/admin/feedback/" not in html


def test_reviewer_sees_feedback_in_the_admin_index(reviewer_client):
    assert (
        "/admin/feedback/feedback/" in reviewer_client.get(reverse("admin:index")).content.decode()
    )


def test_superuser_may_delete_feedback(admin_client, feedback):
    url = reverse("admin:feedback_feedback_delete", args=[feedback.pk])
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == HTTPStatus.FOUND
    assert not Feedback.objects.exists()


def test_reviewer_cannot_delete_feedback_by_url_or_bulk_action(reviewer_client, feedback):
    url = reverse("admin:feedback_feedback_delete", args=[feedback.pk])
    assert reviewer_client.post(url, {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN
    html = reviewer_client.get(CHANGELIST).content.decode()
    assert "delete_selected" not in html
    reviewer_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [feedback.pk], "post": "yes"}
    )
    assert Feedback.objects.filter(pk=feedback.pk).exists()


# The list


def test_list_is_an_inbox_newest_first_with_the_start_of_each_text(reviewer_client, page):
    older = make_feedback(
        page, name="Older Person", submitted_at=timezone.now() - timezone.timedelta(days=2)
    )
    newer = make_feedback(page, name="Newer Person", username="newbie", comments="x" * 600)
    html = reviewer_client.get(CHANGELIST).content.decode()
    headings = re.findall(r'<th scope="col"[^>]*>.*?<(?:a|span)[^>]*>([^<]+)</', html, re.S)
    # After the tick-all box; the red URGENT badge goes before the status word.
    assert headings[1:] == ["Status", "Page", "Sent", "Name", "Comments"]
    assert html.index("Newer Person") < html.index("Older Person")
    assert '<span class="feedback-status status-new">New</span>' in html
    # The list never carries a whole long text: opening the record is what the log records.
    assert "x" * 199 + "…" in html
    assert "x" * 201 not in html
    assert older.pk and newer.pk


def test_list_search_covers_name_username_email_and_comments(reviewer_client, page):
    make_feedback(page, name="Alice", username="al1", email="alice@example.com", comments="dosing")
    make_feedback(page, name="Bob", username="bobby", email="bob@example.com", comments="pricing")
    for query in ["Alice", "al1", "alice@example", "dosing"]:
        html = reviewer_client.get(CHANGELIST, {"q": query}).content.decode()
        assert "Alice" in html and "Bob" not in html.split('id="result_list"')[1], query


def test_list_filters_by_status_page_and_date(reviewer_client, page):
    other = make_page("Other")
    make_feedback(page, name="On cost", status=Feedback.Status.SPAM)
    make_feedback(other, name="On other")

    def results(params):
        html = reviewer_client.get(CHANGELIST, params).content.decode()
        return html.split('id="result_list"')[1]

    assert "On other" not in results({"status__exact": "spam"})
    assert "On cost" in results({"status__exact": "spam"})
    assert "On cost" not in results({"page__id__exact": other.pk})
    today = timezone.localdate()
    by_day = results(
        {
            "submitted_at__year": today.year,
            "submitted_at__month": today.month,
            "submitted_at__day": today.day,
        }
    )
    assert "On cost" in by_day and "On other" in by_day
    html = reviewer_client.get(CHANGELIST).content.decode()
    past_week = re.search(r'<a href="(\?[^"]*submitted_at__gte[^"]*)"[^>]*>Past 7 days', html)
    past_week_html = reviewer_client.get(CHANGELIST + unescape(past_week.group(1))).content.decode()
    assert "On cost" in past_week_html.split('id="result_list"')[1]


def test_list_marks_feedback_on_a_deleted_page(reviewer_client, page, feedback):
    page.delete()
    html = reviewer_client.get(CHANGELIST).content.decode()
    assert "Cost (page deleted)" in html
    change = reviewer_client.get(reverse("admin:feedback_feedback_change", args=[feedback.pk]))
    assert "page deleted; it was at /learn/cost/" in change.content.decode()


# The change form


def test_visitor_fields_are_read_only_and_the_review_fields_editable(reviewer_client, feedback):
    html = reviewer_client.get(
        reverse("admin:feedback_feedback_change", args=[feedback.pk])
    ).content.decode()
    for field in ["name", "username", "email", "comments", "submitted_at", "page"]:
        assert f'name="{field}"' not in html, field
    assert 'name="status"' in html
    assert 'name="staff_note"' in html
    assert "The cost page is out of date." in html
    assert 'href="/learn/cost/"' in html


def test_saving_a_review_ignores_visitor_fields_and_stamps_who_and_when(
    reviewer_client, reviewer, feedback
):
    url = reverse("admin:feedback_feedback_change", args=[feedback.pk])
    response = reviewer_client.post(
        url,
        {
            "status": "reviewed",
            "staff_note": "Updated the cost page.",
            "name": "Changed",
            "comments": "Rewritten by staff",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    feedback.refresh_from_db()
    assert feedback.status == Feedback.Status.REVIEWED
    assert feedback.staff_note == "Updated the cost page."
    assert (feedback.name, feedback.comments) == ("Sam Kay", "The cost page is out of date.")
    assert feedback.reviewed_by == reviewer
    assert timezone.now() - feedback.reviewed_at < timezone.timedelta(minutes=1)


def test_saving_without_changes_does_not_stamp_a_reviewer(reviewer_client, feedback):
    url = reverse("admin:feedback_feedback_change", args=[feedback.pk])
    reviewer_client.post(url, {"status": "new", "staff_note": ""})
    feedback.refresh_from_db()
    assert feedback.reviewed_by is None


def test_nobody_can_add_feedback_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:feedback_feedback_add")).status_code == 403
    assert (
        reverse("admin:feedback_feedback_add") not in admin_client.get(CHANGELIST).content.decode()
    )


# Actions


@pytest.mark.parametrize(
    ("action", "status", "message"),
    [
        ("mark_reviewed", Feedback.Status.REVIEWED, "2 feedback marked as reviewed."),
        ("archive", Feedback.Status.ARCHIVED, "2 feedback marked as archived."),
        ("mark_spam", Feedback.Status.SPAM, "2 feedback marked as spam."),
    ],
)
def test_bulk_actions_set_the_status_and_stamp_the_reviewer(
    reviewer_client, reviewer, page, action, status, message
):
    chosen = [make_feedback(page), make_feedback(page)]
    untouched = make_feedback(page)
    response = reviewer_client.post(
        CHANGELIST, {"action": action, "_selected_action": [f.pk for f in chosen]}, follow=True
    )
    assert message in response.content.decode()
    for item in chosen:
        item.refresh_from_db()
        assert item.status == status
        assert item.reviewed_by == reviewer
        assert item.reviewed_at is not None
    untouched.refresh_from_db()
    assert untouched.status == Feedback.Status.NEW


def test_action_keeps_the_first_reviewer_of_feedback_already_in_that_status(
    reviewer_client, admin_user, page
):
    done = make_feedback(page, status=Feedback.Status.REVIEWED, reviewed_by=admin_user)
    reviewer_client.post(CHANGELIST, {"action": "mark_reviewed", "_selected_action": [done.pk]})
    done.refresh_from_db()
    assert done.reviewed_by == admin_user


def test_export_is_a_dated_csv_of_the_selected_feedback(reviewer_client, page):
    chosen = make_feedback(page, name="Sam Kay", comments="Line one.\nLine two, with a comma.")
    make_feedback(page, name="Not Chosen")
    response = export(reviewer_client, chosen)
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="feedback-{today}.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:8] == [
        "id",
        "sent",
        "page title",
        "page address",
        "name",
        "username",
        "email",
        "comments",
    ]
    assert len(rows) == 2
    assert rows[1][2:8] == [
        "Cost",
        "/learn/cost/",
        "Sam Kay",
        "",
        "sam@example.com",
        "Line one.\nLine two, with a comma.",
    ]
    assert rows[1][8] == "New"


@pytest.mark.parametrize(
    "dangerous",
    ['=HYPERLINK("http://evil.example","click")', "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"],
)
def test_export_neutralises_cells_a_spreadsheet_would_run(reviewer_client, page, dangerous):
    item = make_feedback(page, name=dangerous, comments=dangerous, username="ok")
    rows = list(csv.reader(io.StringIO(export(reviewer_client, item).content.decode("utf-8-sig"))))
    assert rows[1][4] == "'" + dangerous  # name
    assert rows[1][7] == "'" + dangerous  # comments
    assert rows[1][5] == "ok"


# The pages admin


def test_page_admin_shows_new_feedback_counts_linked_to_the_filtered_list(
    reviewer_client, admin_client, page
):
    make_feedback(page)
    make_feedback(page)
    make_feedback(page, status=Feedback.Status.REVIEWED)
    html = admin_client.get(reverse("admin:pages_page_changelist")).content.decode()
    link = f'<a href="{CHANGELIST}?page__id__exact={page.pk}&amp;status__exact=new">2</a>'
    assert link in html
    filtered = admin_client.get(CHANGELIST, {"page__id__exact": page.pk, "status__exact": "new"})
    assert filtered.status_code == HTTPStatus.OK
    assert "2 feedback" in filtered.content.decode()


def test_page_admin_count_costs_no_query_per_row(admin_client):
    def queries_for_list():
        with CaptureQueriesContext(connection) as ctx:
            admin_client.get(reverse("admin:pages_page_changelist"))
        return len(ctx)

    learn = make_page("Learn")
    make_feedback(make_page("One", parent=learn))
    few = queries_for_list()
    for n in range(5):
        make_feedback(make_page(f"More {n}", parent=learn))
    assert queries_for_list() == few


def test_editors_do_not_see_feedback_counts_in_the_page_admin(editor_client, page):
    make_feedback(page)
    html = editor_client.get(reverse("admin:pages_page_changelist")).content.decode()
    assert "new feedback" not in html.lower()
    assert "/admin/feedback/" not in html


def test_deleting_pages_from_the_page_admin_keeps_their_feedback(admin_client, page):
    item = make_feedback(page)
    response = admin_client.post(
        reverse("admin:pages_page_changelist"),
        {"action": "delete_selected", "_selected_action": [page.pk], "post": "yes"},
    )
    assert response.status_code == HTTPStatus.FOUND
    item.refresh_from_db()
    assert item.page is None
    assert item.page_title == "Cost"
