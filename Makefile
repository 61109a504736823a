# The two commands of the README's quick start, and a few helpers.
.PHONY: run test superuser screenshots serve bench

run:  ## install everything, load the starter pages, serve on http://127.0.0.1:8000
	scripts/run.sh

test:  ## lint, checks, and the whole test suite (SQLite; PostgreSQL too with CI=true)
	scripts/test.sh

superuser:  ## create an admin account interactively
	scripts/venv.sh requirements.txt
	DEBUG=$${DEBUG:-1} .venv/bin/python manage.py createsuperuser

screenshots:  ## full-page pictures of the site at phone and desktop size, in screenshots/
	scripts/screenshots.sh

serve:  ## production: gunicorn with gunicorn.conf.py, DEBUG off (needs SECRET_KEY; see README)
	scripts/serve.sh

bench:  ## measure requests/s and latency on SQLite and PostgreSQL (see README, "Performance")
	scripts/bench.sh
