import subprocess
import sys

import pytest

SNIPPET = (
    "import django, json; from django.conf import settings; "
    "print(json.dumps([settings.DEBUG, settings.DATABASES['default']['ENGINE'], "
    "settings.ALLOWED_HOSTS]))"
)


def load_settings(env):
    clean = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "ketamine_site.settings", **env}
    return subprocess.run(
        [sys.executable, "-c", SNIPPET], env=clean, capture_output=True, text=True, check=False
    )


def test_sqlite_is_the_default_and_debug_is_off():
    result = load_settings({"SECRET_KEY": "x"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        '[false, "django.db.backends.sqlite3", ["localhost", "127.0.0.1", "[::1]"]]'
    )


def test_database_url_and_allowed_hosts_come_from_the_environment():
    result = load_settings(
        {
            "SECRET_KEY": "x",
            "DATABASE_URL": "postgres://u:p@db.internal:5432/site",
            "ALLOWED_HOSTS": "example.org,www.example.org",
        }
    )
    assert result.stdout.strip() == (
        '[false, "django.db.backends.postgresql", ["example.org", "www.example.org"]]'
    )


def test_missing_secret_key_with_debug_off_refuses_to_start_with_a_clear_message():
    result = load_settings({})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize("value", ["1", "true", "on"])
def test_debug_on_allows_a_development_key(value):
    result = load_settings({"DEBUG": value})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("[true")
