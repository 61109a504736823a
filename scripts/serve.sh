#!/usr/bin/env bash
# Production serving: install, migrate, collect static files, then gunicorn with
# gunicorn.conf.py and DEBUG off. Configure with the environment (README, "Production").
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${SECRET_KEY:-}" ]; then
  cat >&2 <<'MSG'
error: SECRET_KEY is not set. Production needs a long random secret, for example:
  export SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
Keep it the same across restarts and app servers (sessions and forms are signed with it).
MSG
  exit 1
fi
scripts/venv.sh requirements.txt
export DEBUG=0
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py collectstatic --noinput --verbosity 0
exec .venv/bin/gunicorn -c gunicorn.conf.py
