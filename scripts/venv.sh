#!/usr/bin/env bash
# Make sure .venv exists with Python 3.12+ and the given requirements file installed.
# Usage: scripts/venv.sh requirements.txt   (honours PYTHON=/path/to/python3.12+)
set -euo pipefail
cd "$(dirname "$0")/.."
reqs="${1:-requirements.txt}"

is_suitable() {
  "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

find_python() {
  if [ -n "${PYTHON:-}" ]; then
    if is_suitable "$PYTHON"; then echo "$PYTHON"; return 0; fi
    echo "error: PYTHON=$PYTHON is not a working Python 3.12 or newer." >&2
    return 1
  fi
  local candidate
  for candidate in python3.14 python3.13 python3.12 python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 && is_suitable "$candidate"; then
      command -v "$candidate"; return 0
    fi
  done
  # pyenv often holds newer interpreters than the one on PATH.
  local root
  root="$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"
  for candidate in $(ls -d "$root"/versions/3.* 2>/dev/null | sort -rV); do
    if is_suitable "$candidate/bin/python3"; then echo "$candidate/bin/python3"; return 0; fi
  done
  cat >&2 <<'MSG'
error: no Python 3.12 or newer found (Django 6 needs it).
Install one (for example `pyenv install 3.13` or your system's python3.12 package),
or point at it explicitly: PYTHON=/path/to/python3.12 make run
MSG
  return 1
}

if [ ! -x .venv/bin/python ] || ! is_suitable .venv/bin/python; then
  python="$(find_python)"
  echo "Creating .venv with $python ($("$python" --version))"
  rm -rf .venv
  "$python" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
fi

stamp=".venv/.installed-$(basename "$reqs")"
wanted="$(cat requirements*.txt | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  echo "Installing $reqs into .venv"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$reqs"
  echo "$wanted" > "$stamp"
fi
