"""deploy/varnish.vcl in front of two app servers on PostgreSQL and Redis, as deployed.

Runs in the PostgreSQL pass of `make test` with the two-server test. Without Varnish
(Debian's `varnish` package) it is skipped on a developer's machine and fails in CI.
"""

import shutil
import signal
import subprocess
import time
from datetime import timedelta
from http import HTTPStatus
from http.client import HTTPConnection
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import Permission
from django.utils import timezone

from bench.run import varnish_parameters  # the -p parameters production runs varnishd with
from feedback.models import Feedback
from pages.models import Page
from tests.conftest import make_page
from tests.servers import ROOT, free_port, unavailable, wait_for
from tests.test_multiserver import Visitor, form_on, redis_cache, servers  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.multiserver, pytest.mark.django_db(transaction=True)]

VARNISH_PORT = free_port()
NGINX_PORT = free_port()
# The purge ACL holds 127.0.0.1, where the app servers are; this is another loopback.
ELSEWHERE = "127.0.0.2"


@pytest.fixture
def server_env():
    return {"FRONTEND_CACHE_URLS": f"http://127.0.0.1:{VARNISH_PORT}"}


@pytest.fixture
def varnish(servers, tmp_path):  # noqa: F811
    """varnishd with deploy/varnish.vcl, its backends pointed at the two app servers."""
    binary = shutil.which("varnishd") or "/usr/sbin/varnishd"
    if not Path(binary).exists():
        unavailable("Varnish is not installed (apt-get install varnish)")
    vcl = (ROOT / "deploy" / "varnish.vcl").read_text()
    first, second = servers
    vcl = vcl.replace('"8001"', f'"{first}"').replace('"8002"', f'"{second}"')
    (tmp_path / "site.vcl").write_text(vcl)
    log = open(tmp_path / "varnish.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [
            binary,
            "-F",  # in the foreground, stopped with the test
            "-j",
            "none",  # no separate user: the test's own temporary folder
            "-n",
            str(tmp_path / "varnish"),
            "-a",
            f"127.0.0.1:{VARNISH_PORT}",
            "-T",
            "127.0.0.1:0",
            "-f",
            str(tmp_path / "site.vcl"),
            "-s",
            "malloc,64m",
            *varnish_parameters(),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(VARNISH_PORT, process)
        wait_until_healthy(tmp_path)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)


