import smtplib
from http import HTTPStatus

import pytest
from django.core.mail import EmailMessage
from django_tasks_db.models import DBTaskResult

from feedback.models import Feedback
from feedback.services import submit_feedback
from tests.conftest import run_due_jobs
from tests.feedback_tests.conftest import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _team(settings):
    settings.FEEDBACK_NOTIFY_EMAILS = ["editor@network.example", "lead@network.example"]
    settings.SITE_URL = "https://network.example"
    settings.DEFAULT_FROM_EMAIL = "site@network.example"


def test_new_feedback_sends_one_email_to_the_team_after_it_is_committed(page, mailoutbox):
    data = {
        "name": "Sam Kay",
        "comments": "Please cite the 2023 trial.",
        "email": "",
        "username": "",
    }
    feedback = submit_feedback(page=page, data=data).feedback
    assert mailoutbox == []  # nothing is sent inside the visitor's request
    job = DBTaskResult.objects.get()
    # The job names the feedback and nothing the visitor wrote.
    assert job.args_kwargs == {"args": [], "kwargs": {"feedback_id": feedback.pk, "attempt": 1}}
    assert run_due_jobs() == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["editor@network.example", "lead@network.example"]
    assert message.from_email == "site@network.example"
    assert message.subject == "New feedback on “Cost”"
    assert f"https://network.example/admin/feedback/feedback/{feedback.pk}/change/" in message.body
    assert "https://network.example/learn/cost/" in message.body
    # By default nothing the visitor wrote or who they are: a count and the links.
    assert "Please cite the 2023 trial." not in message.body
    assert "Sam Kay" not in message.body
    assert "New feedback waiting for review: 1" in message.body
    assert "https://network.example/admin/feedback/feedback/?status__exact=new" in message.body


def test_the_count_is_of_all_feedback_still_waiting_for_review(page, mailoutbox):
    Feedback.objects.create(page=page, name="A", comments="Old, seen.", status="reviewed")
    Feedback.objects.create(page=page, name="B", comments="Waiting.")
    submit_feedback(page=page, data={"name": "Sam", "comments": "Hi."})
    run_due_jobs()
    assert "New feedback waiting for review: 2" in mailoutbox[0].body


def test_with_full_text_allowed_the_email_carries_what_the_visitor_sent(page, settings, mailoutbox):
    settings.FEEDBACK_NOTIFY_FULL_TEXT = True
    data = {
        "name": "Sam Kay",
        "comments": "Please cite the 2023 trial.",
        "email": "sam@example.com",
        "username": "sam_k",
    }
    submit_feedback(page=page, data=data)
    run_due_jobs()
    body = mailoutbox[0].body
    for sent in data.values():
        assert sent in body
    assert "New feedback waiting for review: 1" in body


def test_posting_the_form_sends_the_email(client, page, submit_url, mailoutbox):
    response = client.post(submit_url, form_data(page))
    run_due_jobs()
    assert response.status_code == HTTPStatus.FOUND
    assert len(mailoutbox) == 1


def test_a_mail_failure_never_reaches_the_visitor_and_is_logged_by_the_worker(
    client, page, submit_url, monkeypatch, caplog
):
    def broken_send(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("mail server went away")

    monkeypatch.setattr(EmailMessage, "send", broken_send)
    response = client.post(submit_url, form_data(page))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/learn/cost/#feedback"
    run_due_jobs()
    assert Feedback.objects.get().mail_failures == 1
    record = next(r for r in caplog.records if r.name == "feedback.tasks")
    assert record.levelname == "ERROR"
    assert "Could not send the notification" in record.getMessage()
    assert record.exc_info[0] is smtplib.SMTPServerDisconnected


def test_no_email_is_attempted_when_nobody_is_to_be_told(page, settings, mailoutbox):
    settings.FEEDBACK_NOTIFY_EMAILS = []
    submit_feedback(page=page, data={"name": "Sam", "comments": "Hi."})
    run_due_jobs()
    assert mailoutbox == []
    assert Feedback.objects.count() == 1


def test_newlines_in_visitor_fields_cannot_reach_a_header(page, settings, mailoutbox):
    settings.FEEDBACK_NOTIFY_FULL_TEXT = True  # the visitor's text is in the email
    hostile = "Eve\r\nBcc: victim@evil.example\r\nSubject: free pills"
    data = {"name": hostile, "username": hostile, "email": "", "comments": hostile}
    submit_feedback(page=page, data=data)
    run_due_jobs()
    message = mailoutbox[0].message()
    headers = "\n".join(f"{name}: {value}" for name, value in message.items())
    assert "evil.example" not in headers
    assert "free pills" not in headers
    assert message["Bcc"] is None
    assert mailoutbox[0].recipients() == ["editor@network.example", "lead@network.example"]


def test_the_form_refuses_a_newline_in_the_name(client, page, submit_url, mailoutbox):
    response = client.post(submit_url, form_data(page, name="Eve\r\nBcc: victim@evil.example"))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert mailoutbox == []


def test_a_page_title_with_a_line_break_still_gives_a_one_line_subject(page, mailoutbox):
    page.title = "Cost\nand insurance"
    page.save()
    submit_feedback(page=page, data={"name": "Sam", "comments": "Hi."})
    run_due_jobs()
    assert mailoutbox[0].subject == "New feedback on “Cost and insurance”"
