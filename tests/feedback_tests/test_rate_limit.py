import re
from http import HTTPStatus

import pytest
from django.core.cache import cache

from feedback import ratelimit
from feedback.models import Feedback
from tests.feedback_tests.conftest import form_data

pytestmark = pytest.mark.django_db


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
    cache.clear()  # what the expiry of the window does
    assert post(client, page, submit_url).status_code == HTTPStatus.FOUND


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


def test_the_cache_keeps_a_hash_not_the_address(rf):
    request = rf.post("/", REMOTE_ADDR="203.0.113.77")
    key = ratelimit.cache_key(request)
    assert "203.0.113.77" not in key
    assert key != ratelimit.cache_key(rf.post("/", REMOTE_ADDR="203.0.113.78"))


def test_the_count_expires_with_the_window(rf, settings, monkeypatch):
    import time

    from django.core.cache.backends import locmem

    settings.FEEDBACK_RATE_WINDOW = 600
    request = rf.post("/", REMOTE_ADDR="203.0.113.9")
    for _ in range(2):
        assert ratelimit.allow(request)
    assert not ratelimit.allow(request)
    later = time.time() + 601
    monkeypatch.setattr(locmem.time, "time", lambda: later)
    assert ratelimit.allow(request)
