#!/usr/bin/env bash
# `make bench`: the production server under load on SQLite and PostgreSQL (bench/run.py).
# BENCH_SECONDS, BENCH_PORT and BENCH_POSTGRES_URL change the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    apt-get install -y -qq wrk >/dev/null
  else
    echo "error: the benchmark needs wrk: sudo apt-get install wrk (or your system's package)" >&2
    exit 1
  fi
fi
scripts/venv.sh requirements.txt
exec .venv/bin/python -m bench.run "$@"
