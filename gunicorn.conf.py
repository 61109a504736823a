"""gunicorn settings for production, read by `gunicorn -c gunicorn.conf.py` (scripts/serve.sh).

Every value can be changed from the environment without editing this file.
"""

import logging
import multiprocessing
import os
import re

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
# Sync workers close every connection after its response, so this only matters if
# worker_class is changed to one that keeps connections open.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))

# Requests larger than any the site needs are refused before a worker reads on: the
# longest address is a search (cut to 200 characters) with its page number, and a
# browser sends about a dozen headers. These do not stop a client that sends slowly:
# each such client holds a sync worker, so a buffering proxy must be in front (README).
limit_request_line = int(os.environ.get("GUNICORN_LIMIT_REQUEST_LINE", 4094))
limit_request_fields = int(os.environ.get("GUNICORN_LIMIT_REQUEST_FIELDS", 50))
limit_request_field_size = int(os.environ.get("GUNICORN_LIMIT_REQUEST_FIELD_SIZE", 8190))

# Logs go to stdout/stderr for the process manager to collect. The access log names
# no client: no address, no X-Forwarded-For, no query string (what someone searched
# for) and no referrer (which carries the previous page's query string). %(D)s is
# the time the request took in microseconds.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(D)sus "%(a)s"'


class HideClientAddresses(logging.Filter):
    """Blanks the client address gunicorn writes when it refuses a malformed request."""

    pattern = re.compile(r"\bip=\S+")

    def filter(self, record):
        record.msg = self.pattern.sub("ip=-", record.getMessage())
        record.args = ()
        return True


def on_starting(server):
    logging.getLogger("gunicorn.error").addFilter(HideClientAddresses())


def when_ready(server):
    """Give this instance a control socket of its own (for `gunicornc`).

    gunicorn's default is one path per user, so a second instance on the machine
    would take the first one's over. Two instances cannot listen on the same
    address, so the first address this one listens on names its socket.
    """
    path = os.environ.get("GUNICORN_CONTROL_SOCKET")
    if not path:
        folder = os.environ.get("XDG_RUNTIME_DIR") or os.path.expanduser("~/.gunicorn")
        address = str(server.LISTENERS[0]).split("://")[-1]  # unix:/path, or host:port
        address = re.sub(r"[^A-Za-z0-9.-]+", "_", address)
        path = os.path.join(folder, f"ketamine-site-{address}.ctl")
    server.cfg.set("control_socket", path)
