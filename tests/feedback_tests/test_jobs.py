"""Notification jobs: queued with the feedback, retried with backoff, failures counted."""

import os
import smtplib
import subprocess
import sys
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.db import connection
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from feedback.models import Feedback, UrgentPhrase
from feedback.services import submit_feedback
from feedback.tasks import retry_wait
from tests.conftest import run_due_jobs
from tests.feedback_tests.conftest import form_data, make_feedback

URGENT = "Some days I want to die."


@pytest.fixture
def mail(settings):
    settings.FEEDBACK_NOTIFY_EMAILS = ["team@network.example"]
    settings.FEEDBACK_URGENT_EMAILS = ["on-call@network.example"]
    settings.FEEDBACK_RETRY_SECONDS = 30
    settings.FEEDBACK_NOTIFY_ATTEMPTS = 3
    return settings


@pytest.fixture
def smtp_down(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPConnectError(421, "try later")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    return monkeypatch


def test_waits_between_attempts_double_up_to_an_hour(settings):
    settings.FEEDBACK_RETRY_SECONDS = 30
    waits = [retry_wait(n) for n in (1, 2, 3, 4)]
    assert waits == [timedelta(seconds=s) for s in (30, 60, 120, 240)]
    assert retry_wait(50) == timedelta(hours=1)


@pytest.mark.django_db
def test_a_failed_send_is_tried_again_later_and_then_sent_once(page, mail, smtp_down, mailoutbox):
    feedback = submit_feedback(page=page, data={"name": "Sam", "comments": "Hi."}).feedback
    run_due_jobs()
    feedback.refresh_from_db()
    assert feedback.mail_failures == 1 and feedback.notified_at is None
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.task_result.kwargs == {"feedback_id": feedback.pk, "attempt": 2}
    assert retry.run_after > timezone.now() + timedelta(seconds=25)
    assert run_due_jobs() == 0  # not before its time
    smtp_down.undo()
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        run_due_jobs()
    feedback.refresh_from_db()
    assert feedback.mail_failures == 0 and feedback.notified_at is not None
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_the_team_note_is_given_up_after_the_last_attempt_and_stays_counted(
    page, mail, smtp_down, caplog
):
    feedback = submit_feedback(page=page, data={"name": "Sam", "comments": "Hi."}).feedback
    for minutes in range(0, 60, 10):
        with time_machine.travel(timezone.now() + timedelta(minutes=minutes)):
            run_due_jobs()
    feedback.refresh_from_db()
    assert feedback.mail_failures == 3
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
    errors = [r for r in caplog.records if r.name == "feedback.tasks"]
    assert [r.levelname for r in errors] == ["ERROR"] * 3
    assert "giving up" in errors[-1].getMessage()


@pytest.mark.django_db
def test_an_urgent_alert_is_tried_until_it_is_sent(page, mail, smtp_down, mailoutbox):
    feedback = submit_feedback(page=page, data={"name": "Sam", "comments": URGENT}).feedback
    later = timezone.now()
    for _ in range(6):  # twice the attempts an ordinary note gets
        later += timedelta(hours=1)
        with time_machine.travel(later):
            run_due_jobs()
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1
    smtp_down.undo()
    with time_machine.travel(later + timedelta(hours=1)):
        run_due_jobs()
    feedback.refresh_from_db()
    assert feedback.alerted_at is not None and feedback.notified_at is not None
    assert [m.to for m in mailoutbox] == [["on-call@network.example"], ["team@network.example"]]


@pytest.mark.django_db
def test_a_retry_sends_only_what_is_still_due(page, mail, monkeypatch, mailoutbox):
    real_send = EmailMessage.send

    def only_urgent_goes(self, *args, **kwargs):
        if self.to != ["on-call@network.example"]:
            raise smtplib.SMTPServerDisconnected("gone")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", only_urgent_goes)
    submit_feedback(page=page, data={"name": "Sam", "comments": URGENT})
    run_due_jobs()
    monkeypatch.undo()
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        run_due_jobs()
    assert [m.to for m in mailoutbox] == [["on-call@network.example"], ["team@network.example"]]


@pytest.mark.django_db
def test_the_job_is_queued_in_the_same_transaction_as_the_feedback(page, mail):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        submit_feedback(page=page, data={"name": "Sam", "comments": "Hi."})
        assert DBTaskResult.objects.count() == 1
        raise RuntimeError("the post fails after storing")
    assert not Feedback.objects.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_a_job_of_a_killed_worker_is_queued_again(page, mail, mailoutbox):
    feedback = submit_feedback(page=page, data={"name": "Sam", "comments": "Hi."}).feedback
    job = DBTaskResult.objects.get()
    job.claim("killed-worker")  # then the process died
    out = StringIO()
    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        call_command("requeue_stuck_jobs", stdout=out)
        run_due_jobs()
    assert "Queued 1 notification job(s) again." in out.getvalue()
    job.refresh_from_db()
    assert job.status == TaskResultStatus.FAILED
    feedback.refresh_from_db()
    assert feedback.notified_at is not None
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_failed_notifications_show_on_the_admin_home_with_a_link(
    page, mail, smtp_down, reviewer_client
):
    feedback = submit_feedback(page=page, data={"name": "Sam", "comments": "Hi."}).feedback
    run_due_jobs()
    html = reviewer_client.get(reverse("admin:index")).content.decode()
    assert 'href="/admin/feedback/feedback/?mail=failing">Failed notifications: <strong>1' in html
    listed = reviewer_client.get("/admin/feedback/feedback/?mail=failing").content.decode()
    assert f"/admin/feedback/feedback/{feedback.pk}/change/" in listed


@pytest.mark.django_db
def test_the_admin_home_counts_new_urgent_and_spam_for_reviewers_only(
    page, reviewer_client, editor_client
):
    make_feedback(page)
    make_feedback(page, is_urgent=True)
    make_feedback(page, is_urgent=True, status="reviewed")
    make_feedback(page, status="spam")
    html = reviewer_client.get(reverse("admin:index")).content.decode()
    for query, label, count in [
        ("status__exact=new&amp;is_urgent__exact=1", "Urgent, not yet reviewed", 1),
        ("status__exact=new", "New", 2),
        ("status__exact=spam", "Spam", 1),
        ("mail=failing", "Failed notifications", 0),
    ]:
        assert f'href="/admin/feedback/feedback/?{query}">{label}: <strong>{count}<' in html
    assert "Feedback waiting" not in editor_client.get(reverse("admin:index")).content.decode()


# The real worker, as a separate process on the test database.


def worker_env(tmp_path, **extra):
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{db['NAME']}"
    else:
        url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path),
        "FEEDBACK_NOTIFY_EMAILS": "team@network.example",
        "FEEDBACK_URGENT_EMAILS": "on-call@network.example",
        **extra,
    }


