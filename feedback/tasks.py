"""Notification mail, sent by `manage.py db_worker`, never inside a visitor's request.

A job carries only the feedback's id. It sends what is still due (the urgent alert
first, then the team's note) and stamps each mail as sent, so a retry never sends
one twice. A failure is logged at error level and the job is queued again later,
the wait doubling each time; the urgent alert is tried until it is sent.

Delivery: at least once, and at most twice. A worker killed between the mail server
accepting a message and the stamp being saved leaves the job "running";
`manage.py requeue_stuck_jobs` queues it again, and that one mail goes out a second time.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.tasks import task
from django.utils import timezone

from .models import Feedback

logger = logging.getLogger(__name__)

URGENT_PRIORITY = 10
MAX_RETRY_WAIT = timedelta(hours=1)


def retry_wait(attempt):
    """How long to wait after failed attempt number ``attempt`` (1, 2, ...)."""
    seconds = settings.FEEDBACK_RETRY_SECONDS * 2 ** min(attempt - 1, 20)
    return min(timedelta(seconds=seconds), MAX_RETRY_WAIT)


def queue_notifications(feedback, *, attempt=1, run_after=None):
    """Queue the mail about ``feedback``, if anyone is to be told; call inside its transaction."""
    alert_due = feedback.is_urgent and settings.FEEDBACK_URGENT_EMAILS
    if not (alert_due or settings.FEEDBACK_NOTIFY_EMAILS):
        return None
    job = send_notifications.using(
        priority=URGENT_PRIORITY if alert_due else 0,
        **({"run_after": run_after} if run_after else {}),
    )
    return job.enqueue(feedback_id=feedback.pk, attempt=attempt)


@task
def send_notifications(*, feedback_id, attempt=1):
    """Send the urgent alert and the team's note about one feedback, whichever are due."""
    # Imported here: services imports this module to queue the job.
    from .services import send_team_note, send_urgent_alert

    feedback = Feedback.objects.filter(pk=feedback_id).first()
    if feedback is None or feedback.status == Feedback.Status.SPAM:
        return "nothing to send"  # erased, purged or filed as spam since
    alert_due = bool(
        feedback.is_urgent and feedback.alerted_at is None and settings.FEEDBACK_URGENT_EMAILS
    )
    try:
        if alert_due:
            send_urgent_alert(feedback=feedback)
            stamp(feedback, "alerted_at")
            alert_due = False
        if feedback.notified_at is None and settings.FEEDBACK_NOTIFY_EMAILS:
            send_team_note(feedback=feedback)
            stamp(feedback, "notified_at")
    except Exception:
        Feedback.objects.filter(pk=feedback.pk).update(mail_failures=F("mail_failures") + 1)
        again = alert_due or attempt < settings.FEEDBACK_NOTIFY_ATTEMPTS
        logger.exception(
            "Could not send the notification for feedback #%s (attempt %s; %s)",
            feedback.pk,
            attempt,
            f"trying again in {retry_wait(attempt)}" if again else "giving up",
        )
        if again:
            queue_notifications(
                feedback, attempt=attempt + 1, run_after=timezone.now() + retry_wait(attempt)
            )
        raise  # recorded as a failed job, with its traceback
    if feedback.mail_failures:  # earlier attempts failed; this one got everything out
        Feedback.objects.filter(pk=feedback.pk).update(mail_failures=0)
    return "sent"


def stamp(feedback, field):
    Feedback.objects.filter(pk=feedback.pk).update(**{field: timezone.now()})
