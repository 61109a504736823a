"""The one place tests start the site's production app servers (gunicorn, gunicorn.conf.py)."""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from http import HTTPStatus
from http.client import HTTPConnection
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    """A port nothing listens on now, so parallel runs of the tests do not collide."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unavailable(reason):
    """Skip on a developer's machine; fail in CI (CI=true), where everything must be there."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the multi-server tests: {reason}")
    pytest.skip(reason)


def wait_for(port, process, seconds=30):
    """Until the server ``process`` answers /healthz on ``port`` with 200."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server on {port} exited with {process.returncode}")
        try:
            conn = HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == HTTPStatus.OK:
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server on {port} did not start")


def database_url():
    """The tests' own PostgreSQL database, for app servers to share with them."""
    if connection.vendor != "postgresql":
        unavailable("needs PostgreSQL: run with DATABASE_URL=postgres://...")
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def app_server_env(**extra):
    """The production settings (ketamine_site.settings), with ``extra`` on top."""
    return {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "ketamine_site.settings",
        "DEBUG": "0",
        # One key for every server, so a session signed by one is read by the others.
        "SECRET_KEY": "shared-by-every-app-server-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


@contextmanager
def app_servers(env, folder, count=2, per_server_env=None):
    """Collect static files once, start ``count`` gunicorns on free ports, each logging to
    ``folder / f"gunicorn-{port}.log"``, yield {port: process}, and stop them at the end.

    ``per_server_env``, if given, holds one dict of settings for each server (and so
    sets how many there are)."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    processes = {}
    try:
        for extra in per_server_env or [{}] * count:
            port = free_port()
            with open(folder / f"gunicorn-{port}.log", "wb") as log:
                processes[port] = subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
                    cwd=ROOT,
                    env={**env, **extra, "BIND": f"127.0.0.1:{port}"},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
        for port, process in processes.items():
            try:
                wait_for(port, process)
            except RuntimeError as exc:
                log = (folder / f"gunicorn-{port}.log").read_text()
                raise RuntimeError(f"{exc}; its log ends:\n{log[-3000:]}") from exc
        yield processes
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes.values():
            process.wait(timeout=40)
