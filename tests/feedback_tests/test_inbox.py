"""The reviewers' inbox: clearing a false urgent flag, History for bulk changes, the CSV,
search, previous and next through the current list, and every reading logged."""

import csv
import io
import re
from html import unescape
from http import HTTPStatus
from urllib.parse import urlencode

import pytest
import reversion
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from feedback.admin import highlight_phrases
from feedback.models import AccessLog, Feedback
from tests.conftest import make_page
from tests.feedback_tests.conftest import make_feedback

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:feedback_feedback_changelist")


def change_url(feedback, **filters):
    url = reverse("admin:feedback_feedback_change", args=[feedback.pk])
    return f"{url}?{urlencode({'_changelist_filters': urlencode(filters)})}" if filters else url


def clear_url(feedback):
    return reverse("admin:feedback_feedback_clear_urgent", args=[feedback.pk])


def history(feedback):
    return list(
        LogEntry.objects.filter(object_id=str(feedback.pk)).values_list("change_message", flat=True)
    )


@pytest.fixture
def urgent(page):
    return make_feedback(
        page, comments="What dose would kill myself by accident? Asking as a nurse.", is_urgent=True
    )


# Urgent: shown in words, the phrase marked, and a false flag cleared with a reason


def test_a_record_shows_urgency_in_words_and_marks_the_phrase_never_a_tick(reviewer_client, urgent):
    html = reviewer_client.get(change_url(urgent)).content.decode()
    assert "icon-yes" not in html and "icon-no" not in html
    assert "Words found: “kill myself”" in html
    assert "would <mark>kill myself</mark> by accident" in html
    assert html.index("feedback-comments-text") < html.index("Sent by the visitor")


def test_the_marked_comments_are_escaped():
    marked = highlight_phrases("<b>I want to kill myself</b> & <i>", ["kill myself"])
    assert marked == "&lt;b&gt;I want to <mark>kill myself&lt;/b&gt;</mark> &amp; &lt;i&gt;"


def test_phrases_are_marked_however_they_are_written():
    marked = highlight_phrases("I'm SUICIDAL, and I want\nto   die.", ["suicidal", "want to die"])
    assert marked == "I&#x27;m <mark>SUICIDAL,</mark> and I <mark>want\nto   die.</mark>"
    assert highlight_phrases("skill myself", ["kill myself"]) == "skill myself"


def test_clearing_the_urgent_flag_needs_a_reason(reviewer_client, urgent):
    response = reviewer_client.post(clear_url(urgent), {"reason": "  "})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Say why, so the rest of the team can see it was checked." in response.content.decode()
    urgent.refresh_from_db()
    assert urgent.is_urgent
    assert not AccessLog.objects.exists() and history(urgent) == []


def test_clearing_the_urgent_flag_is_kept_in_the_record_the_audit_log_and_history(
    reviewer_client, reviewer, urgent
):
    form = reviewer_client.get(clear_url(urgent))
    assert form.status_code == HTTPStatus.OK
    assert "“kill myself”" in form.content.decode()
    reason = "A nurse asking about overdose risk, not about herself."
    response = reviewer_client.post(clear_url(urgent), {"reason": reason})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == change_url(urgent)
    urgent.refresh_from_db()
    assert not urgent.is_urgent
    assert (urgent.urgent_cleared_by, urgent.urgent_cleared_reason) == (reviewer, reason)
    entry = AccessLog.objects.get()
    assert (entry.action, entry.feedback_ids, entry.note) == ("unflagged", [urgent.pk], reason)
    assert history(urgent) == [f"Cleared the urgent flag. Reason: {reason}"]
    html = reviewer_client.get(change_url(urgent)).content.decode()
    assert "Not urgent: the flag was cleared by reviewer" in html
    assert unescape(reason) in unescape(html)
    assert "Clear urgent flag" not in html


def test_the_clear_urgent_link_keeps_the_list_the_reviewer_came_from(reviewer_client, urgent):
    html = reviewer_client.get(change_url(urgent, status__exact="new")).content.decode()
    link = re.search(r'href="([^"]*clear-urgent[^"]*)"', html).group(1)
    response = reviewer_client.post(unescape(link), {"reason": "Not about the writer."})
    assert response["Location"] == change_url(urgent, status__exact="new")


def test_only_those_who_may_change_feedback_may_clear_the_flag(
    editor_client, django_user_model, urgent
):
    assert (
        editor_client.post(clear_url(urgent), {"reason": "x"}).status_code == HTTPStatus.FORBIDDEN
    )
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_feedback"))
    viewer_client = Client()
    viewer_client.force_login(viewer)
    refused = viewer_client.post(clear_url(urgent), {"reason": "x"})
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert "Clear urgent flag" not in viewer_client.get(change_url(urgent)).content.decode()
    urgent.refresh_from_db()
    assert urgent.is_urgent


def test_clearing_feedback_that_is_not_urgent_changes_nothing(reviewer_client, page):
    ordinary = make_feedback(page)
    response = reviewer_client.post(clear_url(ordinary), {"reason": "x"}, follow=True)
    assert "This feedback is not flagged urgent." in response.content.decode()
    assert not AccessLog.objects.filter(action="unflagged").exists()


