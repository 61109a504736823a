#!/usr/bin/env bash
# Make sure the browser suite's tools are here: Debian's Chromium (driven by Playwright),
# Java (runs the Nu HTML Checker), and the npm packages axe-core and vnu-jar.
# Playwright's own browser download is never used: `playwright install` cannot reach its
# download host from our machines, and Debian's build is patched and updated by apt.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "error: the browser tests need: ${missing[*]}. Install them with" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing ${missing[*]} from Debian"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# node_modules is rebuilt when package-lock.json changes. --ignore-scripts: vnu-jar's
# postinstall would download a Java runtime; we use Debian's, and the jar ships in the package.
stamp=node_modules/.installed-lock
wanted="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  echo "Installing axe-core and vnu-jar from package-lock.json"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  echo "$wanted" > "$stamp"
fi
