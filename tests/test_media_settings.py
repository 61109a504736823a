"""Where uploads are kept and who serves them, from the environment."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SNIPPET = """
import json
import django
django.setup()
from django.conf import settings
from django.core.files.storage import storages
from django.urls import Resolver404, resolve

try:
    served = resolve("/media/figures/a.png").url_name == "media"
except Resolver404:
    served = False
print(json.dumps({
    "storage": type(storages["default"]).__module__ + "." + type(storages["default"]).__name__,
    "url": storages["default"].url("figures/a.png"),
    "img_src": settings.SECURE_CSP["img-src"],
    "served_by_django": served,
}))
"""


def media_settings(**env):
    result = subprocess.run(
        [sys.executable, "-c", SNIPPET],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "ketamine_site.settings",
            "SECRET_KEY": "x",
            **env,
        },
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_production_keeps_uploads_on_local_disk_and_leaves_serving_them_to_nginx():
    found = media_settings()
    assert found["storage"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert found["url"] == "/media/figures/a.png"
    assert found["served_by_django"] is False


def test_development_serves_uploads_from_local_disk():
    assert media_settings(DEBUG="1")["served_by_django"] is True


def test_a_bucket_name_sends_uploads_to_s3_with_plain_public_addresses():
    found = media_settings(
        DEBUG="1",
        AWS_STORAGE_BUCKET_NAME="site-media",
        AWS_S3_ENDPOINT_URL="https://objects.example.net",
        AWS_ACCESS_KEY_ID="k",
        AWS_SECRET_ACCESS_KEY="s",  # noqa: S106
    )
    assert found["storage"] == "storages.backends.s3.S3Storage"
    assert found["url"] == "https://objects.example.net/site-media/figures/a.png"
    assert "https://objects.example.net" in found["img_src"]
    assert found["served_by_django"] is False


def test_a_custom_domain_in_front_of_the_bucket_is_what_pages_link_to():
    found = media_settings(
        AWS_STORAGE_BUCKET_NAME="site-media",
        AWS_S3_CUSTOM_DOMAIN="media.example.org",
        AWS_ACCESS_KEY_ID="k",
        AWS_SECRET_ACCESS_KEY="s",  # noqa: S106
    )
    assert found["url"] == "https://media.example.org/figures/a.png"
    assert "https://media.example.org" in found["img_src"]
