#!/usr/bin/env bash
# Full-page PNGs of the main views at 390x844 and 1280x800 into screenshots/ (git-ignored).
# --readme also refreshes the two small home-page pictures in docs/ that the README shows.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/venv.sh requirements-dev.txt
scripts/ensure-browser.sh
exec .venv/bin/python -m tests.browser.screenshots "$@"
