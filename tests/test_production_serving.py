"""Production serving: the health check, gunicorn's configuration, SQLite under concurrent writes."""

import json
import os
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection

from pages.models import Page

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_healthz_answers_ok_as_uncached_json_when_the_database_and_cache_answer(client):
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_and_keeps_the_reason_to_itself_when_the_database_fails(client):
    failure = OperationalError('could not connect to server at "db.internal" (10.0.0.5)')
    with mock.patch.object(connection, "cursor", side_effect=failure):
        response = client.get("/healthz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json() == {"status": "unavailable", "database": "unavailable"}
    assert "db.internal" not in response.content.decode()


@pytest.mark.django_db
def test_healthz_refuses_posts(client):
    assert client.post("/healthz").status_code == HTTPStatus.METHOD_NOT_ALLOWED


@pytest.mark.django_db
def test_healthz_is_reserved_so_no_page_can_take_its_address():
    page = Page(title="Health", slug="healthz", summary="s", body="b")
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean()
    assert excinfo.value.error_dict["slug"][0].code == "reserved_slug"


@pytest.mark.django_db
def test_healthz_stays_on_plain_http_when_visitors_are_sent_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == HTTPStatus.OK
    assert client.get("/").status_code == HTTPStatus.MOVED_PERMANENTLY


def gunicorn_config(**env):
    result = subprocess.run(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "--print-config"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "SECRET_KEY": "x", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    lines = (line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in lines}


def test_gunicorn_defaults_to_two_workers_per_core_plus_one_on_localhost():
    config = gunicorn_config()
    assert config["workers"] == str(2 * os.cpu_count() + 1)
    assert config["bind"] == "['127.0.0.1:8000']"
    assert config["wsgi_app"] == "ketamine_site.wsgi:application"
    assert "%(D)s" in config["access_log_format"]  # request time in microseconds


def test_gunicorn_takes_workers_and_address_from_the_environment():
    config = gunicorn_config(WEB_CONCURRENCY="3", BIND="0.0.0.0:9000")
    assert config["workers"] == "3"
    assert config["bind"] == "['0.0.0.0:9000']"


CONCURRENT_WRITES = """
import json, sys, threading
import django
django.setup()
from django.core.management import call_command
from django.db import connection, transaction
from pages.models import Page

call_command("migrate", verbosity=0)
errors = []

def writer(n):
    try:
        for i in range(15):
            # Read, then write, in one transaction: the pattern that deadlocks
            # SQLite's deferred transactions into "database is locked".
            with transaction.atomic():
                Page.objects.filter(slug__startswith="w").count()
                Page.objects.create(title="t", slug=f"w{n}-{i}", summary="s", body="b")
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connection.close()

threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
for t in threads: t.start()
for t in threads: t.join()
print(json.dumps({"errors": errors, "count": Page.objects.count(),
                  "journal": connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]}))
"""


def test_concurrent_writes_on_a_sqlite_file_all_succeed_in_wal_mode(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "SECRET_KEY": "x",
        "DJANGO_SETTINGS_MODULE": "ketamine_site.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", CONCURRENT_WRITES],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome == {"errors": [], "count": 8 * 15, "journal": "wal"}


@pytest.mark.parametrize("variable", ["CACHE_URL", "REDIS_URL"])
def test_a_redis_url_selects_the_redis_cache_that_turns_an_outage_into_misses(variable):
    snippet = (
        "import json; from django.conf import settings; "
        "print(json.dumps({k: [v['BACKEND'], v['LOCATION'], v['OPTIONS']] "
        "for k, v in settings.CACHES.items()}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", snippet],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "ketamine_site.settings",
            "SECRET_KEY": "x",
            variable: "redis://127.0.0.1:6379/3",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    caches = json.loads(result.stdout)
    backend, location, options = caches["default"]
    assert backend == "ketamine_site.redis_cache.FailFastRedisCache"  # on django-redis
    assert location == "redis://127.0.0.1:6379/3"
    assert options["FAIL_SOFT"] is True
    assert options["SOCKET_CONNECT_TIMEOUT"] <= 1
    # The rate limit's alias sees errors, to count in the database instead.
    assert caches["ratelimit"][1] == location
    assert "FAIL_SOFT" not in caches["ratelimit"][2]
