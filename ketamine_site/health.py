"""/healthz for load balancers: can this app server serve visitors, and how well?

It sits in the project package rather than an app because it belongs to no feature:
like wsgi.py it is about running the site, not about what the site does.
"""

import logging
from http import HTTPStatus

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

PROBE_KEY = "healthz:probe"


@never_cache
@require_safe
def healthz(request):
    """503 when the database does not answer: send visitors elsewhere. Otherwise 200,
    with ``"cache": "degraded"`` while the cache does not answer: pages still come
    from the database, slower. The body never says why: the reason goes to the log."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check failed: the database did not answer")
        return JsonResponse(
            {"status": "unavailable", "database": "unavailable"},
            status=HTTPStatus.SERVICE_UNAVAILABLE,
        )
    # The cache turns its own failures into misses (settings.CACHES), so a value
    # that does not come back is how an outage shows here.
    cache.set(PROBE_KEY, "ok", timeout=60)
    if cache.get(PROBE_KEY) != "ok":
        logger.warning("Health check: the cache did not answer; serving from the database")
        return JsonResponse({"status": "degraded", "database": "ok", "cache": "degraded"})
    return JsonResponse({"status": "ok", "database": "ok", "cache": "ok"})
