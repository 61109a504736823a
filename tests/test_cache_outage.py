"""A cache outage is not a site outage: with Redis down, pages come from the database,
feedback is stored and counted in the database, and /healthz says the cache is degraded."""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
from http import HTTPStatus

import pytest
from django.core.cache import caches
from django.urls import reverse
from redis.exceptions import RedisError

from feedback.models import Feedback, RateLimitCounter
from ketamine_site.redis_cache import FailFastRedisCache
from tests.conftest import make_page
from tests.feedback_tests.conftest import form_data
from tests.servers import ROOT, app_server_env, app_servers, free_port
from tests.test_multiserver import Visitor

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("RESILIENCE_REDIS_URL", "redis://127.0.0.1:6379/6")
TIMEOUTS = {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.5}


def use_redis(settings, location):
    """The caches settings.py makes of CACHE_URL=redis://..., at ``location``."""
    backend = "ketamine_site.redis_cache.FailFastRedisCache"
    settings.CACHES = {
        "default": {
            "BACKEND": backend,
            "LOCATION": location,
            "OPTIONS": {**TIMEOUTS, "FAIL_SOFT": True},
        },
        "ratelimit": {"BACKEND": backend, "LOCATION": location, "OPTIONS": TIMEOUTS},
    }
    settings.FEEDBACK_RATE_CACHE = "ratelimit"
    settings.FEEDBACK_RATE_LIMIT = 2
    settings.FEEDBACK_MIN_SECONDS = 0


@pytest.fixture
def redis_down(settings):
    use_redis(settings, f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there


@pytest.fixture
def redis_up(settings):
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).flushdb()
    except redis.RedisError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must have Redis at {REDIS_URL}: {exc}")
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    use_redis(settings, REDIS_URL)
    yield
    caches["default"].clear()


@pytest.fixture
def page(db):
    return make_page("Cost", parent=make_page("Learn"))


def send(client, page, comments="Please add a study."):
    data = form_data(page, comments=comments)
    url = reverse("feedback:submit", args=[page.pk])
    return client.post(url, data, REMOTE_ADDR="203.0.113.50")


def test_pages_are_served_from_the_database_while_redis_is_down(client, page, redis_down):
    for _ in range(2):  # a second view cannot come from a cache either
        response = client.get("/learn/cost/")
        assert response.status_code == HTTPStatus.OK
        assert "<h1>Cost</h1>" in response.content.decode()
    assert client.get("/").status_code in {HTTPStatus.OK, HTTPStatus.NOT_FOUND}
    assert client.get("/no/such/page/").status_code == HTTPStatus.NOT_FOUND


def test_an_editors_change_shows_at_once_while_redis_is_down(client, page, redis_down):
    assert "<h1>Cost</h1>" in client.get("/learn/cost/").content.decode()
    page.title = "What it costs"
    page.save()
    assert "<h1>What it costs</h1>" in client.get("/learn/cost/").content.decode()


def test_feedback_is_stored_and_the_limit_counted_in_the_database_while_redis_is_down(
    client, page, redis_down, caplog
):
    # Different words each time: the same words again would be a resend, stored once.
    assert send(client, page, "Please add a study.").status_code == HTTPStatus.FOUND
    assert send(client, page, "And the dose.").status_code == HTTPStatus.FOUND
    assert send(client, page, "And the cost.").status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert Feedback.objects.count() == 2
    assert RateLimitCounter.objects.get().count == 3
    fallbacks = [r for r in caplog.records if r.name == "feedback.ratelimit"]
    assert fallbacks and all(r.levelname == "WARNING" for r in fallbacks)
    assert "counting this feedback post in the database" in fallbacks[0].getMessage()
    assert "203.0.113.50" not in caplog.text  # the visitor's address is never logged


def test_healthz_says_the_cache_is_degraded_but_keeps_the_server_in_service(client, redis_down):
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "degraded"}


