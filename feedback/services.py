"""Storing a visitor's feedback and telling the team about it.

Emails to staff carry no personal data by default: no name, username, address
or comment text, only the page and links into the admin (where reading is
limited to reviewers). ``FEEDBACK_NOTIFY_FULL_TEXT`` puts the visitor's words
back into the ordinary notification for sites that accept that; the urgent
alert never carries them.
"""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pages.revisions import versions_of

from .models import Feedback, UrgentPhrase
from .urgency import find_urgent_phrases

logger = logging.getLogger(__name__)

URGENT_SUBJECT = "[URGENT] Feedback needs attention"


def submit_feedback(*, page, data, read_version_id=None) -> Feedback:
    """Store one piece of feedback on `page`, then notify the team once it is committed.

    `data` is a validated form's cleaned_data; only the visitor's four fields are
    read from it. `read_version_id` is the revision the visitor was reading; it is
    kept only if it is a revision of this page. Comments using any active urgent
    phrase are stored as urgent and raise an alert of their own. The record is
    committed before any mail is attempted, and a mail failure never undoes it or
    reaches the visitor.
    """
    fields = {field: data.get(field, "") for field in Feedback.VISITOR_FIELDS}
    is_urgent = bool(find_urgent_phrases(fields["comments"], UrgentPhrase.objects.active_phrases()))
    page_version_id = None
    if read_version_id is not None and versions_of(page.pk).filter(pk=read_version_id).exists():
        page_version_id = read_version_id
    with transaction.atomic():
        feedback = Feedback.objects.create(
            page=page, is_urgent=is_urgent, page_version_id=page_version_id, **fields
        )
        if is_urgent:
            transaction.on_commit(lambda: send_urgent_alert(feedback=feedback))
        transaction.on_commit(lambda: notify_team(feedback=feedback))
    return feedback


def _send(*, subject, body, to, feedback):
    try:
        EmailMessage(subject=subject, body=body, to=to).send()
    except Exception:
        # The feedback is already stored and listed in the admin; a mail outage must
        # not turn into an error page for the visitor.
        logger.exception("Could not send the notification for feedback #%s", feedback.pk)


def send_urgent_alert(*, feedback) -> None:
    """Email FEEDBACK_URGENT_EMAILS that urgent feedback arrived; log, never raise, on failure.

    Says only that it arrived, when, on which page, and where to read it: nothing
    the visitor wrote and nothing about who they are.
    """
    recipients = settings.FEEDBACK_URGENT_EMAILS
    if not recipients:
        return
    site = settings.SITE_URL.rstrip("/")
    body = "\n".join(
        [
            "Feedback marked urgent has arrived: its words suggest the person who sent it "
            "may be at risk. Please read it as soon as you can.",
            "",
            f"Read it: {_admin_url('admin:feedback_feedback_change', feedback.pk)}",
            f"Sent: {timezone.localtime(feedback.submitted_at):%Y-%m-%d %H:%M %Z}",
            f"Page: “{feedback.page_title}” ({site}{feedback.page_path})",
            "",
            "This email leaves out what was written and who wrote it; sign in to read it.",
        ]
    )
    _send(subject=URGENT_SUBJECT, body=body, to=recipients, feedback=feedback)


def notify_team(*, feedback) -> None:
    """Email FEEDBACK_NOTIFY_EMAILS about new feedback; log, never raise, on failure."""
    recipients = settings.FEEDBACK_NOTIFY_EMAILS
    if not recipients:
        return
    _send(
        subject=notification_subject(feedback=feedback),
        body=notification_body(feedback=feedback),
        to=recipients,
        feedback=feedback,
    )


def notification_subject(*, feedback) -> str:
    """A subject with nothing the visitor typed: the staff-written page title only."""
    title = " ".join(feedback.page_title.split())
    return f"New feedback on “{title}”"


def notification_body(*, feedback) -> str:
    """The plain-text message: the page, links to review it, and how much is waiting.

    What the visitor sent is added only with FEEDBACK_NOTIFY_FULL_TEXT, and then
    only in the body, never in a header.
    """
    site = settings.SITE_URL.rstrip("/")
    waiting = Feedback.objects.filter(status=Feedback.Status.NEW).count()
    new_list = _admin_url("admin:feedback_feedback_changelist")
    new_list += "?" + urlencode({"status__exact": Feedback.Status.NEW})
    lines = [
        f"New feedback on “{feedback.page_title}” ({site}{feedback.page_path})",
        f"Review it: {_admin_url('admin:feedback_feedback_change', feedback.pk)}",
        "",
        f"New feedback waiting for review: {waiting} ({new_list})",
    ]
    if not settings.FEEDBACK_NOTIFY_FULL_TEXT:
        lines += ["", "What visitors write is not sent by email; sign in to read it."]
        return "\n".join(lines)
    return "\n".join(
        [
            *lines,
            "",
            f"Sent: {timezone.localtime(feedback.submitted_at):%Y-%m-%d %H:%M %Z}",
            f"Name: {feedback.name}",
            f"Username: {feedback.username or '(none)'}",
            f"Email: {feedback.email or '(none)'}",
            "",
            "Comments:",
            feedback.comments,
        ]
    )


def _admin_url(name, *args):
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)
