import logging
import math
from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, transaction
from django.http import Http404, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt

from pages.pagecache import make_private
from pages.tree import last_known_crisis_line
from pages.views import render_page, visible_page_or_404

from . import origin, ratelimit
from .forms import FeedbackForm
from .services import is_urgent_text, prepare_submission, store_submission

logger = logging.getLogger(__name__)

THANKS = "Thank you. Your comments have been sent privately to the team."
CRISIS_NOTICE = "If you need support right now, help is available."
CROSS_SITE = (
    "Your feedback has not been sent: it came from a page on another site, and we only "
    "accept feedback sent from this site. Your comments are below: check them and press "
    "“Send feedback” to send them from here."
)


# Public pages carry no per-visitor token, so Django's token check cannot apply here;
# cross-site posts are refused from the request's own headers instead (origin.py).
@csrf_exempt
def submit(request, page_id):
    """Take a visitor's critique of a page: store it privately, or say why not."""
    if request.method != "POST":
        return redirect(form_anchor(visible_page_or_404(request, page_id)))
    try:
        return take_post(request, page_id)
    except Http404:
        raise
    except RequestDataTooBig:
        return post_failed(request, "too_big", HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
    except MultiPartParserError:
        return post_failed(request, "unreadable", HTTPStatus.BAD_REQUEST)
    except DatabaseError:
        logger.exception("The database failed during a feedback post; nothing was stored")
        return post_failed(request, "unavailable", HTTPStatus.SERVICE_UNAVAILABLE)
    except Exception:
        logger.exception("A feedback post failed; nothing was stored")
        return post_failed(request, "failed", HTTPStatus.INTERNAL_SERVER_ERROR)


def take_post(request, page_id):
    page = visible_page_or_404(request, page_id)
    form = FeedbackForm(request.POST, page=page)
    if origin.is_cross_site(request):
        return refuse(request, page, form, HTTPStatus.FORBIDDEN, notice=CROSS_SITE)
    if not page.accepts_feedback:
        return refuse(request, page, form, HTTPStatus.FORBIDDEN)
    if not form.is_valid():
        return refuse(request, page, form, HTTPStatus.BAD_REQUEST)
    submission = prepare_submission(
        page=page,
        data=form.cleaned_data,
        read_version_id=form.read_version_id,
        spam_reasons=form.spam_reasons(),
    )
    # Counted and stored in one transaction: on SQLite one write lock and one commit.
    with transaction.atomic():
        outcome = store_submission(submission) if ratelimit.allow(request) else None
    if outcome is None:
        return rate_limited(request, page, form)
    # A resend, or a post kept as spam, is thanked exactly like any other.
    return thank(request, page, crisis=outcome.feedback.is_urgent)


def form_anchor(page):
    return f"{page.get_absolute_url()}#feedback"


def thank(request, page, *, crisis=False):
    """The thank-you; after urgent feedback, the crisis resources first and nothing more."""
    if crisis:
        # Rendered from the site settings by feedback/form_section.html.
        messages.info(request, CRISIS_NOTICE, extra_tags="feedback crisis")
    messages.success(request, THANKS, extra_tags="feedback")
    return redirect(form_anchor(page))


def refuse(request, page, form, status, *, notice=""):
    """The whole page again, with this bound form (input and errors) at its foot;
    the crisis resources first when the comments use urgent words."""
    crisis = is_urgent_text(form.raw("comments"))
    context = {"feedback_form": form, "feedback_crisis": crisis, "feedback_notice": notice}
    response = render_page(request, page, extra_context=context)
    response.status_code = status
    return make_private(response)


def rate_limited(request, page, form):
    """429: nothing kept, the comments shown back to copy, and another way to send them."""
    window = settings.FEEDBACK_RATE_WINDOW
    context = {
        "page": page,
        "comments": form.cleaned_data["comments"],
        "feedback_email": settings.FEEDBACK_EMAIL,
        "retry_minutes": math.ceil(window / 60),
        "crisis": is_urgent_text(form.cleaned_data["comments"]),
    }
    response = render(
        request, "feedback/rate_limited.html", context, status=HTTPStatus.TOO_MANY_REQUESTS
    )
    response["Retry-After"] = str(window)
    return make_private(response)


def readable_post(request):
    """The posted fields, or as much of them as can be read when the body is too big."""
    try:
        return request.POST
    except RequestDataTooBig:
        if request.content_type != "application/x-www-form-urlencoded":
            return QueryDict()
        # The form puts the comments after the short fields, so the start of the
        # body holds the start of the comments.
        start = request.read(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)
        return QueryDict(start, encoding=request.encoding)


def post_failed(request, reason, status):
    """An error answer to a post that shows the visitor's text back, without the database."""
    try:
        comments = readable_post(request).get("comments", "")
    except Exception:
        comments = ""
    try:
        crisis = is_urgent_text(comments)
    except DatabaseError:
        crisis = True  # cannot tell: showing the resources to everyone is the safe side
    context = {
        "reason": reason,
        "comments": comments,
        "crisis": crisis,
        "crisis_line": last_known_crisis_line(),
        "feedback_email": settings.FEEDBACK_EMAIL,
        "limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
    }
    return make_private(render(request, "feedback/post_failed.html", context, status=status))
