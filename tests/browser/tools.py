"""Shared by the browser tests and the screenshot command: how Chromium is launched,
what a visitor does with the feedback form, and the two standards checkers (axe-core in
the page, the Nu HTML Checker on the HTML).

Nothing here downloads anything: Chromium and Java come from Debian, axe-core and
vnu-jar from npm at setup (scripts/ensure-browser.sh).
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

# The page every journey ends on: deep in the Learn menu, with the feedback form.
PSYCHIATRISTS = "/learn/opposition/psychiatrists/"
THANKS = "Thank you. Your comments have been sent privately to the team."


def launch_chromium(playwright):
    """Start headless Debian Chromium with the flags the project has agreed on."""
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing. {SETUP_HINT}")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def fill_feedback(page, *, name="", email="", comments=""):
    """Type into the page's feedback form as a visitor would (labels, not selectors)."""
    form = page.locator("form.feedback-form")
    form.get_by_label("Your name").fill(name)  # a substring: "Your name*" has an asterisk
    form.get_by_label("Your email").fill(email)
    form.get_by_label("Your comments about this page").fill(comments)


def send_feedback(page, **fields):
    """Fill in the feedback form and press its button; return the answer once loaded."""
    fill_feedback(page, **fields)
    with page.expect_navigation() as answer:
        page.get_by_role("button", name="Send feedback").click()
    return answer.value


# The pages the standards checks hold to account (and the screenshots show), by name.
VIEWS = ["home", "learn", "opposition-child", "form-errors", "confirmation", "not-found", "search"]
MISTAKES = {"name": "", "email": "sam@example", "comments": "The table needs a source."}
GOOD_FEEDBACK = {"name": "Sam Visitor", "comments": "Clear and fair, thank you."}


def show(page, base, view):
    """Bring ``page`` to one of VIEWS on the site at ``base``; return the HTTP status."""
    if view == "form-errors":
        page.goto(f"{base}{PSYCHIATRISTS}")
        return send_feedback(page, **MISTAKES).status
    if view == "confirmation":
        page.goto(f"{base}{PSYCHIATRISTS}")
        return send_feedback(page, **GOOD_FEEDBACK).status
    path = {
        "home": "/",
        "learn": "/learn/",
        "opposition-child": PSYCHIATRISTS,
        "not-found": "/learn/no-such-page/",
        "search": "/search/?q=ketamine+therapy",
    }[view]
    return page.goto(f"{base}{path}").status


@cache
def _axe_source():
    return AXE_JS.read_text(encoding="utf-8")


def run_axe(page):
    """Run axe-core's rules on the page as it is now and return axe's results.

    axe's source is evaluated through the DevTools protocol, not added as a <script>:
    the site's Content Security Policy (script-src 'self') rightly refuses an inline
    script, and this way the page keeps its real policy while it is checked, so what
    axe sees is exactly what visitors get.
    """
    if not AXE_JS.exists():
        raise RuntimeError(f"{AXE_JS} is missing. {SETUP_HINT}")
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    # Every rule axe runs by default, and two named to be sure they run: color-contrast
    # (WCAG 2 AA 1.4.3: 4.5:1 for text, 3:1 for large text), the suite's contrast
    # check, and target-size (WCAG 2.2 AA 2.5.8), which axe leaves off by default.
    return page.evaluate(
        """() => axe.run(document, {
            rules: {"color-contrast": {enabled: true}, "target-size": {enabled: true}},
            resultTypes: ["violations", "incomplete"],
        })"""
    )


def serious_violations(results):
    """axe violations of impact serious or critical, one readable line per node."""
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} "
        f"at {node['target']}: {node['failureSummary']}"
        for violation in results["violations"]
        if violation["impact"] in SERIOUS
        for node in violation["nodes"]
    ]


def validate_html(documents):
    """Check {name: html} with the Nu HTML Checker in one JVM run.

    Returns {name: [error messages]} (vnu's dicts). The JVM's start-up dominates the
    time, so callers batch all their documents into one call.
    """
    java = shutil.which("java")
    if java is None:
        raise RuntimeError(f"java is missing. {SETUP_HINT}")
    if not VNU_JAR.exists():
        raise RuntimeError(f"{VNU_JAR} is missing. {SETUP_HINT}")
    with tempfile.TemporaryDirectory() as folder:
        files = {f"{index}.html": name for index, name in enumerate(documents)}
        for file, name in files.items():
            (Path(folder) / file).write_text(documents[name], encoding="utf-8")
        # vnu exits 1 when it finds errors; its JSON report is what we read.
        command = [java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", "--stdout"]
        completed = subprocess.run(
            [*command, *files],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    report = json.loads(completed.stdout)
    messages = {name: [] for name in documents}
    for message in report["messages"]:
        # Each message names its file as a URL ending in "<index>.html"; anything else
        # (vnu failing to read a file, say) is reported against every document.
        file = message.get("url", "").rpartition("/")[2]
        for name in [files[file]] if file in files else documents:
            messages[name].append(message)
    return messages


def describe_vnu(messages):
    """vnu's messages as readable lines."""
    return [
        f"line {m.get('lastLine', '?')}: {m['message']} [{m.get('extract', '').strip()}]"
        for m in messages
    ]


def _luminance(rgb):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first, second):
    """WCAG 2's contrast ratio of two (r, g, b) colours, from 1 to 21."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
