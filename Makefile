# The two commands of the README's quick start, and a few helpers.
.PHONY: run test superuser screenshots

run:  ## install everything, load the starter pages, serve on http://127.0.0.1:8000
	scripts/run.sh

test:  ## lint, checks, and the whole test suite (SQLite; PostgreSQL too with CI=true)
	scripts/test.sh

superuser:  ## create an admin account interactively
	scripts/venv.sh requirements.txt
	DEBUG=$${DEBUG:-1} .venv/bin/python manage.py createsuperuser

screenshots:  ## full-page pictures of the site at phone and desktop size, in screenshots/
	scripts/screenshots.sh
