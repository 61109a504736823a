#!/usr/bin/env bash
# Command 2: lint, Django's checks, and the whole test suite on SQLite and, with
# CI=true or a PostgreSQL DATABASE_URL, on PostgreSQL too.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/venv.sh requirements-dev.txt
py=.venv/bin/python
export DJANGO_SETTINGS_MODULE=tests.settings

step() { printf '\n== %s\n' "$*"; }

step "ruff check"; .venv/bin/ruff check .
step "ruff format --check"; .venv/bin/ruff format --check .
step "manage.py check"; DATABASE_URL= $py manage.py check
step "makemigrations --check"; DATABASE_URL= $py manage.py makemigrations --check --dry-run
step "manage.py check --deploy (production environment)"
DATABASE_URL= DJANGO_SETTINGS_MODULE=ketamine_site.settings DEBUG=0 HTTPS=1 \
  EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend \
  SECRET_KEY="$($py -c 'import secrets; print(secrets.token_urlsafe(50))')" \
  $py manage.py check --deploy --fail-level WARNING

pg_url="${DATABASE_URL:-}"
case "$pg_url" in postgres*|postgis*) ;; *) pg_url="" ;; esac
if [ -z "$pg_url" ] && [ "${CI:-}" = "true" ]; then
  pg_url="postgres://postgres@127.0.0.1:5432/ketamine_site"
fi

# The browser tests need Debian's Chromium, Java and the npm checkers: install what is missing.
step "browser test tools"; scripts/ensure-browser.sh

step "pytest on SQLite"
# The two-server test needs PostgreSQL and Redis: it runs in the PostgreSQL pass.
DATABASE_URL= $py -m pytest -m "not multiserver" "$@"

if [ -n "$pg_url" ]; then
  step "pytest on PostgreSQL ($pg_url)"
  if ! $py - "$pg_url" <<'PY'
import sys, psycopg2, environ
cfg = environ.Env.db_url_config(sys.argv[1])
try:
    psycopg2.connect(dbname="postgres", user=cfg["USER"] or None, password=cfg["PASSWORD"] or None,
                     host=cfg["HOST"] or None, port=cfg["PORT"] or None, connect_timeout=5).close()
except psycopg2.OperationalError as exc:
    sys.exit(f"error: PostgreSQL is not reachable at {sys.argv[1]}: {exc}")
PY
  then
    exit 1
  fi
  # The quick-start test runs `make run`, which always uses SQLite: once is enough.
  # The browser tests check what visitors and staff see, which the database does not
  # change; the SQLite pass runs them.
  DATABASE_URL="$pg_url" $py -m pytest -m "not quickstart and not browser" "$@"
fi
