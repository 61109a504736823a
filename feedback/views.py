import math
from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt

from pages import pagecache
from pages import views as pages_views
from pages.views import visible_page_or_404

from . import ratelimit
from .forms import FeedbackForm
from .services import submit_feedback

THANKS = "Thank you. Your comments have been sent privately to the team."
CRISIS_NOTICE = "If you need support right now, help is available."


# Public pages carry no per-visitor CSRF token (they are shared by every visitor);
# cross-site posts are refused from the request's own headers instead (issue 14).
@csrf_exempt
def submit(request, page_id):
    """Take a visitor's critique of a page: store it privately, or say why not."""
    page = visible_page_or_404(request, page_id)
    if request.method != "POST":
        return redirect(form_anchor(page))
    form = FeedbackForm(request.POST, page=page)
    if not page.accepts_feedback:
        return render_page(request, page, form, status=HTTPStatus.FORBIDDEN)
    if form.is_bot():
        return thank(request, page)  # exactly what a person sees: a bot learns nothing
    if not form.is_valid():
        return render_page(request, page, form, status=HTTPStatus.BAD_REQUEST)
    if not ratelimit.allow(request):
        return rate_limited(request, page, form)
    feedback = submit_feedback(
        page=page, data=form.cleaned_data, read_version_id=form.read_version_id
    )
    return thank(request, page, crisis=feedback.is_urgent)


def form_anchor(page):
    return f"{page.get_absolute_url()}#feedback"


def thank(request, page, *, crisis=False):
    """The thank-you; after urgent feedback, the crisis resources first and nothing more."""
    if crisis:
        # Rendered from the site settings by feedback/form_section.html.
        messages.info(request, CRISIS_NOTICE, extra_tags="feedback crisis")
    messages.success(request, THANKS, extra_tags="feedback")
    return redirect(form_anchor(page))


def render_page(request, page, form, *, status):
    """The whole page again, with this bound form (input and errors) at its foot."""
    # The {% feedback_form %} tag picks the bound form up from the request.
    request.feedback_form = form
    response = pages_views.render_page(request, page)
    response.status_code = status
    return pagecache.make_private(response)


def rate_limited(request, page, form):
    """429: nothing kept, the comments shown back to copy, and another way to send them."""
    window = settings.FEEDBACK_RATE_WINDOW
    context = {
        "page": page,
        "comments": form.cleaned_data["comments"],
        "feedback_email": settings.FEEDBACK_EMAIL,
        "retry_minutes": math.ceil(window / 60),
    }
    response = render(
        request, "feedback/rate_limited.html", context, status=HTTPStatus.TOO_MANY_REQUESTS
    )
    response["Retry-After"] = str(window)
    return response
