"""The one in-process cache (tests reset it between tests: tests/conftest.py)."""

from django.core.cache import cache


class RecentPages:
    """What this process keeps under keys whose value never changes: the one in-process
    cache. Rendered pages, the tree and the page a feedback post is about, under the site
    stamp; a page's newest revision, under its last save; the spam classifier, under the
    minute it was trained in; the urgent phrases' normal forms, under the phrases.

    New content means a new key; a hit here spares a round trip to the shared cache or
    the database, and unpickling or computing the value again.
    """

    def __init__(self, size=256):
        self.size = size
        self.entries = {}

    def get(self, key):
        return self.entries.get(key)

    def put(self, key, entry):
        if key not in self.entries and len(self.entries) >= self.size:
            self.entries.pop(next(iter(self.entries)))  # the oldest
        self.entries[key] = entry

    def get_or_make(self, key, make, timeout):
        """The value at ``key``: from this process, else from Django's cache, else
        ``make()``, kept in Django's cache for ``timeout`` seconds. ``make`` must not
        return None."""
        found = self.get(key) or cache.get(key)
        if found is None:
            found = make()
            cache.set(key, found, timeout)
        self.put(key, found)
        return found

    def discard(self, key):
        self.entries.pop(key, None)

    def reset(self):
        self.entries.clear()


recent_pages = RecentPages()
