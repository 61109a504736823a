"""Two app servers sharing PostgreSQL and Redis, as behind a load balancer.

Runs in the PostgreSQL pass of `make test`. Without PostgreSQL and Redis it is
skipped on a developer's machine and fails in CI (CI=true), where both must be there.
"""

import os
import re
import signal
import threading
import time
import uuid
from html.parser import HTMLParser
from http import HTTPStatus
from http.client import HTTPConnection
from urllib.parse import urlencode

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import Permission

from feedback.models import Feedback
from tests.conftest import make_page
from tests.servers import app_server_env, app_servers, database_url, unavailable

pytestmark = [pytest.mark.multiserver, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("MULTISERVER_REDIS_URL", "redis://127.0.0.1:6379/3")
RATE_LIMIT = 3


@pytest.fixture
def redis_cache():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.flushdb()  # this database number is the test's own
    except redis.RedisError as exc:
        unavailable(f"Redis does not answer at {REDIS_URL} ({exc})")
    yield REDIS_URL
    client.flushdb()


@pytest.fixture
def server_env():
    """Settings every app server gets on top of the ones below (other test modules add some)."""
    return {}


@pytest.fixture
def servers(redis_cache, tmp_path, server_env):
    """Two gunicorns with production settings on their own ports, one database and cache:
    {port: process}."""
    env = app_server_env(
        DATABASE_URL=database_url(),
        CACHE_URL=redis_cache,
        FEEDBACK_RATE_LIMIT=str(RATE_LIMIT),
        FEEDBACK_MIN_SECONDS="0",
        # Stands in for the proxy that says who the visitor is (deploy/nginx.conf).
        FEEDBACK_TRUST_X_FORWARDED_FOR="1",
        **server_env,
    )
    with app_servers(env, tmp_path) as processes:
        yield processes


class Forms(HTMLParser):
    """The fields of every form on a page, as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._textarea, self._select = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "option" and self._select and "selected" in attrs:
            self._form["fields"][self._select] = attrs.get("value") or ""
        elif tag == "form":
            self._form = {"attrs": attrs, "fields": {}}
            self.forms.append(self._form)
        elif self._form is None or not attrs.get("name"):
            return
        elif tag == "input" and attrs.get("type") not in {"submit", "file", "checkbox"}:
            self._form["fields"][attrs["name"]] = attrs.get("value") or ""
        elif tag == "input" and attrs.get("type") == "checkbox" and "checked" in attrs:
            self._form["fields"][attrs["name"]] = attrs.get("value") or "on"
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self._form["fields"][self._textarea] = ""
        elif tag == "select":
            self._select = attrs["name"]
            self._form["fields"].setdefault(self._select, "")

    def handle_data(self, data):
        if self._textarea:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def form_on(html, **attrs):
    parser = Forms()
    parser.feed(html)
    for form in parser.forms:
        if all(re.search(value, form["attrs"].get(key, "")) for key, value in attrs.items()):
            return form
    raise AssertionError(f"no form with {attrs}")


class Visitor:
    """One browser with its cookies, sending each request to the server it is told to."""

    def __init__(self, address="198.51.100.1"):
        self.cookies = {}
        self.address = address

    def request(self, port, method, path, fields=None):
        headers = {"X-Forwarded-For": self.address}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = HTTPConnection("127.0.0.1", port, timeout=20)
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";")[0]
            if "max-age=0" in cookie.lower() or "1970" in cookie:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        conn.close()
        return response.status, text

    def get(self, port, path):
        status, html = self.request(port, "GET", path)
        assert status == HTTPStatus.OK, (port, path, status)
        return html

    def send_feedback(self, port, path, comments):
        """Load the page from ``port``, fill in its feedback form, post it to ``port``."""
        form = form_on(self.get(port, path), **{"class": "feedback-form"})
        fields = {**form["fields"], "name": "Sam", "comments": comments}
        action = form["attrs"]["action"].split("#")[0]
        return self.request(port, "POST", action, fields)[0]


def test_the_feedback_rate_limit_holds_for_a_visitor_who_alternates_servers(servers):
    ports = list(servers)
    page = make_page("Cost", parent=make_page("Learn"))
    visitor = Visitor(address="203.0.113.7")
    statuses = [
        visitor.send_feedback(ports[i % 2], page.get_absolute_url(), f"Note {i}")
        for i in range(RATE_LIMIT + 2)
    ]
    assert statuses == [HTTPStatus.FOUND] * RATE_LIMIT + [HTTPStatus.TOO_MANY_REQUESTS] * 2
    assert Feedback.objects.count() == RATE_LIMIT
    # Another visitor is not held back by the first one's posts.
    assert Visitor("203.0.113.8").send_feedback(ports[1], "/learn/cost/", "Mine") == 302


def test_an_editors_change_through_one_server_is_served_by_both_at_once(
    servers, django_user_model, without_sign_off
):
    ports = list(servers)
    page = make_page("Cost", parent=make_page("Learn"))
    editor = django_user_model.objects.create_user("editor", is_staff=True)
    # Hashed as the servers' own settings can check it (the test settings use MD5).
    editor.password = PBKDF2PasswordHasher().encode("pw", "multiserversalt", iterations=1000)
    editor.save()
    # Transactional tests start from empty tables, so no Editors group: its permissions.
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_page", "change_page"])
    )
    reader = Visitor()
    for port in ports:  # both servers now have the page cached
        assert "<h1>Cost</h1>" in reader.get(port, "/learn/cost/")

    browser = Visitor()
    login = form_on(browser.get(ports[0], "/admin/login/"), id="login-form")
    fields = {**login["fields"], "username": "editor", "password": "pw"}
    assert browser.request(ports[0], "POST", "/admin/login/", fields)[0] == HTTPStatus.FOUND
    change_url = f"/admin/pages/page/{page.pk}/change/"
    change = form_on(browser.get(ports[0], change_url), id="page_form")
    fields = {**change["fields"], "title": "What it costs", "_save": "Save"}
    assert browser.request(ports[0], "POST", change_url, fields)[0] == HTTPStatus.FOUND

    for port in (ports[1], ports[0]):
        html = reader.get(port, "/learn/cost/")
        assert "<h1>What it costs</h1>" in html, port
        assert ">What it costs<" in html[html.index('id="main-menu"') :], port


def test_stopping_one_server_mid_load_loses_no_accepted_submission(servers):
    ports = list(servers)
    make_page("Cost", parent=make_page("Learn"))
    run = uuid.uuid4().hex[:8]
    accepted, lock, stop = [], threading.Lock(), threading.Event()

    def visitor(n):
        sent = 0
        while not stop.is_set():
            sent += 1
            marker = f"load {run} {n} {sent}"
            port = ports[sent % 2]
            # A new visitor each time (documentation addresses), so the rate limit stays out.
            address = f"2001:db8::{n:x}:{sent:x}"
            try:
                status = Visitor(address).send_feedback(port, "/learn/cost/", marker)
            except (OSError, AssertionError):
                continue  # that server is gone: the visitor tries again on the other
            if status == HTTPStatus.FOUND:
                with lock:
                    accepted.append((marker, port, time.monotonic()))

    threads = [threading.Thread(target=visitor, args=(n,)) for n in range(1, 7)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    stopped_at = time.monotonic()
    servers[ports[1]].send_signal(signal.SIGTERM)  # the way a deploy stops a server
    time.sleep(2.5)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)

    stored = list(
        Feedback.objects.filter(comments__startswith=f"load {run} ").values_list(
            "comments", flat=True
        )
    )
    markers = [marker for marker, _, _ in accepted]
    assert len(stored) == len(set(stored))  # nothing stored twice
    assert set(markers) <= set(stored)  # every accepted post was stored
    assert any(port == ports[1] and at < stopped_at for _, port, at in accepted)
    assert any(port == ports[0] and at > stopped_at + 0.5 for _, port, at in accepted)
    assert servers[ports[1]].wait(timeout=40) == 0  # it stopped cleanly
