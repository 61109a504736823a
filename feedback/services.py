"""Storing a visitor's feedback and telling the team about it.

Emails to staff carry no personal data by default: no name, username, address
or comment text, only the page and links into the admin (where reading is
limited to reviewers). ``FEEDBACK_NOTIFY_FULL_TEXT`` puts the visitor's words
back into the ordinary notification for sites that accept that; the urgent
alert never carries them. The mail is sent by a background job (feedback/tasks.py).
"""

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from . import spamscore
from .models import Feedback, UrgentPhrase
from .tasks import queue_notifications
from .urgency import find_urgent_phrases

URGENT_SUBJECT = "[URGENT] Feedback needs attention"
# How long the same submission sent again is recognised as a resend.
RESEND_WINDOW = timedelta(days=1)


@dataclass(frozen=True)
class Outcome:
    feedback: Feedback
    created: bool  # False: the same submission was already stored (a resend)


def is_urgent_text(comments):
    """True if ``comments`` use any active urgent phrase."""
    return bool(find_urgent_phrases(comments, UrgentPhrase.objects.active_phrases()))


def submission_digest(*, page, fields):
    """A keyed digest of the page and the visitor's fields: equal only for equal posts."""
    parts = [str(page.pk), *(fields[name] for name in Feedback.VISITOR_FIELDS)]
    # The unit separator cannot be typed into the form (control characters are refused).
    value = "\x1f".join(parts)
    return salted_hmac("feedback.submission", value, algorithm="sha256").hexdigest()


@dataclass(frozen=True)
class Submission:
    """A post ready to store: its row and digest, judged (urgent, spam) before any write."""

    row: dict
    digest: str

    @property
    def is_spam(self):
        return self.row["status"] == Feedback.Status.SPAM


def prepare_submission(*, page, data, read_version_id=None, spam_reasons=()) -> Submission:
    """Judge a post without writing anything: urgent words, spam rules and learnt score.

    `data` is a validated form's cleaned_data. Feedback that looks automated
    (`spam_reasons`, or the content rules and learnt score) is to be stored as spam
    with the reason and never mailed about.
    """
    fields = {field: data.get(field, "") for field in Feedback.VISITOR_FIELDS}
    is_urgent = is_urgent_text(fields["comments"])
    reasons = [*spam_reasons, *spamscore.content_reasons(fields["comments"])]
    # A learnt score never files urgent words as spam: missing a person at risk
    # costs more than an alert about a spammer.
    if not reasons and not is_urgent:
        reasons = [reason for reason in [spamscore.learnt_reason(fields["comments"])] if reason]
    row = {
        "page": page,
        "is_urgent": is_urgent,
        "page_version_id": read_version_id,
        "status": Feedback.Status.SPAM if reasons else Feedback.Status.NEW,
        "spam_reason": "; ".join(reasons)[:200],
        **fields,
    }
    return Submission(row, submission_digest(page=page, fields=fields))


def store_submission(submission) -> Outcome:
    """Store a prepared post once, with its mail queued in the same transaction.

    The same submission sent again within a day is not stored again: the first one is
    returned. Inside the caller's transaction it adds no savepoint of its own (the view
    counts the post against the rate limit in the same one: on SQLite one wait for the
    write lock, held for the writes alone, and one commit).
    """
    row, digest = submission.row, submission.digest
    with transaction.atomic(savepoint=False):
        try:
            with transaction.atomic():
                feedback = Feedback.objects.create(submission_digest=digest, **row)
        except IntegrityError:
            # The same post, stored a moment ago (perhaps by a request still running
            # beside this one): the unique digest let only one of them in.
            earlier = Feedback.objects.get(submission_digest=digest)
            if earlier.submitted_at >= timezone.now() - RESEND_WINDOW:
                return Outcome(earlier, created=False)
            # Sent again after the window: that is a new post, and the digest moves to it.
            Feedback.objects.filter(pk=earlier.pk).update(submission_digest=None)
            feedback = Feedback.objects.create(submission_digest=digest, **row)
        if not submission.is_spam:
            queue_notifications(feedback)
    return Outcome(feedback, created=True)


def submit_feedback(**post) -> Outcome:
    """Judge and store one post (``prepare_submission``'s arguments): see both."""
    return store_submission(prepare_submission(**post))


def restore_from_spam(*, queryset, reviewer) -> int:
    """Move spam back to New as a reviewer's "not spam" mark, and queue its mail."""
    restored = 0
    for feedback in queryset.filter(status=Feedback.Status.SPAM):
        with transaction.atomic():
            feedback.status = Feedback.Status.NEW
            feedback.reviewed_by = reviewer
            feedback.reviewed_at = timezone.now()
            feedback.save(update_fields=["status", "reviewed_by", "reviewed_at"])
            queue_notifications(feedback)
        restored += 1
    return restored


def forget_old_digests() -> int:
    """Clear digests older than the resend window; they only serve to spot resends."""
    cutoff = timezone.now() - RESEND_WINDOW
    return Feedback.objects.filter(submission_digest__isnull=False, submitted_at__lt=cutoff).update(
        submission_digest=None
    )


def send_urgent_alert(*, feedback) -> None:
    """Email FEEDBACK_URGENT_EMAILS that urgent feedback arrived; raises if sending fails.

    Says only that it arrived, when, on which page, and where to read it: nothing
    the visitor wrote and nothing about who they are.
    """
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
    EmailMessage(subject=URGENT_SUBJECT, body=body, to=settings.FEEDBACK_URGENT_EMAILS).send()


def send_team_note(*, feedback) -> None:
    """Email FEEDBACK_NOTIFY_EMAILS about new feedback; raises if sending fails."""
    EmailMessage(
        subject=notification_subject(feedback=feedback),
        body=notification_body(feedback=feedback),
        to=settings.FEEDBACK_NOTIFY_EMAILS,
    ).send()


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
