#!/usr/bin/env bash
# `make bench`: the production server under load on SQLite and PostgreSQL (bench/run.py).
# BENCH_SECONDS, BENCH_PORT and BENCH_POSTGRES_URL change the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
# wrk drives the load; nginx and Varnish are the side-by-side targets (bench/run.py).
for tool in wrk:wrk nginx:nginx varnishd:varnish; do
  binary="${tool%%:*}" package="${tool##*:}"
  command -v "$binary" >/dev/null 2>&1 || [ -x "/usr/sbin/$binary" ] && continue
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing $package from Debian"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
  else
    echo "error: the benchmark needs $package: sudo apt-get install $package" >&2
    exit 1
  fi
done
scripts/venv.sh requirements.txt
exec .venv/bin/python -m bench.run "$@"
