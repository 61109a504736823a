"""Full-page pictures of the site at phone and desktop size: `make screenshots`.

Serves the starter pages from a throwaway SQLite database on a free loopback port,
photographs each view at 390x844 and 1280x800 into screenshots/ (git-ignored), and
with --readme also writes the small home-page pictures the README shows into docs/.
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

from .tools import DESKTOP, PHONE, ROOT, launch_chromium

SIZES = {"phone": PHONE, "desktop": DESKTOP}


def open_path(path):
    def visit(page, base):
        page.goto(base + path)

    return visit


# file name -> how a visitor gets there
VIEWS = {
    "home": open_path("/"),
    "learn": open_path("/learn/"),
}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def starter_site():
    """Yield the base URL of a development server holding only the starter pages."""
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
            "DJANGO_SETTINGS_MODULE": "ketamine_site.settings",
        }
        for command in (["migrate", "--noinput"], ["load_starter_content"]):
            subprocess.run(
                [python, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
            )
        log_path = Path(folder, "server.log")
        with log_path.open("w") as log:
            port = free_port()
            server = subprocess.Popen(
                [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            base = f"http://127.0.0.1:{port}"
            try:
                wait_until_serving(base, server, log_path)
                yield base
            finally:
                server.terminate()
                server.wait(timeout=10)


def wait_until_serving(base, server, log_path):
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=2).close()  # noqa: S310 (loopback)
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "The development server did not start:\n" + log_path.read_text()
                ) from None
            time.sleep(0.2)


def shrink_for_readme(source, target):
    """A viewport-sized crop in 256 colours: a few tens of KB, fine for flat UI."""
    with Image.open(source) as picture:
        picture.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
            target, optimize=True
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument(
        "--readme", action="store_true", help="also refresh docs/home-{desktop,phone}.png"
    )
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    written = []
    with starter_site() as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for size, context_options in SIZES.items():
            context = browser.new_context(**context_options)
            for name, visit in VIEWS.items():
                page = context.new_page()
                visit(page, base)
                path = options.out / f"{name}-{size}.png"
                page.screenshot(path=path, full_page=True)
                written.append(path)
                if options.readme and name == "home":
                    crop = options.out / f"{name}-{size}-viewport.png"
                    page.screenshot(path=crop)
                    docs = ROOT / "docs"
                    docs.mkdir(exist_ok=True)
                    shrink_for_readme(crop, docs / f"home-{size}.png")
                    written.append(docs / f"home-{size}.png")
                page.close()
            context.close()
        browser.close()
    for path in written:
        print(f"{path.relative_to(ROOT)}  ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
