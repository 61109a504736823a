"""How django-axes counts and answers failed admin sign-ins (settings: AXES_*)."""

import ipaddress

from django.conf import settings
from django.contrib import admin
from django.shortcuts import render
from django.utils import timezone

from feedback.ratelimit import client_address as rate_limit_address

USERNAME_MAX_LENGTH = 150  # django.contrib.auth's User.username


def client_address(request):
    """The address a sign-in attempt counts against: the one the feedback rate limit
    uses (X-Forwarded-For only behind the site's own proxy), if it is an IP address.

    Axes stores it in an IP address column, which refuses anything else.
    """
    try:
        return str(ipaddress.ip_address(rate_limit_address(request)))
    except ValueError:
        return request.META.get("REMOTE_ADDR") or None


def attempted_username(request, credentials):
    """The username a sign-in attempt counts against, cut to the longest a user can have.

    The admin's sign-in form sends any length on to authentication, and axes stores
    the name in a 255-character column, which PostgreSQL refuses to overflow.
    """
    username = (credentials or request.POST).get(settings.AXES_USERNAME_FORM_FIELD)
    return username[:USERNAME_MAX_LENGTH] if isinstance(username, str) else username


def lockout_response(request, original_response, credentials):
    """429: signing in is paused, until when, and who can lift the pause sooner."""
    cool_off = settings.AXES_COOLOFF_TIME
    context = {
        **admin.site.each_context(request),
        "title": "Signing in is paused",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cool_off_minutes": int(cool_off.total_seconds() // 60),
        "retry_at": timezone.localtime() + cool_off,
    }
    return render(request, "admin/locked_out.html", context, status=429)
