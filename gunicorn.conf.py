"""gunicorn settings for production, read by `gunicorn -c gunicorn.conf.py` (scripts/serve.sh).

Every value can be changed from the environment without editing this file.
"""

import multiprocessing
import os

wsgi_app = "ketamine_site.wsgi:application"
bind = os.environ.get("BIND", "127.0.0.1:8000").split(",")

# gunicorn's own advice for sync workers: two per core plus one, so a core never
# idles while a worker waits on the database.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
# Sync workers: page views are short and CPU-bound, so threads only take turns under
# the GIL (measured with 4 threads a worker: no more pages or posts a second, and twice
# the p99), and a slow client is the proxy's job to buffer (deploy/nginx.conf).
worker_class = "sync"

# A request still running after `timeout` seconds is killed and its worker replaced;
# on a restart, workers get `graceful_timeout` seconds to finish what they are doing,
# so a deploy does not drop a visitor's feedback half-way.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))

# Logs go to stdout/stderr for the process manager to collect. %(D)s is the time the
# request took in microseconds; behind a proxy the client is in X-Forwarded-For.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s %({x-forwarded-for}i)s %(t)s "%(r)s" %(s)s %(B)s %(D)sus "%(f)s" "%(a)s"'
