from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from feedback.models import Feedback
from tests.feedback_tests.conftest import make_feedback

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - timezone.timedelta(days=days)


def run(command, *args):
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def aged(page):
    return {
        "old_spam": make_feedback(page, submitted_at=days_ago(100), status="spam"),
        "old_reviewed": make_feedback(page, submitted_at=days_ago(100), status="reviewed"),
        "old_new": make_feedback(page, submitted_at=days_ago(40), status="new"),
        "recent": make_feedback(page, submitted_at=days_ago(5), status="spam"),
    }


def remaining():
    return set(Feedback.objects.values_list("pk", flat=True))


def test_purge_deletes_feedback_older_than_the_given_days_and_says_how_many(aged):
    output = run("purge_feedback", "--older-than", "30")
    assert "Deleted 3 feedback sent before" in output
    assert remaining() == {aged["recent"].pk}


def test_purge_can_be_limited_to_some_statuses(aged):
    output = run("purge_feedback", "--older-than", "30", "--status", "spam", "reviewed")
    assert "Deleted 2 feedback" in output
    assert "with status reviewed, spam" in output
    assert remaining() == {aged["old_new"].pk, aged["recent"].pk}


def test_purge_accepts_the_status_option_more_than_once(aged):
    run("purge_feedback", "--older-than", "30", "--status", "spam", "--status", "new")
    assert remaining() == {aged["old_reviewed"].pk, aged["recent"].pk}


def test_purge_dry_run_reports_and_deletes_nothing(aged):
    output = run("purge_feedback", "--older-than", "30", "--dry-run")
    assert "Would delete 3 feedback" in output
    assert len(remaining()) == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--older-than", "-1"], "0 or more days"),
        (["--older-than", "thirty"], "invalid int value"),
        (["--older-than", "30", "--status", "junk"], "invalid choice"),
        ([], "--older-than"),
    ],
)
def test_purge_refuses_bad_input_with_a_clear_error(aged, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("purge_feedback", *args, stdout=StringIO())
    assert len(remaining()) == 4


def test_erase_removes_everything_sent_with_an_address_in_any_case(page):
    make_feedback(page, email="Sam.Kay@Example.com")
    make_feedback(page, email="sam.kay@example.com", status="archived")
    kept = make_feedback(page, email="other@example.com")
    output = run("erase_feedback", "--email", "SAM.KAY@example.COM")
    assert "Deleted 2 feedback sent with SAM.KAY@example.COM." in output
    assert remaining() == {kept.pk}


def test_erase_dry_run_reports_and_deletes_nothing(page):
    make_feedback(page, email="sam@example.com")
    output = run("erase_feedback", "--email", "sam@example.com", "--dry-run")
    assert "Would delete 1 feedback" in output
    assert Feedback.objects.count() == 1


def test_erase_points_out_other_feedback_that_mentions_the_address(page):
    make_feedback(page, email="sam@example.com")
    mention = make_feedback(page, email="", comments="My friend sam@example.com agrees.")
    output = run("erase_feedback", "--email", "sam@example.com")
    assert "1 other feedback mention sam@example.com" in output
    assert remaining() == {mention.pk}  # a person decides about text written by someone else


def test_erase_refuses_something_that_is_not_an_address(page):
    make_feedback(page, email="sam@example.com")
    with pytest.raises(CommandError, match="is not an email address"):
        call_command("erase_feedback", "--email", "sam", stdout=StringIO())
    assert Feedback.objects.count() == 1


def test_erase_leaves_no_trace_naming_the_person_in_history_or_the_access_log(
    reviewer_client, reviewer, page
):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    from feedback.models import AccessLog

    erased = make_feedback(
        page,
        name="Zed Quill",
        email="zed@example.com",
        comments="I could kill myself",
        is_urgent=True,
    )
    other = make_feedback(page, name="Other Person", email="other@example.com")
    change = reverse("admin:feedback_feedback_change", args=[erased.pk])
    reviewer_client.get(change)  # read: an access log entry
    reviewer_client.post(
        reverse("admin:feedback_feedback_clear_urgent", args=[erased.pk]),
        {"reason": "Zed Quill was quoting a film."},
    )
    reviewer_client.post(change, {"status": "reviewed", "staff_note": "Replied to Zed Quill."})
    changelist = reverse("admin:feedback_feedback_changelist")
    reviewer_client.post(
        changelist, {"action": "archive", "_selected_action": [erased.pk, other.pk]}
    )
    # A History row from before records were named without the visitor's name.
    LogEntry.objects.create(
        user=reviewer,
        content_type=ContentType.objects.get_for_model(Feedback),
        object_id=str(erased.pk),
        object_repr="Zed Quill on “Cost” (2026-11-30 10:00)",
        action_flag=CHANGE,
    )
    assert LogEntry.objects.filter(object_id=str(erased.pk)).count() == 4

    run("erase_feedback", "--email", "zed@example.com")

    remaining_history = LogEntry.objects.values_list("object_repr", "change_message")
    assert not [row for row in remaining_history if "Zed" in " ".join(row)]
    assert not LogEntry.objects.filter(object_id=str(erased.pk)).exists()
    assert LogEntry.objects.filter(object_id=str(other.pk)).count() == 1  # others' kept
    # The access log still says who read the record, by number, and nothing about the person.
    entries = AccessLog.objects.involving(erased.pk)
    assert {entry.action for entry in entries} == {"viewed", "unflagged"}
    assert not [entry for entry in entries if "Zed" in entry.note]
    # "Recent actions" on the admin's home page names no one.
    assert "Zed" not in reviewer_client.get(reverse("admin:index")).content.decode()
