"""Storing a visitor's feedback and telling the team about it."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .models import Feedback

logger = logging.getLogger(__name__)


def submit_feedback(*, page, data) -> Feedback:
    """Store one piece of feedback on `page`, then notify the team once it is committed.

    `data` is a validated form's cleaned_data; only the visitor's four fields are
    read from it. The record is committed before any mail is attempted, and a mail
    failure never undoes it or reaches the visitor.
    """
    with transaction.atomic():
        feedback = Feedback.objects.create(
            page=page, **{field: data.get(field, "") for field in Feedback.VISITOR_FIELDS}
        )
        transaction.on_commit(lambda: notify_team(feedback=feedback))
    return feedback


def notify_team(*, feedback) -> None:
    """Email FEEDBACK_NOTIFY_EMAILS about new feedback; log, never raise, on failure."""
    recipients = settings.FEEDBACK_NOTIFY_EMAILS
    if not recipients:
        return
    try:
        EmailMessage(
            subject=notification_subject(feedback=feedback),
            body=notification_body(feedback=feedback),
            to=recipients,
        ).send()
    except Exception:
        # The feedback is already stored and listed in the admin; a mail outage must
        # not turn into an error page for the visitor.
        logger.exception("Could not send the notification for feedback #%s", feedback.pk)


def notification_subject(*, feedback) -> str:
    """A subject with nothing the visitor typed: the staff-written page title only."""
    title = " ".join(feedback.page_title.split())
    return f"New feedback on “{title}”"


def notification_body(*, feedback) -> str:
    """The plain-text message: the page, a link to review it, and what the visitor sent.

    Visitor text goes only in the body, never in a header.
    """
    site = settings.SITE_URL.rstrip("/")
    admin_url = site + reverse("admin:feedback_feedback_change", args=[feedback.pk])
    return "\n".join(
        [
            f"New feedback on “{feedback.page_title}” ({site}{feedback.page_path})",
            f"Review it: {admin_url}",
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
