"""The README's first command, run the way a newcomer would: on a fresh clone."""

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.quickstart


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url):
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback only)
        return response.status, response.read().decode()


@pytest.fixture
def fresh_clone(tmp_path):
    if not (REPO / ".git").exists() or not shutil.which("git"):
        pytest.fail("the quick-start test needs the project's git checkout")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
    return clone


def test_command_one_installs_loads_starter_content_and_serves_every_menu_page(fresh_clone):
    port = free_port()
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["PORT"] = str(port)
    server = subprocess.Popen(
        ["make", "run"],
        cwd=fresh_clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                status, home = fetch(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    output = server.stdout.read().decode(errors="replace")
                    pytest.fail(f"`make run` did not serve the site:\n{output[-3000:]}")
                time.sleep(1)
        assert status == 200
        assert "Introduction to Ketamine Therapy" in home
        for path in ("/learn/", "/learn/cost/", "/learn/opposition/psychiatrists/"):
            assert fetch(f"http://127.0.0.1:{port}{path}")[0] == 200
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    assert (fresh_clone / "db.sqlite3").exists()
