"""A cache outage is not a site outage: with Redis down, pages come from the database,
feedback is stored and counted in the database, and /healthz says the cache is degraded."""

import os
import socket
from http import HTTPStatus

import pytest
from django.core.cache import caches
from django.urls import reverse

from feedback.models import Feedback, RateLimitCounter
from tests.conftest import make_page
from tests.feedback_tests.conftest import form_data

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("RESILIENCE_REDIS_URL", "redis://127.0.0.1:6379/6")
TIMEOUTS = {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.5}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def use_redis(settings, location):
    """The caches settings.py makes of CACHE_URL=redis://..., at ``location``."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": location,
            "OPTIONS": {**TIMEOUTS, "IGNORE_EXCEPTIONS": True},
        },
        "ratelimit": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": location,
            "OPTIONS": TIMEOUTS,
        },
    }
    settings.FEEDBACK_RATE_CACHE = "ratelimit"
    settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    settings.DJANGO_REDIS_LOGGER = "ketamine_site.cache"
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


def send(client, page):
    data = form_data(page, comments="Please add a study.")
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
    assert send(client, page).status_code == HTTPStatus.FOUND
    assert send(client, page).status_code == HTTPStatus.FOUND
    assert send(client, page).status_code == HTTPStatus.TOO_MANY_REQUESTS
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
