"""gunicorn as gunicorn.conf.py sets it up: its logs name no client, requests larger
than the site needs are refused, and each instance has its own control socket."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VISITOR = "203.0.113.9"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(tmp_path, port, *, home=None):
    """gunicorn with the production settings and one worker, logging to a file."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home or tmp_path),  # gunicorn's default control socket folder is under it
        "DJANGO_SETTINGS_MODULE": "ketamine_site.settings",
        "SECRET_KEY": "gunicorn-test-key",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    log = open(tmp_path / f"gunicorn-{port}.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, (tmp_path / f"gunicorn-{port}.log").read_text()
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)  # noqa: S310
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    pytest.fail("gunicorn did not answer /healthz within 30 s")


def stop(process):
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture
def server(tmp_path):
    port = free_port()
    process = start(tmp_path, port)
    yield port
    stop(process)


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
    ports = [free_port(), free_port()]
    processes = [start(tmp_path, port, home=home) for port in ports]
    try:
        sockets = {
            port: home / ".gunicorn" / f"ketamine-site-127.0.0.1_{port}.ctl" for port in ports
        }
        deadline = time.monotonic() + 10
        while not all(path.exists() for path in sockets.values()) and time.monotonic() < deadline:
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
            assert f"127.0.0.1:{ports[0] if port == ports[1] else ports[1]}" not in answer.stdout
    finally:
        for process in processes:
            stop(process)
        shutil.rmtree(home)
