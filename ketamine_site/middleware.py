"""Refuse, before any view runs, requests that no view could read safely.

PostgreSQL cannot store or compare text holding NUL (0x00): a NUL in an address,
a query string or a cookie would reach a lookup and crash it. And Django reads form
bodies only as UTF-8: another declared charset makes reading the body fail in every
middleware and error page that looks at it, ending in a bare 500. Both are answered
here, early, with the site's own 404 or 400 page.
"""

from django.shortcuts import render

# Every other character survives: Django replaces bytes it cannot decode, so a
# request cannot smuggle in text PostgreSQL refuses except through NUL.
REFUSED = "\x00"


def carries_refused_text(query):
    """True when a key or value of the QueryDict (or dict of lists) holds a NUL."""
    return any(REFUSED in key or any(REFUSED in value for value in values) for key, values in query)


def declares_other_charset(request):
    """True when the request says its body is in a charset other than UTF-8.

    Spelt exactly so: Django refuses a form body declared as "utf8", too late.
    """
    charset = request.content_params.get("charset")
    return charset is not None and charset.lower() != "utf-8"


class RefuseUnreadableRequestsMiddleware:
    """404 for an address holding a NUL; 400 for a NUL in the query string or a cookie,
    or a body declared in a charset other than UTF-8.

    The answers are rendered here rather than raised: Django's error views check the
    CSRF token, which means reading the very body that could not be read.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if REFUSED in request.path:
            return render(request, "404.html", status=404)
        if (
            declares_other_charset(request)
            or carries_refused_text(request.GET.lists())
            or carries_refused_text((key, [value]) for key, value in request.COOKIES.items())
        ):
            return render(request, "400.html", status=400)
        return self.get_response(request)
