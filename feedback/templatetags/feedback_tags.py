from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse

from ..forms import FeedbackForm
from ..models import Feedback

register = template.Library()


@register.inclusion_tag("feedback/form_section.html", takes_context=True)
def feedback_form(context, page):
    """The critique form for `page`, or a note that feedback is closed.

    The same for every visitor, unless the feedback view is showing the page again
    with the visitor's bound form (``feedback_form`` in the context).
    """
    form = context.get("feedback_form")
    if form is None or form.page != page:
        form = FeedbackForm(page=page)
    waiting = context.get("messages", ())
    # Looking at messages marks them read, and the storage then answers with a cookie
    # deleting them: len() does not, so a page with none stays free of Set-Cookie.
    messages = [m for m in waiting if "feedback" in m.tags] if len(waiting) else []
    return {
        "page": page,
        "form": form,
        "feedback_email": settings.FEEDBACK_EMAIL,
        "messages": messages,
        "notice": context.get("feedback_notice", ""),
        "crisis_line": context.get("crisis_line"),
        # After urgent feedback (sent, or refused with its words kept) the crisis box
        # comes first and replaces the usual line above the form.
        "crisis_box": context.get("feedback_crisis") or any("crisis" in m.tags for m in messages),
    }


@register.inclusion_tag("admin/feedback/inbox_counts.html", takes_context=True)
def feedback_inbox_counts(context):
    """For the admin home: how much feedback waits, each count linking to its list."""
    request = context.get("request")
    if request is None or not request.user.has_perm("feedback.view_feedback"):
        return {"counts": []}
    return {"counts": inbox_counts()}


def inbox_counts():
    """New, urgent-and-new, spam and failing-mail counts, in one query, with their lists."""
    new, spam = Feedback.Status.NEW, Feedback.Status.SPAM
    figures = Feedback.objects.aggregate(
        new=Count("pk", filter=Q(status=new)),
        urgent=Count("pk", filter=Q(status=new, is_urgent=True)),
        spam=Count("pk", filter=Q(status=spam)),
        failing=Count("pk", filter=Q(mail_failures__gt=0)),
    )
    changelist = reverse("admin:feedback_feedback_changelist")
    rows = [
        ("urgent", "Urgent, not yet reviewed", {"status__exact": new, "is_urgent__exact": 1}),
        ("new", "New", {"status__exact": new}),
        ("spam", "Spam", {"status__exact": spam}),
        ("failing", "Failed notifications", {"mail": "failing"}),
    ]
    return [
        {"key": key, "label": label, "count": figures[key], "url": f"{changelist}?{urlencode(q)}"}
        for key, label, q in rows
    ]
