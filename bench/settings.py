"""Settings for `make bench`: production settings plus the baseline URL.

Nothing here changes how pages are served; it only adds /__bench__/baseline/ and
lifts the feedback guards that would turn a load generator away.
"""

import os

# One client address sends hundreds of posts a second: without this the rate limit
# refuses it. (wrk runs no script, so "too fast" is not measured.)
os.environ.setdefault("FEEDBACK_RATE_LIMIT", str(10**9))
# Every post queues its notification job, as on a real site; the worker the benchmark
# starts sends them to a mailer that drops them, or to a slow SMTP stub.
os.environ.setdefault("FEEDBACK_NOTIFY_EMAILS", "team@bench.example")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")

from ketamine_site.settings import *  # noqa: E402, F403

ROOT_URLCONF = "bench.urls"
