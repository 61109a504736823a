"""Uploads on shared storage: a figure uploaded through one app server is served, from
the S3-compatible bucket, on the pages of another.

moto's standalone server stands in for the bucket (no S3 server installs from the
package registries here). Runs in the PostgreSQL pass, as tests/test_multiserver.py does.
"""

import io
import json
import re
import signal
import subprocess
import sys
import time
import uuid
from http import HTTPStatus
from http.client import HTTPConnection
from urllib.request import urlopen

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import Permission
from PIL import Image

from pages.models import Image as Picture
from tests.conftest import make_page
from tests.servers import app_server_env, app_servers, database_url, free_port, unavailable
from tests.test_multiserver import Visitor, form_on

pytestmark = [pytest.mark.multiserver, pytest.mark.django_db(transaction=True)]

BUCKET = "ketamine-media"
KEYS = {"AWS_ACCESS_KEY_ID": "moto-test-key", "AWS_SECRET_ACCESS_KEY": "moto-test-secret"}


@pytest.fixture
def bucket(tmp_path):
    """moto's S3 server on a free port, with a bucket whose objects anyone may read."""
    import boto3

    port = free_port()
    with open(tmp_path / "moto.log", "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urlopen(f"{endpoint}/moto-api/", timeout=1).close()  # noqa: S310
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    unavailable("moto's S3 server did not start (pip install moto[server])")
                time.sleep(0.2)
        s3 = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id=KEYS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=KEYS["AWS_SECRET_ACCESS_KEY"],
        )
        s3.create_bucket(Bucket=BUCKET)
        # What the README asks of a bucket for the site: public reads of its objects.
        public_read = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{BUCKET}/*",
                }
            ],
        }
        s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(public_read))
        yield endpoint
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)


@pytest.fixture
def servers(bucket, tmp_path):
    """Two gunicorns sharing PostgreSQL and the bucket, each with its own empty MEDIA_ROOT."""
    env = app_server_env(
        DATABASE_URL=database_url(),
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=bucket,
        AWS_S3_REGION_NAME="us-east-1",
        **KEYS,
    )
    media = [tmp_path / f"media-{n}" for n in (1, 2)]
    for folder in media:
        folder.mkdir()
    own_media = [{"MEDIA_ROOT": str(folder)} for folder in media]
    with app_servers(env, tmp_path, per_server_env=own_media) as processes:
        yield list(zip(processes, media, strict=True))


def multipart(fields, files):
    """A multipart/form-data body, as a browser sends a form with a file input."""
    boundary = uuid.uuid4().hex
    body = b""
    for name, value in fields.items():
        body += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        ).encode()
    for name, (filename, content, content_type) in files.items():
        body += (
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="{name}"; filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
        ).encode()
        body += content + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def pixels(content):
    with Image.open(io.BytesIO(content)) as image:
        return image.size, image.convert("RGB").tobytes()


def post_multipart(browser, port, url, fields, files):
    """Post a form with a file input, as the signed-in ``browser``; returns the response."""
    body, content_type = multipart(fields, files)
    conn = HTTPConnection("127.0.0.1", port, timeout=20)
    cookies = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
    conn.request("POST", url, body=body, headers={"Content-Type": content_type, "Cookie": cookies})
    response = conn.getresponse()
    text = response.read().decode()
    conn.close()
    return response.status, text


def test_a_figure_uploaded_through_one_server_is_shown_by_the_other_from_the_bucket(
    servers, bucket, django_user_model, without_sign_off
):
    (first, first_media), (second, second_media) = servers
    page = make_page("Cost", parent=make_page("Learn"))
    editor = django_user_model.objects.create_user("editor", is_staff=True)
    # Hashed as the servers' own settings can check it (the test settings use MD5).
    editor.password = PBKDF2PasswordHasher().encode("pw", "storagesalt", iterations=1000)
    editor.save()
    editor.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_page", "change_page", "view_image", "add_image"]
        )
    )

    browser = Visitor()
    login = form_on(browser.get(first, "/admin/login/"), id="login-form")
    fields = {**login["fields"], "username": "editor", "password": "pw"}
    assert browser.request(first, "POST", "/admin/login/", fields)[0] == HTTPStatus.FOUND
    # The figure goes into the picture library, then the page shows it.
    add_url = "/admin/pages/image/add/"
    add = form_on(browser.get(first, add_url), id="image_form")
    fields = {**add["fields"], "alt_text": "A red bar", "_save": "Save"}
    figure = png()
    status, text = post_multipart(
        browser, first, add_url, fields, {"file": ("red-bar.png", figure, "image/png")}
    )
    assert status == HTTPStatus.FOUND, text[-2000:]
    uploaded = Picture.objects.get(alt_text="A red bar")
    change_url = f"/admin/pages/page/{page.pk}/change/"
    change = form_on(browser.get(first, change_url), id="page_form")
    fields = {**change["fields"], "figure": str(uploaded.pk), "_save": "Save"}
    assert browser.request(first, "POST", change_url, fields)[0] == HTTPStatus.FOUND

    html = Visitor().get(second, "/learn/cost/")
    src = re.search(r'<img src="([^"]+)"[^>]*alt="A red bar"', html).group(1)
    assert src.startswith(f"{bucket}/{BUCKET}/renditions/")
    # The stored files are re-encoded (their metadata removed), so compare what they show.
    for url in (src, f"{bucket}/{BUCKET}/{uploaded.file.name}"):
        with urlopen(url, timeout=10) as image:  # noqa: S310 (a loopback address of the test's own)
            assert pixels(image.read()) == pixels(figure), url
    # Nothing was written to either server's own disk.
    assert not any(first_media.rglob("*")) and not any(second_media.rglob("*"))
    # The page allows its browser to load pictures from the bucket.
    conn = HTTPConnection("127.0.0.1", second, timeout=20)
    conn.request("GET", "/learn/cost/")
    csp = conn.getresponse().getheader("Content-Security-Policy")
    assert re.search(rf"img-src [^;]*{re.escape(bucket)}", csp)
