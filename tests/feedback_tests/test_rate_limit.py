import json
import os
import re
import subprocess
import sys
import time
from datetime import timedelta
from http import HTTPStatus
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from feedback import ratelimit
from feedback.models import Feedback, RateLimitCounter
from tests.feedback_tests.conftest import form_data

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _small_limit(settings):
    settings.FEEDBACK_RATE_LIMIT = 2
    settings.FEEDBACK_RATE_WINDOW = 600
    settings.FEEDBACK_EMAIL = "critique@network.example"


def post(client, page, url, **extra):
    # A different name each time: the same words sent again would be one submission.
    post.sent = getattr(post, "sent", 0) + 1
    data = form_data(page, comments="Please add the Oslo study.", name=f"Sam {post.sent}")
    return client.post(url, data, **extra)


def test_posts_over_the_limit_get_429_with_the_comments_back_and_another_way(
    client, page, submit_url
):
    assert post(client, page, submit_url).status_code == HTTPStatus.FOUND
    assert post(client, page, submit_url).status_code == HTTPStatus.FOUND
    response = post(client, page, submit_url)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert response["Retry-After"] == "600"
    html = response.content.decode()
    assert "Please try again later" in html
    assert "nothing from it has been kept" in html
    assert "about 10 minutes" in html
    assert 'href="mailto:critique@network.example"' in html
    assert re.search(r"<textarea[^>]*readonly>Please add the Oslo study.</textarea>", html)
    assert 'id="main-menu"' in html  # in the site's layout
    assert Feedback.objects.count() == 2


def test_other_clients_are_not_held_back_by_one_clients_limit(client, page, submit_url):
    for _ in range(3):
        post(client, page, submit_url, REMOTE_ADDR="203.0.113.5")
    response = post(client, page, submit_url, REMOTE_ADDR="203.0.113.6")
    assert response.status_code == HTTPStatus.FOUND


def test_the_limit_lifts_when_the_window_ends(client, page, submit_url):
    for _ in range(3):
        post(client, page, submit_url)
    with time_machine.travel(timezone.now() + timedelta(seconds=601)):
        assert post(client, page, submit_url).status_code == HTTPStatus.FOUND


def test_filling_the_page_cache_with_host_variants_never_resets_the_count(
    client, page, submit_url, settings
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 20},  # small, so a few requests make it evict
        }
    }
    for _ in range(2):
        post(client, page, submit_url)
    for port in range(1, 40):
        client.get(page.get_absolute_url(), HTTP_HOST=f"testserver:{port}")
    assert post(client, page, submit_url).status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_emptying_the_cache_never_resets_the_count(client, page, submit_url):
    for _ in range(2):
        post(client, page, submit_url)
    cache.clear()  # what a visitor filling the page cache with new entries comes to
    assert post(client, page, submit_url).status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_correcting_mistakes_does_not_use_up_the_limit(client, page, submit_url):
    for _ in range(5):
        response = client.post(submit_url, form_data(page, name=""))
        assert response.status_code == HTTPStatus.BAD_REQUEST
    assert post(client, page, submit_url).status_code == HTTPStatus.FOUND


def test_forwarded_for_header_is_ignored_unless_the_proxy_is_trusted(client, page, submit_url):
    for n in range(3):
        response = post(client, page, submit_url, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_trusted_proxy_uses_the_address_it_appended(client, page, submit_url, settings):
    settings.FEEDBACK_TRUST_X_FORWARDED_FOR = True
    # The client can put anything first; our proxy appends the real address last.
    for n in range(3):
        response = post(client, page, submit_url, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 198.51.100.7")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    other = post(client, page, submit_url, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert other.status_code == HTTPStatus.FOUND


def test_the_count_is_kept_under_a_hash_not_the_address(rf):
    request = rf.post("/", REMOTE_ADDR="203.0.113.77")
    assert ratelimit.allow(request)
    stored = list(RateLimitCounter.objects.values_list("key_digest", flat=True))
    assert stored == [ratelimit.client_digest(request)]
    assert "203.0.113.77" not in ratelimit.cache_key(request)
    assert "203.0.113.77" not in stored[0]
    assert stored[0] != ratelimit.client_digest(rf.post("/", REMOTE_ADDR="203.0.113.78"))


def test_the_count_expires_with_the_window_and_ended_windows_are_deleted(rf):
    request = rf.post("/", REMOTE_ADDR="203.0.113.9")
    for _ in range(2):
        assert ratelimit.allow(request)
    assert not ratelimit.allow(request)
    with time_machine.travel(timezone.now() + timedelta(seconds=601)):
        assert ratelimit.allow(rf.post("/", REMOTE_ADDR="203.0.113.10"))
        assert RateLimitCounter.objects.count() == 1  # the first client's row is gone
        assert ratelimit.allow(request)


COUNT_POSTS = """
import json, os, sys, time
import django
django.setup()
from django.test import RequestFactory
from feedback import ratelimit

while not os.path.exists(sys.argv[1]):  # all processes start counting together
    time.sleep(0.01)
request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.60")
print(json.dumps([ratelimit.allow(request) for _ in range(5)]))
"""


@pytest.mark.django_db(transaction=True)
def test_three_processes_counting_one_client_together_let_only_the_limit_through(tmp_path):
    from django.db import connection

    if connection.vendor == "postgresql":  # the test database, its rows committed
        db = connection.settings_dict
        database_url = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/"
            f"{db['NAME']}"
        )
    else:
        database_url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "ketamine_site.settings",
        "SECRET_KEY": "shared-by-every-worker",
        "DATABASE_URL": database_url,
        "FEEDBACK_RATE_LIMIT": "5",
    }
    if connection.vendor != "postgresql":
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
    go = tmp_path / "go"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", COUNT_POSTS, str(go)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    time.sleep(1)  # let each process load Django
    go.touch()
    answers = [json.loads(worker.communicate(timeout=60)[0]) for worker in workers]
    assert sum(answer.count(True) for answer in answers) == 5
