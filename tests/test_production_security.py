"""Security configuration: deploy checks, HTTPS switches and the headers every response carries."""

import json
import os
import re
import secrets
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path

import pytest

from tests.conftest import make_page

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "ketamine_site.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def production_env(**overrides):
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "HTTPS": "1",
        "DEBUG": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        **overrides,
    }


def test_check_deploy_reports_nothing_with_the_production_environment():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production_env())
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_https_protections_are_left_off():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production_env(HTTPS="0"))
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr


SETTINGS_SNIPPET = (
    "import django, json; from django.conf import settings; print(json.dumps({name: "
    "getattr(settings, name, None) for name in ['SECURE_PROXY_SSL_HEADER', 'SECURE_SSL_REDIRECT',"
    " 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD',"
    " 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE']}))"
)


def https_settings(**env):
    result = subprocess.run(
        [sys.executable, "-c", SETTINGS_SNIPPET],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "ketamine_site.settings",
            "SECRET_KEY": "x",
            **env,
        },
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_https_switch_turns_on_proxy_header_redirect_hsts_and_secure_cookies():
    assert https_settings(HTTPS="1") == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
    }


def test_https_protections_are_off_by_default_and_each_can_be_switched_alone():
    assert https_settings() == {
        "SECURE_PROXY_SSL_HEADER": None,
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
    }
    only_preload_off = https_settings(HTTPS="1", SECURE_HSTS_PRELOAD="0", SECURE_HSTS_SECONDS="600")
    assert only_preload_off["SECURE_HSTS_PRELOAD"] is False
    assert only_preload_off["SECURE_HSTS_SECONDS"] == 600
    assert only_preload_off["SECURE_SSL_REDIRECT"] is True


def csp_directives(response):
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (directive.split() for directive in policy.split(";") if directive)
    }


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy_without_unsafe_inline(client):
    make_page("Home", is_home=True)
    response = client.get("/")
    assert response.status_code == HTTPStatus.OK
    assert csp_directives(response) == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # One exact stylesheet (the page editor's base rules) by its hash; no inline styles.
        "style-src": ["'self'", "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
    assert "unsafe" not in response["Content-Security-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/healthz", "/no/such/page/", "/admin/login/"])
def test_every_response_denies_sniffing_framing_referrers_and_browser_features(client, url):
    make_page("Home", is_home=True)
    response = client.get(url)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]
    assert "Content-Security-Policy" in response


@pytest.mark.django_db
def test_https_responses_behind_the_proxy_carry_hsts(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/healthz", headers={"x-forwarded-proto": "https"})
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


INLINE_CODE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.I)


def test_no_template_of_ours_needs_inline_script_style_or_event_handlers():
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in (ROOT / "templates").rglob("*.html")
        for match in INLINE_CODE.finditer(path.read_text())
    ]
    assert offenders == []
