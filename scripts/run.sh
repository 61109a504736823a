#!/usr/bin/env bash
# Command 1: install, migrate, load the starter pages, and serve on http://127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/venv.sh requirements.txt
# Local development runs with DEBUG on unless told otherwise (then SECRET_KEY is required).
export DEBUG="${DEBUG:-1}"
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py load_starter_content
.venv/bin/python manage.py collectstatic --noinput --verbosity 0
port="${PORT:-8000}"
# The background worker sends notification mail; it stops when the server stops.
.venv/bin/python manage.py requeue_stuck_jobs
.venv/bin/python manage.py db_worker &
worker=$!
echo "Serving on http://127.0.0.1:$port  (admin: http://127.0.0.1:$port/admin/ after 'make superuser')"
.venv/bin/python manage.py runserver "127.0.0.1:$port" &
server=$!
# `wait` returns as soon as a signal arrives, so Ctrl-C or a kill stops both at once.
trap 'kill "$server" "$worker" 2>/dev/null; wait' EXIT INT TERM
wait "$server"