def wait_until_healthy(tmp_path, seconds=10):
    """Until the probes have found both app servers up (pages are then kept in grace
    only briefly, as in normal running)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if get("/healthz").status == HTTPStatus.OK:
            return
        time.sleep(0.2)


class Response:
    def __init__(self, response):
        self.status = response.status
        self.headers = response.headers
        self.text = response.read().decode()


def get(path, *, method="GET", source=None, headers=None):
    """One request to Varnish, from ``source`` (another loopback address) if given."""
    conn = HTTPConnection(
        "127.0.0.1",
        VARNISH_PORT,
        timeout=20,
        source_address=(source, 0) if source else None,
    )
    try:
        conn.request(method, path, headers=headers or {})
        return Response(conn.getresponse())
    finally:
        conn.close()


def served_by_cache(path, **kwargs):
    response = get(path, **kwargs)
    assert response.status == HTTPStatus.OK, (path, response.status)
    return response.headers["X-Cache"] == "HIT", response


def sign_in_editor(django_user_model):
    """An editor signed in through Varnish (the admin passes through)."""
    editor = django_user_model.objects.create_user("editor", is_staff=True)
    editor.password = PBKDF2PasswordHasher().encode("pw", "varnishsalt", iterations=1000)
    editor.save()
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_page", "change_page"])
    )
    browser = Visitor()
    login = form_on(browser.get(VARNISH_PORT, "/admin/login/"), id="login-form")
    fields = {**login["fields"], "username": "editor", "password": "pw"}
    assert browser.request(VARNISH_PORT, "POST", "/admin/login/", fields)[0] == HTTPStatus.FOUND
    return browser


def edit(browser, page, **changes):
    change_url = f"/admin/pages/page/{page.pk}/change/"
    change = form_on(browser.get(VARNISH_PORT, change_url), id="page_form")
    fields = {**change["fields"], **changes, "_save": "Save"}
    assert browser.request(VARNISH_PORT, "POST", change_url, fields)[0] == HTTPStatus.FOUND


def test_a_saved_change_is_visible_through_varnish_at_once_and_only_its_page_is_purged(
    varnish, django_user_model, without_sign_off
):
    page = make_page("Cost", parent=make_page("Learn"))
    make_page("Risks", parent=page.parent)
    for path in ("/learn/cost/", "/learn/risks/"):
        get(path)
        assert served_by_cache(path)[0], path
    browser = sign_in_editor(django_user_model)

    edit(browser, page, body="Prices have changed this year.")
    hit, response = served_by_cache("/learn/cost/")
    assert not hit and "Prices have changed this year." in response.text
    assert served_by_cache("/learn/risks/")[0]  # untouched by a change to another page

    edit(browser, page, title="What it costs")  # in the menu of every page
    for path in ("/learn/cost/", "/learn/risks/"):
        hit, response = served_by_cache(path)
        assert not hit and ">What it costs<" in response.text, path


@pytest.mark.parametrize("server_env", [{"PAGE_CACHE_SECONDS": "1"}])
def test_cached_pages_are_served_while_every_app_server_is_stopped(varnish, servers):  # noqa: F811
    make_page("Cost", parent=make_page("Learn"))
    assert "<h1>Cost</h1>" in get("/learn/cost/").text
    for process in servers.values():
        process.send_signal(signal.SIGTERM)
    for process in servers.values():
        process.wait(timeout=40)
    time.sleep(3)  # past the page's s-maxage, and the probes have seen both servers gone
    response = get("/learn/cost/")
    assert response.status == HTTPStatus.OK
    assert "<h1>Cost</h1>" in response.text
    assert int(response.headers["Age"]) >= 2  # a stale copy, from grace
    assert get("/learn/never-cached/").status == HTTPStatus.SERVICE_UNAVAILABLE


def test_posts_and_the_admin_pass_through_uncached(varnish, servers, tmp_path):  # noqa: F811
    page = make_page("Cost", parent=make_page("Learn"))
    for n in range(2):
        visitor = Visitor(address=f"203.0.113.{n + 1}")
        assert visitor.send_feedback(VARNISH_PORT, "/learn/cost/", f"Note {n}") == HTTPStatus.FOUND
        # The thank-you comes back with its message: the visitor's own page, not a cached one.
        status, html = visitor.request(VARNISH_PORT, "GET", "/learn/cost/")
        assert status == HTTPStatus.OK and "Thank you" in html
    assert Feedback.objects.filter(page=page).count() == 2
    for _ in range(2):
        assert not served_by_cache("/admin/login/")[0]
    logs = app_server_logs(
        servers, tmp_path, until=lambda logs: logs.count("GET /admin/login/") >= 2
    )
    assert logs.count("POST /feedback/") == 2
    assert logs.count("GET /admin/login/") == 2


def app_server_logs(ports, tmp_path, *, until, seconds=5):
    """Both app servers' access logs, once ``until(logs)`` holds (a server writes its
    log line just after answering) or ``seconds`` have passed."""
    deadline = time.monotonic() + seconds
    while True:
        logs = "".join((tmp_path / f"gunicorn-{port}.log").read_text() for port in ports)
        if until(logs) or time.monotonic() > deadline:
            return logs
        time.sleep(0.1)


def test_no_visitor_ever_receives_a_staff_response(varnish, django_user_model):
    page = make_page("Cost", parent=make_page("Learn"))
    draft = make_page("Coming soon", parent=page.parent, status=Page.Status.DRAFT)
    browser = sign_in_editor(django_user_model)
    for path in ("/learn/cost/", draft.get_absolute_url()):
        status, _ = browser.request(VARNISH_PORT, "GET", path)
        assert status == HTTPStatus.OK, path  # the editor sees the draft's preview
    assert get(draft.get_absolute_url()).status == HTTPStatus.NOT_FOUND
    hit, response = served_by_cache("/learn/cost/")
    assert not hit  # the editor's view of it was not kept
    assert "public" in response.headers["Cache-Control"]


def test_purge_and_ban_are_refused_from_anywhere_but_the_app_servers(varnish):
    make_page("Cost", parent=make_page("Learn"))
    get("/learn/cost/")
    for method in ("PURGE", "BAN"):
        assert get("/learn/cost/", method=method, source=ELSEWHERE).status == HTTPStatus.FORBIDDEN
        # Nor through a proxy on the app servers' machine (nginx names the visitor).
        proxied = {"X-Forwarded-For": "198.51.100.9"}
        assert get("/learn/cost/", method=method, headers=proxied).status == HTTPStatus.FORBIDDEN
        assert served_by_cache("/learn/cost/")[0], method
    assert get("/learn/cost/", method="PURGE").status == HTTPStatus.OK
    assert not served_by_cache("/learn/cost/")[0]


def test_host_spellings_and_foreign_cookies_share_one_cached_page(varnish):
    make_page("Cost", parent=make_page("Learn"))
    get("/learn/cost/", headers={"Host": "localhost"})
    for headers in (
        {"Host": "LOCALHOST:8123"},
        {"Host": "LocalHost"},
        {"Host": "localhost", "Cookie": "_ga=GA1.2.3; csrftoken=abc"},
        {"Host": "localhost", "Cookie": "messages="},  # emptied once the message was shown
    ):
        hit, response = served_by_cache("/learn/cost/", headers=headers)
        assert hit, headers
        assert 'href="http://localhost/learn/cost/"' in response.text


@pytest.fixture
def nginx(varnish, tmp_path):
    """deploy/nginx.conf in front of Varnish, on a loopback port."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        unavailable("nginx is not installed (apt-get install nginx)")
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    site = site.replace("127.0.0.1:6081", f"127.0.0.1:{VARNISH_PORT}")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{NGINX_PORT};")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "daemon off;\nworker_processes 1;\nevents { worker_connections 256; }\n"
        f"http {{ access_log off; client_body_temp_path {tmp_path}/body; "
        f"proxy_temp_path {tmp_path}/proxy; include {tmp_path}/site.conf; }}\n"
    )
    process = subprocess.Popen(
        [binary, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(NGINX_PORT, process)
        yield process
    finally:
        process.send_signal(signal.SIGQUIT)
        process.wait(timeout=20)


def test_nginx_and_varnish_spread_visitors_over_both_servers_and_route_around_a_stopped_one(
    servers,  # noqa: F811
    nginx,
    tmp_path,
):
    learn = make_page("Learn")
    pages = [make_page(f"Article {n}", parent=learn) for n in range(16)]
    reader = Visitor()
    for page in pages[:10]:  # each a miss, so Varnish asks an app server
        assert f"<h1>{page.title}</h1>" in reader.get(NGINX_PORT, page.get_absolute_url())
    logs = {port: (tmp_path / f"gunicorn-{port}.log").read_text() for port in servers}
    assert all(log.count("GET /learn/article-") >= 3 for log in logs.values()), logs

    second = servers[list(servers)[1]]
    second.send_signal(signal.SIGTERM)
    second.wait(timeout=40)
    time.sleep(2.5)  # Varnish's probes notice within two tries a second apart
    for page in pages[10:]:
        assert f"<h1>{page.title}</h1>" in reader.get(NGINX_PORT, page.get_absolute_url())


def test_a_scheduled_page_reaches_the_menu_through_varnish_with_no_purge_when_its_time_comes(
    varnish,
):
    learn = make_page("Learn")
    make_page("Cost", parent=learn)
    publish_at = timezone.now() + timedelta(seconds=4)
    make_page("New study", parent=learn, publish_at=publish_at)
    get("/learn/cost/")
    hit, response = served_by_cache("/learn/cost/")
    assert hit and "New study" not in response.text
    assert int(response.headers["Cache-Control"].split("s-maxage=")[1].split(",")[0]) <= 4

    time.sleep(max(0, (publish_at - timezone.now()).total_seconds()) + 0.5)
    # The copy ran out at the publish time: the first visitor after it may still get the
    # old page while Varnish fetches the new one (grace), and nobody after that.
    deadline = time.monotonic() + 3
    while "New study" not in (text := get("/learn/cost/").text) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert ">New study<" in text


def test_varnish_keeps_nothing_that_names_a_visitor_in_its_log(varnish, tmp_path):
    visitor = {
        "X-Forwarded-For": "203.0.113.77",
        "Cookie": "_ga=GA1.visitor-cookie-5521",
        "User-Agent": "VisitorBrowser/4.2",
        "Referer": "https://search.example/?q=ketamine+near+me",
    }
    make_page("Logged", slug="logged")
    assert get("/logged/", headers=visitor).status == HTTPStatus.OK
    varnishlog = shutil.which("varnishlog") or "/usr/bin/varnishlog"
    log = subprocess.run(
        [varnishlog, "-d", "-n", str(tmp_path / "varnish")],
        capture_output=True,
        text=True,
        timeout=20,
        check=True,
    ).stdout
    assert "/logged/" in log  # the log is there, and says what was asked for
    for value in visitor.values():
        assert value not in log
