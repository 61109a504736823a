"""gunicorn as gunicorn.conf.py sets it up: its logs name no client, requests larger
than the site needs are refused, and each instance has its own control socket."""

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from tests.servers import app_server_env, app_servers

VISITOR = "203.0.113.9"


def gunicorn_env(tmp_path, *, home=None):
    """The production settings with one worker a server."""
    return app_server_env(
        HOME=str(home or tmp_path),  # gunicorn's default control socket folder is under it
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        WEB_CONCURRENCY="1",
    )


@pytest.fixture
def server(tmp_path):
    with app_servers(gunicorn_env(tmp_path), tmp_path, count=1) as processes:
        (port,) = processes
        yield port


def raw_request(port, head):
    """Send ``head`` as it is and return the status line of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(head.encode())
        return connection.recv(200).split(b"\r\n", 1)[0].decode()


def log_of(tmp_path, port):
    return (tmp_path / f"gunicorn-{port}.log").read_text()


def test_access_log_names_no_client_address_and_no_query(server, tmp_path):
    request = urllib.request.Request(
        f"http://127.0.0.1:{server}/healthz?q=private+words",
        headers={"X-Forwarded-For": VISITOR, "Referer": "http://example.org/search/?q=mine"},
    )
    urllib.request.urlopen(request, timeout=10)  # noqa: S310
    lines = [line for line in log_of(tmp_path, server).splitlines() if "/healthz" in line]
    assert any('"GET /healthz HTTP/1.1" 200' in line for line in lines), lines
    for line in lines:
        assert "127.0.0.1" not in line
        assert VISITOR not in line
        assert "private" not in line
        assert "mine" not in line


def test_refused_malformed_request_is_logged_without_the_client_address(server, tmp_path):
    status = raw_request(server, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n")
    assert status.startswith("HTTP/1.1 400")
    # The worker writes its warning after answering.
    deadline = time.monotonic() + 10
    while "Invalid request" not in log_of(tmp_path, server) and time.monotonic() < deadline:
        time.sleep(0.1)
    log = log_of(tmp_path, server)
    assert "Invalid request from ip=-" in log
    assert "ip=127.0.0.1" not in log


def test_requests_with_more_headers_than_any_browser_sends_are_refused(server):
    many = "".join(f"X-Filler-{n}: {n}\r\n" for n in range(60))
    status = raw_request(server, f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n{many}\r\n")
    assert status.split()[1] in {"400", "431"}
    assert raw_request(server, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").startswith(
        "HTTP/1.1 200"
    )


def test_each_instance_on_a_machine_has_its_own_control_socket(tmp_path):
    # A socket's path may hold only about 100 characters, so this home is a short one.
    home = Path(tempfile.mkdtemp(prefix="gc-"))
    try:
        with app_servers(gunicorn_env(tmp_path, home=home), tmp_path) as processes:
            ports = list(processes)
            sockets = {
                port: home / ".gunicorn" / f"ketamine-site-127.0.0.1_{port}.ctl" for port in ports
            }
            deadline = time.monotonic() + 10
            while (
                not all(path.exists() for path in sockets.values()) and time.monotonic() < deadline
            ):
                time.sleep(0.2)
            for port, path in sockets.items():
                answer = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn.ctl.cli",
                        "-s",
                        str(path),
                        "-c",
                        "show config",
                        "-j",
                    ],
                    capture_output=True,
                    text=True,
                    timeout=10,
                    check=True,
                )
                assert f"127.0.0.1:{port}" in answer.stdout
                other = ports[0] if port == ports[1] else ports[1]
                assert f"127.0.0.1:{other}" not in answer.stdout
    finally:
        shutil.rmtree(home)
