"""Test settings: the real settings, with a test key and plain static storage."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")

from ketamine_site.settings import *  # noqa: E402, F403

# Manifest lookups need collectstatic; tests run with DEBUG off and without it.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
FEEDBACK_RATE_CACHE = ""  # counts in the database, as with the default cache
# Serve static files straight from the source folders, as in development.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# A file, not memory, so that the real `db_worker` started by a test as a process of
# its own reads the same test database (tests/feedback_tests/test_jobs.py).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"ks-test-{os.getpid()}.sqlite3")
    }
