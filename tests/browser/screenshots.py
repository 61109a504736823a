"""Full-page pictures of the site at phone and desktop size (`make screenshots`).

Serves the project with the starter pages from a throw-away SQLite database on a free
loopback port, and photographs the home page, a Learn page, the feedback form with
errors and its thank-you at 390x844 and 1280x800 into screenshots/ (git ignores it).
With --readme it also writes the two small pictures of the home page the README shows.

Run it through scripts/screenshots.sh, which prepares the tools first.
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

from .tools import DESKTOP, PHONE, ROOT, launch_chromium, show

SHOTS = ["home", "learn", "form-errors", "confirmation"]
SIZES = {"phone": PHONE, "desktop": DESKTOP}
README_BUDGET = 150_000  # bytes per README picture


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument(
        "--readme", action="store_true", help="also write docs/home-desktop.png and home-phone.png"
    )
    options = parser.parse_args()
    options.out.mkdir(exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as folder,
        serve(Path(folder)) as base,
        sync_playwright() as playwright,
    ):
        browser = launch_chromium(playwright)
        for size, device in SIZES.items():
            context = browser.new_context(**device)
            page = context.new_page()
            for view in SHOTS:
                show(page, base, view)
                path = options.out / f"{view}-{width_by_height(device)}.png"
                page.screenshot(path=path, full_page=True)
                print(f"wrote {path.relative_to(ROOT)}")
            if options.readme:
                write_readme_picture(page, base, ROOT / "docs" / f"home-{size}.png")
            context.close()
        browser.close()


def width_by_height(device):
    return f"{device['viewport']['width']}x{device['viewport']['height']}"


def write_readme_picture(page, base, path):
    """The home page as it first appears in the window, reduced to a 256-colour PNG."""
    show(page, base, "home")
    path.parent.mkdir(exist_ok=True)
    page.screenshot(path=path)
    with Image.open(path) as picture:
        small = picture.convert("RGB").quantize(colors=256)
    small.save(path, optimize=True)
    size = path.stat().st_size
    if size > README_BUDGET:
        sys.exit(f"{path} is {size} bytes, over the README's {README_BUDGET}")
    print(f"wrote {path.relative_to(ROOT)} ({size // 1000} kB)")


@contextmanager
def serve(folder):
    """Run the site with the starter pages on a free loopback port; yield its base URL."""
    env = {
        **os.environ,
        "DEBUG": "1",  # runserver then serves the static files itself
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        # The form treats a post within two seconds of the page loading as a bot; the
        # script is that quick, and the pictures should show the real answers.
        "FEEDBACK_MIN_SECONDS": "0",
    }

    def manage(*args, **options):
        command = [sys.executable, str(ROOT / "manage.py"), *args]
        return subprocess.Popen(command, cwd=ROOT, env=env, **options)

    for args in (["migrate", "--noinput", "-v0"], ["load_starter_content"]):
        if manage(*args, stdout=subprocess.DEVNULL).wait(timeout=300):
            raise RuntimeError(f"manage.py {' '.join(args)} failed")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    server = manage("runserver", "--noreload", f"127.0.0.1:{port}", **quiet)
    try:
        wait_until_up(base, server)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(base, server, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the development server stopped before it answered")
        try:
            with urllib.request.urlopen(base, timeout=2):  # noqa: S310 (our own loopback URL)
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise RuntimeError(f"the development server did not answer on {base} in {seconds} s")


if __name__ == "__main__":
    main()