def run_worker(env):
    return subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_sends_the_mail_queued_by_a_post(client, page, submit_url, tmp_path, mail):
    # A transactional test starts from a flushed database: the phrases seeded by the
    # migration may be gone, so this one is made sure of.
    UrgentPhrase.objects.get_or_create(phrase="want to die")
    response = client.post(submit_url, form_data(page, comments=URGENT))
    assert response.status_code == 302
    run_worker(worker_env(tmp_path))
    sent = "".join(path.read_text() for path in Path(tmp_path).iterdir())
    assert "To: on-call@network.example" in sent
    assert "To: team@network.example" in sent
    feedback = Feedback.objects.get()
    assert feedback.alerted_at and feedback.notified_at
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_retries_when_the_mail_server_refuses(
    client, page, submit_url, tmp_path, mail
):
    client.post(submit_url, form_data(page))
    closed = "1"  # nothing listens on port 1: the connection is refused
    env = worker_env(
        tmp_path,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=closed,
        EMAIL_TIMEOUT="2",
    )
    started = time.monotonic()
    worker = run_worker(env)
    assert time.monotonic() - started < 60
    assert "Could not send the notification" in worker.stderr
    assert Feedback.objects.get().mail_failures == 1
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.task_result.kwargs["attempt"] == 2
    # The mail server is back and the wait is over: the next run sends it.
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker(worker_env(tmp_path))
    assert Feedback.objects.get().notified_at is not None
    assert any(Path(tmp_path).iterdir())
