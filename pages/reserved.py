"""Top-level URL segments the project owns, which no top-level page may take."""

from django.conf import settings
from django.urls import URLResolver, get_resolver


def _first_segments(patterns):
    for entry in patterns:
        route = str(entry.pattern).lstrip("^")
        if isinstance(entry, URLResolver) and route == "":
            yield from _first_segments(entry.url_patterns)
            continue
        segment = route.split("/")[0].rstrip("$")
        # A segment that starts with a converter or a group is a catch-all.
        if segment and not segment.startswith(("<", "(")):
            yield segment


def reserved_slugs() -> set[str]:
    """First path segments of every URL the project serves other than pages.

    Read from the URLconf, so a URL added later is protected without a second
    list to keep in step.
    """
    reserved = set(_first_segments(get_resolver().url_patterns))
    reserved.add(settings.STATIC_URL.strip("/").split("/")[0])
    reserved.add(settings.MEDIA_URL.strip("/").split("/")[0])
    return reserved
