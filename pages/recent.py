"""The one in-process cache (tests reset it between tests: tests/conftest.py)."""


class RecentPages:
    """What this process last read from Django's cache under keys whose value never
    changes (rendered pages and the tree, under the site stamp; a page's newest revision,
    under its last save; the spam classifier of this minute): the one in-process cache.

    New content means a new site stamp, so a new key; a hit here spares the round trip
    to the shared cache and unpickling the value.
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

    def discard(self, key):
        self.entries.pop(key, None)

    def reset(self):
        self.entries.clear()


recent_pages = RecentPages()
