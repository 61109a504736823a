"""Mail about a page's review, sent by `manage.py db_worker`, never inside the request.

The job carries only the review step's id; the editor to tell is the one who last
submitted the page. A failed send is logged at error level and queued again, the wait
doubling each time, up to ``REVIEW_MAIL_ATTEMPTS`` tries: the review itself is already
recorded and shown in the editor, so mail is only a nudge.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from .models import PageReviewEvent

logger = logging.getLogger(__name__)

REVIEW_MAIL_ATTEMPTS = 5
FIRST_RETRY_WAIT = timedelta(minutes=1)


def queue_review_mail(event, *, attempt=1, run_after=None):
    """Queue the mail about review step ``event``; call inside the transaction that made it."""
    job = send_review_mail.using(**({"run_after": run_after} if run_after else {}))
    return job.enqueue(event_id=event.pk, attempt=attempt)


@task
def send_review_mail(*, event_id, attempt=1):
    """Tell the editor who submitted the page what the reviewer decided."""
    event = PageReviewEvent.objects.select_related("page").filter(pk=event_id).first()
    if event is None:
        return "nothing to send"  # the page was deleted since
    submitted = (
        PageReviewEvent.objects.filter(
            page=event.page, action=PageReviewEvent.Action.SUBMITTED, at__lte=event.at
        )
        .select_related("user")
        .first()
    )
    editor = submitted.user if submitted else None
    if editor is None or not editor.email:
        return "nobody to tell"
    page = event.page
    link = settings.SITE_URL.rstrip("/") + reverse("admin:pages_page_change", args=[page.pk])
    subject = f"“{page.title}”: {event.get_action_display().lower()}"
    body = f"{event.user_name}: {event.get_action_display()}.\n\n{event.comment}\n\nOpen the page: {link}\n"
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [editor.email])
    except Exception:
        logger.exception("Could not mail %s about the review of page %s", editor, page.pk)
        if attempt < REVIEW_MAIL_ATTEMPTS:
            wait = FIRST_RETRY_WAIT * 2 ** (attempt - 1)
            queue_review_mail(event, attempt=attempt + 1, run_after=timezone.now() + wait)
        return "failed"
    return "sent"
