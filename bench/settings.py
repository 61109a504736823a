"""Settings for `make bench`: production settings plus the baseline URL.

Nothing here changes how pages are served; it only adds /__bench__/baseline/ and
lifts the feedback guards that would turn a load generator away.
"""

import os

# One client address sends hundreds of posts a second, straight after loading the
# form: without this the rate limit and the "too fast to be human" guard refuse it.
os.environ.setdefault("FEEDBACK_RATE_LIMIT", str(10**9))
os.environ.setdefault("FEEDBACK_MIN_SECONDS", "0")

from ketamine_site.settings import *  # noqa: E402, F403

ROOT_URLCONF = "bench.urls"
