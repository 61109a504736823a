from django import template
from django.conf import settings

from ..forms import FeedbackForm

register = template.Library()


@register.inclusion_tag("feedback/form_section.html", takes_context=True)
def feedback_form(context, page):
    """The critique form for `page`, or a note that feedback is closed.

    A fresh form (with a new signed timestamp) on every render, unless the
    feedback view is showing the page again with the visitor's bound form.
    """
    request = context.get("request")
    form = getattr(request, "feedback_form", None)
    if form is None or form.page != page:
        form = FeedbackForm(page=page)
    messages = [m for m in context.get("messages", ()) if "feedback" in m.tags]
    return {
        "page": page,
        "form": form,
        "feedback_email": settings.FEEDBACK_EMAIL,
        "messages": messages,
        "crisis_line": context.get("crisis_line"),
        # After urgent feedback the crisis box replaces the usual line above the form.
        "crisis_box": any("crisis" in m.tags for m in messages),
    }
