"""Shared by the browser tests and the screenshot command: how we launch Chromium,
and the two standards checkers (axe-core in the page, the Nu HTML Checker on the HTML).

Nothing here downloads anything: Chromium comes from Debian, axe-core and vnu-jar from
npm at setup (scripts/ensure-browser.sh), Java from Debian.
"""

import json
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
# Debian's Chromium, never Playwright's own download (which cannot be fetched here).
# No sandbox: CI runs as root in a container, where Chromium's sandbox cannot start.
# The rest keep a headless run quiet and offline: no GPU, QUIC, first-run UI,
# background fetches, component updates or sync.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}

AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SETUP_HINT = "Run scripts/ensure-browser.sh (make test does) to install it."
SERIOUS = {"serious", "critical"}


def launch_chromium(playwright):
    """Start headless Debian Chromium with the flags the project has agreed on."""
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing. {SETUP_HINT}")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@cache
def _axe_source():
    if not AXE_JS.exists():
        raise RuntimeError(f"{AXE_JS} is missing. {SETUP_HINT}")
    return AXE_JS.read_text()


def run_axe(page):
    """Run every axe-core rule on the page as it is now and return axe's results.

    The source is evaluated through the DevTools protocol rather than added as a
    <script>: the site's CSP (script-src 'self', no inline) rightly blocks an inline
    tag, and this way the page keeps its real CSP while it is checked.
    """
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    return page.evaluate("() => axe.run(document)")


def serious_violations(results):
    """axe violations of impact serious or critical, one readable line per node."""
    lines = []
    for violation in results["violations"]:
        if violation["impact"] in SERIOUS:
            for node in violation["nodes"]:
                lines.append(
                    f"{violation['id']} ({violation['impact']}): {violation['help']} "
                    f"at {node['target']}: {node['failureSummary']}"
                )
    return lines


def rule_ids(results, kind):
    return {rule["id"] for rule in results[kind]}


def validate_html(documents):
    """Check {name: html} with the Nu HTML Checker in one JVM run.

    Returns {name: [message dicts]} with every message vnu gave (errors and warnings);
    the JVM's start-up dominates, so callers batch all their documents into one call.
    """
    java = shutil.which("java")
    if java is None:
        raise RuntimeError(f"java is missing. {SETUP_HINT}")
    if not VNU_JAR.exists():
        raise RuntimeError(f"{VNU_JAR} is missing. {SETUP_HINT}")
    with tempfile.TemporaryDirectory() as folder:
        names = {}
        for index, (name, html) in enumerate(documents.items()):
            names[f"{index}.html"] = name
            (Path(folder) / f"{index}.html").write_text(html, encoding="utf-8")
        # vnu exits 1 when it finds errors; its JSON report is what we read.
        completed = subprocess.run(
            [java, "-jar", str(VNU_JAR), "--format", "json", "--stdout", *sorted(names)],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    report = json.loads(completed.stdout)
    messages = {name: [] for name in documents}
    for message in report["messages"]:
        # Messages name their file as a URL ending in our "<index>.html".
        name = names.get(message.get("url", "").rpartition("/")[2], "(vnu itself)")
        messages.setdefault(name, []).append(message)
    return messages


def vnu_errors(messages):
    """The messages that make a document invalid, as readable lines."""
    return [
        f"line {m.get('lastLine', '?')}: {m['message']} [{m.get('extract', '').strip()}]"
        for m in messages
        if m["type"] in {"error", "non-document-error"}
    ]


def _luminance(rgb):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first, second):
    """WCAG 2 contrast ratio of two (r, g, b) colours, 1 to 21."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