# Bulk actions leave History


def test_each_record_changed_by_a_bulk_action_gets_a_history_entry(reviewer_client, page):
    chosen = [make_feedback(page), make_feedback(page)]
    already = make_feedback(page, status=Feedback.Status.ARCHIVED)
    untouched = make_feedback(page)
    reviewer_client.post(
        CHANGELIST,
        {"action": "archive", "_selected_action": [f.pk for f in [*chosen, already]]},
    )
    for item in chosen:
        assert history(item) == ["Status set to Archived (bulk action)."]
    assert history(already) == [] and history(untouched) == []
    html = reviewer_client.get(
        reverse("admin:feedback_feedback_history", args=[chosen[0].pk])
    ).content.decode()
    assert "Status set to Archived (bulk action)." in html


# Search and the CSV


def test_search_covers_the_page_title_and_the_staff_note(reviewer_client, page):
    other = make_page("Insurance")
    make_feedback(page, name="About cost", staff_note="Forwarded to the clinician")
    make_feedback(other, name="About insurance")

    def found(query):
        html = reviewer_client.get(CHANGELIST, {"q": query}).content.decode()
        return html.split('id="result_list"')[1] if 'id="result_list"' in html else ""

    assert "About insurance" in found("Insurance") and "About cost" not in found("Insurance")
    assert "About cost" in found("clinician") and "About insurance" not in found("clinician")


def test_the_csv_says_whether_urgent_and_which_revision_addressed_it(reviewer_client, editor, page):
    with reversion.create_revision():
        reversion.set_user(editor)
        page.save()
    version = Version.objects.get_for_object(page).get()
    addressed = make_feedback(page, is_urgent=True, addressed_in_version=version)
    plain = make_feedback(page)
    response = reviewer_client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [addressed.pk, plain.pk]}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["urgent"] for row in rows] == ["yes", "no"]
    assert re.fullmatch(r"Revision 1 — .* by editor", rows[0]["addressed in revision"])
    assert rows[1]["addressed in revision"] == ""


# Previous and next


def test_previous_and_next_move_through_the_list_as_filtered(reviewer_client, page):
    now = timezone.now()
    newest, middle, oldest = (
        make_feedback(page, submitted_at=now - timezone.timedelta(hours=hours), status=status)
        for hours, status in [(1, "new"), (2, "reviewed"), (3, "new")]
    )
    html = reviewer_client.get(change_url(newest, status__exact="new")).content.decode()
    assert "1 of 2" in html
    next_link = unescape(re.search(r'href="([^"]*)" rel="next"', html).group(1))
    assert next_link == change_url(oldest, status__exact="new")  # the filter goes along
    assert 'rel="prev"' not in html
    html = reviewer_client.get(change_url(oldest, status__exact="new")).content.decode()
    assert "2 of 2" in html and 'rel="next"' not in html
    assert f"/{newest.pk}/change/" in re.search(r'href="([^"]*)" rel="prev"', html).group(1)
    # Unfiltered, the reviewed one lies between them.
    html = reviewer_client.get(change_url(newest)).content.decode()
    assert "1 of 3" in html
    assert f"/{middle.pk}/change/" in re.search(r'href="([^"]*)" rel="next"', html).group(1)


def test_previous_and_next_follow_the_search_and_the_sorting(reviewer_client, page):
    now = timezone.now()
    first = make_feedback(page, name="Ann", comments="dosing", submitted_at=now)
    make_feedback(page, name="Bob", comments="pricing", submitted_at=now)
    third = make_feedback(page, name="Cid", comments="dosing", submitted_at=now)
    # Sorted by name ascending (the list's fourth column), and only the "dosing" ones.
    html = reviewer_client.get(change_url(first, q="dosing", o="4")).content.decode()
    assert "1 of 2" in html
    assert f"/{third.pk}/change/" in re.search(r'href="([^"]*)" rel="next"', html).group(1)


def test_filters_that_make_no_sense_give_no_pager_and_no_error(reviewer_client, page):
    item = make_feedback(page)
    response = reviewer_client.get(change_url(item, no_such_field="1"))
    assert response.status_code == HTTPStatus.OK
    assert 'rel="next"' not in response.content.decode()


# Every rendering of a record is logged


def test_a_change_form_sent_back_with_errors_is_logged_as_a_reading(
    reviewer_client, reviewer, page
):
    item = make_feedback(page, comments="Everything I wrote.")
    response = reviewer_client.post(change_url(item), {"status": "not-a-status"})
    assert response.status_code == HTTPStatus.OK  # the form again, with its error
    assert "Everything I wrote." in response.content.decode()
    entry = AccessLog.objects.get()
    assert (entry.user, entry.action, entry.feedback_ids) == (reviewer, "viewed", [item.pk])


def test_the_record_is_named_without_the_visitors_name(page):
    item = make_feedback(page, name="Zed Quill")
    assert "Zed Quill" not in str(item)
    assert f"#{item.pk}" in str(item) and "Cost" in str(item)
