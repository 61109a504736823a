"""The access log: who opened or exported which feedback, readable by superusers only."""

from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from feedback.audit import record_access
from feedback.models import AccessLog, Feedback
from tests.feedback_tests.conftest import make_feedback

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:feedback_feedback_changelist")
LOG = reverse("admin:feedback_accesslog_changelist")


def change_url(feedback):
    return reverse("admin:feedback_feedback_change", args=[feedback.pk])


@pytest.fixture
def feedback(page):
    return make_feedback(page)


def test_opening_a_feedback_record_is_logged_with_who_and_which(
    reviewer_client, reviewer, feedback
):
    assert reviewer_client.get(change_url(feedback)).status_code == HTTPStatus.OK
    entry = AccessLog.objects.get()
    assert (entry.user, entry.username, entry.action) == (reviewer, "reviewer", "viewed")
    assert (entry.feedback_ids, entry.count) == ([feedback.pk], 1)


def test_each_opening_is_a_new_entry(reviewer_client, feedback):
    reviewer_client.get(change_url(feedback))
    reviewer_client.get(change_url(feedback))
    assert AccessLog.objects.filter(action="viewed").count() == 2


def test_the_list_saving_and_refused_or_missing_records_are_not_logged_as_views(
    reviewer_client, editor_client, feedback
):
    reviewer_client.get(CHANGELIST)
    reviewer_client.post(change_url(feedback), {"status": "reviewed", "staff_note": ""})
    reviewer_client.get(reverse("admin:feedback_feedback_change", args=[feedback.pk + 100]))
    assert editor_client.get(change_url(feedback)).status_code == HTTPStatus.FORBIDDEN
    assert not AccessLog.objects.exists()


def test_an_export_is_logged_once_with_every_record_in_it(reviewer_client, page):
    items = [make_feedback(page) for _ in range(3)]
    response = reviewer_client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [f.pk for f in items]}
    )
    assert response["Content-Type"].startswith("text/csv")
    entry = AccessLog.objects.get()
    assert entry.action == AccessLog.Action.EXPORTED
    assert entry.feedback_ids == sorted(f.pk for f in items) and entry.count == 3


def test_superusers_browse_the_log(admin_client, reviewer_client, feedback):
    reviewer_client.get(change_url(feedback))
    entry = AccessLog.objects.get()
    html = admin_client.get(LOG).content.decode()
    assert "reviewer" in html and "Viewed" in html
    assert f'href="{change_url(feedback)}">#{feedback.pk}</a>' in html
    detail = admin_client.get(reverse("admin:feedback_accesslog_change", args=[entry.pk]))
    assert detail.status_code == HTTPStatus.OK
    assert 'name="username"' not in detail.content.decode()  # shown, not editable
    html = admin_client.get(CHANGELIST).content.decode()
    assert f'href="{LOG}"' in html


def test_nobody_else_may_read_the_log(reviewer_client, editor_client, feedback):
    entry = record_access(user=_user("someone"), action="viewed", feedback_ids=[1])
    detail = reverse("admin:feedback_accesslog_change", args=[entry.pk])
    for client in (reviewer_client, editor_client):
        assert client.get(LOG).status_code == HTTPStatus.FORBIDDEN
        assert client.get(detail).status_code == HTTPStatus.FORBIDDEN
    anonymous = Client().get(LOG)
    assert anonymous.status_code == HTTPStatus.FOUND
    html = reviewer_client.get(reverse("admin:index")).content.decode()
    assert "access log" not in html.lower()


def _user(name):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(name, is_staff=True)


def test_nobody_may_add_change_or_delete_log_entries(admin_client, reviewer_client, feedback):
    reviewer_client.get(change_url(feedback))
    entry = AccessLog.objects.get()
    change = reverse("admin:feedback_accesslog_change", args=[entry.pk])
    delete = reverse("admin:feedback_accesslog_delete", args=[entry.pk])
    add = reverse("admin:feedback_accesslog_add")
    for client in (admin_client, reviewer_client):
        forged = {"username": "forged", "action": "exported"}
        assert client.post(add, forged).status_code == HTTPStatus.FORBIDDEN
        assert client.post(change, forged).status_code == HTTPStatus.FORBIDDEN
        assert client.post(delete, {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN
        client.post(LOG, {"action": "delete_selected", "_selected_action": [entry.pk]})
    entry.refresh_from_db()
    assert (entry.username, entry.action, AccessLog.objects.count()) == ("reviewer", "viewed", 1)


def test_entries_cannot_be_rewritten_or_deleted_in_code(feedback):
    entry = record_access(user=_user("clerk"), action="viewed", feedback_ids=[feedback.pk])
    entry.username = "someone else"
    with pytest.raises(ValueError, match="cannot be changed"):
        entry.save()
    with pytest.raises(ValueError, match="cannot be deleted"):
        entry.delete()


def test_the_log_outlives_the_account_and_the_feedback(reviewer_client, reviewer, feedback):
    reviewer_client.get(change_url(feedback))
    reviewer.delete()
    call_command("purge_feedback", "--older-than", "0", verbosity=0)
    assert not Feedback.objects.exists()
    entry = AccessLog.objects.get()
    assert entry.user is None and entry.username == "reviewer"
    assert entry.feedback_ids == [feedback.pk]


def test_ids_are_stored_sorted_once_each():
    entry = record_access(user=_user("clerk"), action="exported", feedback_ids=[5, "3", 5, 40])
    assert (entry.feedback_ids, entry.count) == ([3, 5, 40], 3)


def test_searching_a_record_number_finds_who_read_that_record(admin_client):
    clerk = _user("clerk")
    record_access(user=clerk, action="viewed", feedback_ids=[42])
    record_access(user=clerk, action="exported", feedback_ids=[7, 42, 420])
    record_access(user=clerk, action="exported", feedback_ids=[142, 421, 4])
    found = admin_client.get(LOG, {"q": "42"}).context["cl"].result_list
    assert sorted(e.feedback_ids[0] for e in found) == [7, 42]
    assert AccessLog.objects.involving(4).count() == 1
    by_name = admin_client.get(LOG, {"q": "cler"}).context["cl"].result_count
    assert by_name == 3


def test_superusers_read_the_reason_a_flag_was_cleared_in_the_log(admin_client, reviewer, page):
    from feedback.audit import clear_urgent

    item = make_feedback(page, is_urgent=True)
    clear_urgent(feedback=item, user=reviewer, reason="Asked about a friend's dose.")
    entry = AccessLog.objects.get()
    html = admin_client.get(
        reverse("admin:feedback_accesslog_change", args=[entry.pk])
    ).content.decode()
    assert "Cleared the urgent flag" in html
    assert "Asked about a friend&#x27;s dose." in html
