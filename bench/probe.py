"""In-process measurements for the benchmark: SQL queries and size of each page view.

Run with DJANGO_SETTINGS_MODULE=bench.settings; prints one JSON object.
"""

import json
import sys

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def measure(url):
    """Queries and bytes of an anonymous view of ``url``, once caches are warm."""
    client = Client()
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}, not 200")
    return {"queries": len(queries), "bytes": len(response.content)}


print(json.dumps({url: measure(url) for url in sys.argv[1:]}))