def test_with_redis_up_the_count_is_kept_in_redis_and_healthz_is_ok(client, page, redis_up):
    assert client.get("/healthz").json()["cache"] == "ok"
    assert send(client, page).status_code == HTTPStatus.FOUND
    assert send(client, page).status_code == HTTPStatus.FOUND
    assert send(client, page).status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert not RateLimitCounter.objects.exists()
    assert len(caches["ratelimit"].keys("feedback:rate:*")) == 1


MAKE_PAGES = """
import django
django.setup()
from tests.conftest import make_page
make_page("Cost", parent=make_page("Learn"))
"""


@pytest.fixture
def gunicorn_with_redis_down(tmp_path):
    """The production settings under gunicorn, with CACHE_URL where no Redis listens."""
    database = tmp_path / "db.sqlite3"
    env = app_server_env(
        DATABASE_URL=f"sqlite:///{database}",
        CACHE_URL=f"redis://127.0.0.1:{free_port()}/0",
        FEEDBACK_RATE_LIMIT="2",
        FEEDBACK_MIN_SECONDS="0",
    )
    for command in (["manage.py", "migrate", "-v0"], ["-c", MAKE_PAGES]):
        subprocess.run([sys.executable, *command], cwd=ROOT, env=env, check=True)
    with app_servers(env, tmp_path, count=1) as processes:
        (port,) = processes
        yield port, database


def test_gunicorn_with_redis_down_serves_pages_stores_feedback_and_says_degraded(
    gunicorn_with_redis_down,
):
    port, database = gunicorn_with_redis_down
    reader = Visitor()
    for path in ("/learn/", "/learn/cost/", "/learn/cost/"):
        assert "<h1>" in reader.get(port, path)
    visitor = Visitor()
    statuses = [visitor.send_feedback(port, "/learn/cost/", f"Note {n}") for n in range(3)]
    assert statuses == [HTTPStatus.FOUND, HTTPStatus.FOUND, HTTPStatus.TOO_MANY_REQUESTS]
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT COUNT(*) FROM feedback_feedback").fetchone() == (2,)
    status, body = reader.request(port, "GET", "/healthz")
    assert (status, json.loads(body)["cache"]) == (HTTPStatus.OK, "degraded")


def test_a_redis_outage_is_logged_once_not_once_per_cache_call(client, page, redis_down, caplog):
    for _ in range(3):
        client.get("/learn/cost/")
    reports = [r for r in caplog.records if r.name == "ketamine_site.cache"]
    assert [r.levelname for r in reports] == ["ERROR"]
    assert "Connection refused" in caplog.text


class HungRedis(threading.Thread):
    """A server that takes connections and never answers, as a hung Redis host does."""

    def __init__(self):
        super().__init__(daemon=True)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = []

    def run(self):
        while True:
            try:
                self.connections.append(self.listener.accept()[0])
            except OSError:  # closed
                return

    def close(self):
        self.listener.close()
        for conn in self.connections:
            conn.close()


@pytest.fixture
def hung_redis():
    server = HungRedis()
    server.start()
    yield server
    server.close()


def hung_cache(server, **options):
    return FailFastRedisCache(
        f"redis://127.0.0.1:{server.port}/0",
        {"OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2, **options}},
    )


def test_after_one_timeout_the_cache_skips_redis_instead_of_waiting_on_every_call(hung_redis):
    cache = hung_cache(hung_redis, FAIL_SOFT=True, RETRY_AFTER=60)
    assert [cache.get("k", "miss") for _ in range(10)] == ["miss"] * 10
    assert cache.set("k", "v") is False
    assert len(hung_redis.connections) == 1


def test_the_cache_tries_redis_again_once_the_retry_time_has_passed(hung_redis):
    cache = hung_cache(hung_redis, FAIL_SOFT=True, RETRY_AFTER=0)
    for _ in range(3):
        assert cache.get("k") is None
    assert len(hung_redis.connections) >= 3


def test_the_rate_limits_cache_raises_so_the_count_can_move_to_the_database(hung_redis):
    cache = hung_cache(hung_redis, RETRY_AFTER=60)
    for _ in range(2):  # a timeout, then at once
        with pytest.raises(RedisError):
            cache.incr("k")
    assert len(hung_redis.connections) == 1
