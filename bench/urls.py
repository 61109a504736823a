"""The site's URLs plus a baseline view, for the benchmark only."""

import os

from django.http import HttpResponse
from django.urls import include, path

from ketamine_site.urls import handler404, handler500  # noqa: F401

BASELINE_SIZE = int(os.environ.get("BENCH_BASELINE_BYTES", "8000"))
BASELINE_BODY = b"<!DOCTYPE html>\n" + b"x" * max(0, BASELINE_SIZE - 16)


def baseline(request):
    """A constant response the size of an article page: the framework's own floor."""
    return HttpResponse(BASELINE_BODY, content_type="text/html; charset=utf-8")


urlpatterns = [
    path("__bench__/baseline/", baseline),
    path("", include("ketamine_site.urls")),
]
