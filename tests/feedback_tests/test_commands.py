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
