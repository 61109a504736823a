"""Settings for ketamine_site, read from the environment.

Production differences are environment switches, not a second settings file.
"""

import hashlib
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

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
    "django_tasks_db",
    "django_prose_editor",
    "pages",
    "feedback",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # whitenoise must come right after SecurityMiddleware so static files skip the rest.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # An ETag for every page that has none yet, and a 304 when the browser's copy is current.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Before anything reads the session, the body or the database: a NUL or a body in
    # a charset other than UTF-8 gets 404/400 here (every header above still applies).
    "ketamine_site.middleware.RefuseUnreadableRequestsMiddleware",
    # Above the page cache, so its answers carry X-Frame-Options too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # An anonymous visitor's page, if already rendered, is answered here (pages/pagecache.py).
    "pages.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
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
REDIS_CACHE = CACHES["default"]["BACKEND"].endswith(".RedisCache")
if REDIS_CACHE:
    # django-redis, failing fast and soft (ketamine_site/redis_cache.py): with Redis
    # down, reads are misses and writes are skipped, so pages are rendered from the
    # database; after one call could not reach Redis, it is left alone for
    # CACHE_RETRY_AFTER seconds, so an outage costs a worker one timeout per retry.
    _redis_options = {
        "SOCKET_CONNECT_TIMEOUT": env.float("CACHE_CONNECT_TIMEOUT", default=0.25),
        "SOCKET_TIMEOUT": env.float("CACHE_SOCKET_TIMEOUT", default=0.5),
        "RETRY_AFTER": env.float("CACHE_RETRY_AFTER", default=5.0),
    }
    CACHES["default"] = {
        **CACHES["default"],
        "BACKEND": "ketamine_site.redis_cache.FailFastRedisCache",
        "OPTIONS": {**_redis_options, "FAIL_SOFT": True},
    }
    # The feedback rate limit's counts, in the same Redis unless FEEDBACK_RATE_REDIS_URL
    # names one that never evicts (README, "Redis memory"). Not failing soft: with
    # Redis down they are counted in the database instead (feedback/ratelimit.py).
    CACHES["ratelimit"] = {
        "BACKEND": "ketamine_site.redis_cache.FailFastRedisCache",
        "LOCATION": env.str("FEEDBACK_RATE_REDIS_URL", default=CACHES["default"]["LOCATION"]),
        "OPTIONS": _redis_options,
    }

# Public pages (README, "Caching"): how long Varnish or a CDN may keep one (the app
# purges it sooner when it changes, and never lets it outlive a scheduled change), and
# how long a stale copy may be served while a fresh one is fetched, or while every app
# server is failing.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=3600)
PAGE_CACHE_STALE_WHILE_REVALIDATE = env.int("PAGE_CACHE_STALE_WHILE_REVALIDATE", default=30)
PAGE_CACHE_STALE_IF_ERROR = env.int("PAGE_CACHE_STALE_IF_ERROR", default=86400)
# Shared caches to purge after each committed change: Varnish addresses such as
# http://127.0.0.1:6081 (deploy/varnish.vcl). Empty: nothing to purge. Another kind of
# cache (a CDN) is one more entry with its own BACKEND (pages/frontend_cache.py).
FRONTEND_CACHES = [
    {"BACKEND": "pages.frontend_cache.VarnishBackend", "LOCATION": url}
    for url in env.list("FRONTEND_CACHE_URLS", default=[])
]
FRONTEND_CACHE_TIMEOUT = env.float("FRONTEND_CACHE_TIMEOUT", default=2.0)


def _static_manifest_digest():
    manifest = BASE_DIR / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return "dev"
    return hashlib.sha256(manifest.read_bytes()).hexdigest()[:16]


# Names this deploy in cache keys, so pages cached by the previous one (naming its
# static files) are not served by this one: RELEASE, or the static manifest's digest.
RELEASE = env.str("RELEASE", default="") or _static_manifest_digest()

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# How often the page editor keeps unsaved typing on the server and reports who else
# has the page open (the issue asks for at least every 30 seconds).
PAGE_AUTOSAVE_SECONDS = env.int("PAGE_AUTOSAVE_SECONDS", default=15)

