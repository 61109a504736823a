"""Settings for ketamine_site, read from the environment.

Production differences are environment switches, not a second settings file.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from js_asset import static_lazy

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

# A development key is offered only with DEBUG on, so a forgotten variable can
# never put a guessable key into production.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long "
            "random string (or set DEBUG=1 for local development)."
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "reversion",
    "django_prose_editor",
    "pages",
    "feedback",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # whitenoise must come right after SecurityMiddleware so static files skip the rest.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: anonymous page views are answered from the page cache here, and every
    # middleware above still handles the response.
    "pages.pagecache.PageCacheMiddleware",
]

ROOT_URLCONF = "ketamine_site.urls"
CSRF_FAILURE_VIEW = "pages.views.csrf_failure"
WSGI_APPLICATION = "ketamine_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "pages.context_processors.site",
            ],
        },
    },
]

# An empty DATABASE_URL means "not set": the SQLite file in the project folder.
DATABASES = {
    "default": env.db_url_config(
        env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    ),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work during a write; IMMEDIATE transactions take the write
    # lock up front and the timeout waits for it, so concurrent feedback posts
    # queue instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
# Each worker keeps its connection between requests (opening one, and for SQLite
# running the PRAGMAs above, cost more than a cached page view itself); the health
# check replaces a connection that died since the last request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# CACHE_URL, or else REDIS_URL as many hosts name it; each process's memory by default.
CACHES = {
    "default": env.cache_url(
        "CACHE_URL", default=env.str("REDIS_URL", default="") or "locmemcache://ketamine-site"
    ),
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "ketamine_site.cache.RedisCache"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Messages live in a signed cookie: an anonymous visitor never needs a session row.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

SITE_NAME = env.str("SITE_NAME", default="Ketamine Patient Network")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Email (Django 6.1 mailers). The console backend prints messages to the log, so
# nothing is sent until EMAIL_BACKEND names a real one; the SMTP backend then
# takes its server from the EMAIL_HOST* variables.
_email_backend = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
_smtp_options = {
    "host": env.str("EMAIL_HOST", default="localhost"),
    "port": env.int("EMAIL_PORT", default=25),
    "username": env.str("EMAIL_HOST_USER", default=""),
    "password": env.str("EMAIL_HOST_PASSWORD", default=""),
    "use_tls": env.bool("EMAIL_USE_TLS", default=False),
    "timeout": env.int("EMAIL_TIMEOUT", default=10),
}
MAILERS = {
    "default": {
        "BACKEND": _email_backend,
        "OPTIONS": _smtp_options if _email_backend.endswith(".smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@example.org")
# The site's public address, for links in emails sent outside a request.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Feedback: the address offered to visitors as an alternative to the form, who is
# told about new feedback, and the guards against abuse.
FEEDBACK_EMAIL = env.str("FEEDBACK_EMAIL", default="feedback@example.org")
FEEDBACK_NOTIFY_EMAILS = env.list("FEEDBACK_NOTIFY_EMAILS", default=[])
# Who is alerted at once when feedback reads as urgent (suicide or self-harm).
FEEDBACK_URGENT_EMAILS = env.list("FEEDBACK_URGENT_EMAILS", default=[])
# Off: notifications say only that feedback arrived, with links. On: they also
# carry the visitor's name, contact details and comments.
FEEDBACK_NOTIFY_FULL_TEXT = env.bool("FEEDBACK_NOTIFY_FULL_TEXT", default=False)
FEEDBACK_RATE_LIMIT = env.int("FEEDBACK_RATE_LIMIT", default=5)
FEEDBACK_RATE_WINDOW = env.int("FEEDBACK_RATE_WINDOW", default=600)
FEEDBACK_MIN_SECONDS = env.float("FEEDBACK_MIN_SECONDS", default=2.0)
FEEDBACK_MAX_AGE_SECONDS = env.int("FEEDBACK_MAX_AGE_SECONDS", default=86400)
# Only behind a proxy of our own that sets X-Forwarded-For; otherwise any client
# could pick a new address for every post and escape the rate limit.
FEEDBACK_TRUST_X_FORWARDED_FOR = env.bool("FEEDBACK_TRUST_X_FORWARDED_FOR", default=False)

# The page body's visual editor: our own extensions (the page chooser) on top of the
# package's; pages/richtext.py lists what editors may use and cleans every save.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("js/editor-extensions.js")],
        "extensions": {"PageLink": "django_prose_editor.config.process_link"},
    }
]
# Page bodies above this Flesch-Kincaid grade are flagged in the Pages list; grade 8
# or below is the usual aim for health information read by the public.
READABILITY_TARGET_GRADE = env.float("READABILITY_TARGET_GRADE", default=8.0)

# Security headers. The site never needs inline script or style, another host, or
# to be framed, so the policy says exactly that. The one exception is the nonce:
# the page editor's import map (django-prose-editor) is an inline script, so the
# admin renders it with a per-response nonce. Django adds the nonce to the header
# only on responses that used one, so public (cached) pages carry none.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    # The editor's engine (Tiptap) adds its small base stylesheet as a <style> element;
    # its hash admits that exact text and nothing else (checked against the shipped
    # bundle in tests/pages_tests/test_editor.py, so an upgrade that changes it fails).
    "style-src": [CSP.SELF, "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
# Nothing on the site uses these browser features; denying them means an injected
# script could not either.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "browsing-topics",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
# Readers of a mental-health site should not tell other sites which page they came from.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Behind a TLS-terminating proxy, HTTPS=1 turns on every HTTPS-only protection at
# once; each can still be switched on its own. Only trust X-Forwarded-Proto when a
# proxy that overwrites it is the only way in.
HTTPS = env.bool("HTTPS", default=False)
if env.bool("SECURE_PROXY_SSL_HEADER", default=HTTPS):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS)
# Load balancers probe app servers over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
# The preload directive only matters once the domain is submitted to the browsers'
# preload list; SECURE_HSTS_PRELOAD=0 leaves it out.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=HTTPS)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=HTTPS)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=HTTPS)
