#!/usr/bin/env bash
# `make screenshots`: full-page pictures of the site at phone and desktop size, written
# to screenshots/ (ignored by git). With --readme it also refreshes the two pictures of
# the home page in docs/ that the README shows.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/venv.sh requirements-dev.txt
scripts/ensure-browser.sh
exec .venv/bin/python -m tests.browser.screenshots "$@"