# Editors enter and read times in this zone (named next to each time field).
TIME_ZONE = env.str("TIME_ZONE", default="America/New_York")
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
# Uploads go to an S3-compatible bucket when one is named, so that every app server
# sees every upload; local disk otherwise. The keys come from the environment
# (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), read by django-storages and boto3.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
MEDIA_ORIGINS = []  # where visitors' browsers fetch uploads from, besides this site
if AWS_STORAGE_BUCKET_NAME:
    _endpoint = env.str("AWS_S3_ENDPOINT_URL", default="")  # empty: Amazon S3
    _domain = env.str("AWS_S3_CUSTOM_DOMAIN", default="")  # e.g. a CDN in front of the bucket
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": _endpoint or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "custom_domain": _domain or None,
            # Figures are public: plain addresses, which pages and shared caches can keep.
            "querystring_auth": False,
            "default_acl": env.str("AWS_DEFAULT_ACL", default="") or None,
            # Never replace another upload that happens to have the same name.
            "file_overwrite": False,
            # Addresses under the endpoint's own host name, whatever the bucket is called.
            "addressing_style": "path" if _endpoint else "virtual",
        },
    }
    if _domain:
        MEDIA_ORIGINS = [f"https://{_domain}"]
    elif _endpoint:
        _parts = urlsplit(_endpoint)
        MEDIA_ORIGINS = [f"{_parts.scheme}://{_parts.netloc}"]
    else:  # Amazon S3 names the bucket's host with or without its region
        _region = STORAGES["default"]["OPTIONS"]["region_name"]
        MEDIA_ORIGINS = [f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com"]
        if _region:
            MEDIA_ORIGINS.append(f"https://{AWS_STORAGE_BUCKET_NAME}.s3.{_region}.amazonaws.com")
# Django serves uploads itself only in development: it reads them from disk in a
# worker a visitor is waiting for. In production nginx or the bucket serves them.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG and not AWS_STORAGE_BUCKET_NAME)

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
_mail_options = {}
if _email_backend.endswith(".smtp.EmailBackend"):
    _mail_options = _smtp_options
elif _email_backend.endswith(".filebased.EmailBackend"):
    # One file per message in EMAIL_FILE_PATH: for trying the worker out, and its test.
    _mail_options = {"file_path": env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "sent-mail"))}
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _mail_options}}
# Background jobs (notification mail) are rows in the database, in the same
# transaction as the feedback they are about; `manage.py db_worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

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
# Where feedback posts are counted: "cache" (Redis, when the site's cache is Redis)
# or "database", a table every worker shares; never a per-process cache.
FEEDBACK_RATE_STORE = env.str("FEEDBACK_RATE_STORE", default="cache" if REDIS_CACHE else "database")
if FEEDBACK_RATE_STORE not in {"cache", "database"}:
    raise ImproperlyConfigured('FEEDBACK_RATE_STORE must be "cache" or "database".')
# The cache alias that counts them, or "" for the database.
FEEDBACK_RATE_CACHE = "ratelimit" if REDIS_CACHE and FEEDBACK_RATE_STORE == "cache" else ""
# A post sent sooner than this after the page loaded (measured by the browser's
# script, where it runs) is kept as spam.
FEEDBACK_MIN_SECONDS = env.float("FEEDBACK_MIN_SECONDS", default=2.0)
# Spam is deleted this many days after it arrived (`purge_feedback --spam`).
FEEDBACK_SPAM_DAYS = env.int("FEEDBACK_SPAM_DAYS", default=30)
# Comments with more links than this are kept as spam.
FEEDBACK_SPAM_MAX_LINKS = env.int("FEEDBACK_SPAM_MAX_LINKS", default=3)
FEEDBACK_SPAM_PHRASES = env.list(
    "FEEDBACK_SPAM_PHRASES",
    default=["viagra", "cialis", "casino", "seo services", "backlinks", "crypto investment"],
)
# The learned score (feedback/spamscore.py) files new feedback as spam above this
# probability, once reviewers have marked at least FEEDBACK_SPAM_MIN_MARKS of each kind.
FEEDBACK_SPAM_THRESHOLD = env.float("FEEDBACK_SPAM_THRESHOLD", default=0.9)
FEEDBACK_SPAM_MIN_MARKS = env.int("FEEDBACK_SPAM_MIN_MARKS", default=5)
# Notification mail is sent by `manage.py db_worker`; a failed send is tried again
# after FEEDBACK_RETRY_SECONDS, doubling each time up to an hour, at most
# FEEDBACK_NOTIFY_ATTEMPTS times (an urgent alert is tried until it is sent).
FEEDBACK_NOTIFY_ATTEMPTS = env.int("FEEDBACK_NOTIFY_ATTEMPTS", default=8)
FEEDBACK_RETRY_SECONDS = env.int("FEEDBACK_RETRY_SECONDS", default=30)
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
    "img-src": [CSP.SELF, "data:", *MEDIA_ORIGINS],
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

# Admin sign-in throttling (django-axes). After AXES_FAILURE_LIMIT wrong passwords
# for one username from one address, that pair is refused for AXES_COOLOFF_TIME,
# the right password included; any other address can still sign in as that user,
# so a guesser cannot lock the real person out. A failed attempt is deleted at the
# next sign-in once it is older than the cool-off; successful sign-ins are not
# recorded at all, and the log never names the address or the username.
INSTALLED_APPS += ["axes"]
# Last: it turns a refused sign-in into the lockout page.
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = [
    # First: it refuses a locked-out pair before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "ketamine_site.signin.client_address"
AXES_USERNAME_CALLABLE = "ketamine_site.signin.attempted_username"
AXES_LOCKOUT_CALLABLE = "ketamine_site.signin.lockout_response"
