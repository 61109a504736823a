"""In-process measurements for the benchmark, printed as one JSON object.

    python -m bench.probe pages URL...   SQL queries and bytes of each anonymous page view
    python -m bench.probe feedback RUN   feedback stored by the journey run RUN
    python -m bench.probe clear-cache    empty the cache before a fresh database

Run with DJANGO_SETTINGS_MODULE=bench.settings.
"""

import json
import sys

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from feedback.models import Feedback  # noqa: E402


def measure(url):
    """Queries and bytes of an anonymous view of ``url``, once caches are warm."""
    client = Client()
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}, not 200")
    return {"queries": len(queries), "bytes": len(response.content)}


def stored(run):
    """How many posts of ``run`` were stored, and how many distinct markers they carry."""
    rows = Feedback.objects.filter(comments__startswith=f"bench {run} ")
    repeated = rows.values("comments").annotate(n=Count("pk")).filter(n__gt=1).count()
    return {"stored": rows.count(), "distinct": rows.values("comments").distinct().count(),
            "repeated": repeated, "spam": rows.filter(status="spam").count(),
            "notified": rows.filter(notified_at__isnull=False).count()}  # fmt: skip


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "pages":
        print(json.dumps({url: measure(url) for url in args}))
    elif command == "feedback":
        print(json.dumps(stored(args[0])))
    else:
        cache.clear()
        print("{}")
