"""Refuse, before any view runs, requests that no view could read safely.

PostgreSQL cannot store or compare text holding NUL (0x00): a NUL in an address,
a query string or a cookie would reach a lookup and crash it. And Django reads form
bodies only as UTF-8: another declared charset makes reading the body fail in every
middleware and error page that looks at it, ending in a bare 500. Both are answered
here, early, with the site's own 404 or 400 page, and so are two admin inputs that
Django's admin itself turns into a 500 (found by tests/test_fuzz.py).
"""

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.shortcuts import render

# Every other character survives: Django replaces bytes it cannot decode, so a
# request cannot smuggle in text PostgreSQL refuses except through NUL.
REFUSED = "\x00"


def may_carry_refused_text(raw):
    """A first look at a raw query string or Cookie header, so that most requests are
    not parsed here: a NUL arrives as itself, percent-encoded, or as a cookie's
    octal escape."""
    return "\x00" in raw or "%00" in raw or "\\000" in raw


def carries_refused_text(query):
    """True when a key or value of the QueryDict (or dict of lists) holds a NUL."""
    return any(REFUSED in key or any(REFUSED in value for value in values) for key, values in query)


def declares_other_charset(request):
    """True when the request says its body is in a charset other than UTF-8.

    Spelt exactly so: Django refuses a form body declared as "utf8", too late.
    """
    charset = request.content_params.get("charset")
    return charset is not None and charset.lower() != "utf-8"


def names_unknown_objects(model_admin, request, selected):
    """True when an admin action's selection holds something that is not an id.

    Django's admin filters by the selection without checking it, and a value its
    primary key cannot read ends in a 500.
    """
    try:
        model_admin.get_queryset(request).filter(pk__in=selected)
    except (ValueError, TypeError, ValidationError):
        return True
    return False


def names_impossible_date(model_admin, query):
    """True when the admin's date drill-down asks for a year, month or day past 9999.

    Django refuses other bad values itself, but builds a date from one this large
    and the overflow ends in a 500.
    """
    field = model_admin.date_hierarchy
    for part in ("year", "month", "day") if field else ():
        try:
            number = int(query.get(f"{field}__{part}", "0"))
        except ValueError:
            continue
        if abs(number) > 9999:
            return True
    return False


class RefuseUnreadableRequestsMiddleware:
    """404 for an address holding a NUL; 400 for a NUL in the query string or a cookie,
    a body declared in a charset other than UTF-8, an admin action's selection that
    is not a list of ids, or an admin date drill-down past the year 9999.

    The answers are rendered here rather than raised: Django's error views check the
    CSRF token, which means reading the very body that could not be read.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if REFUSED in request.path:
            return render(request, "404.html", status=404)
        query = request.META.get("QUERY_STRING", "")
        cookies = request.META.get("HTTP_COOKIE", "")
        if (
            declares_other_charset(request)
            or (may_carry_refused_text(query) and carries_refused_text(request.GET.lists()))
            or (
                may_carry_refused_text(cookies)
                and carries_refused_text((key, [value]) for key, value in request.COOKIES.items())
            )
        ):
            return render(request, "400.html", status=400)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The admin marks each of its models' views with the ModelAdmin they belong to.
        model_admin = getattr(view_func, "model_admin", None)
        if model_admin is None:
            return None
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME) if request.method == "POST" else []
        if (selected and names_unknown_objects(model_admin, request, selected)) or (
            names_impossible_date(model_admin, request.GET)
        ):
            return render(request, "400.html", status=400)
        return None
