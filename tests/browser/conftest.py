"""Fixtures for the end-to-end tests: Debian Chromium driven by Playwright against
pytest-django's live server, with the starter pages loaded for every test."""

import io
import os
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import expect, sync_playwright

from .tools import DESKTOP, PHONE, launch_chromium

# Serve on the IPv4 loopback (pytest-django's default "localhost" may resolve to ::1).
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

expect.set_options(timeout=5_000)
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(scope="session")
def browser(django_db_setup):
    """One headless Chromium for the whole run; each test gets fresh contexts."""
    # Django keeps connections in thread-locals, except while an asyncio loop runs in
    # the thread, when it looks them up per context instead. Playwright's loop runs from
    # here on, so the test thread would get a second connection, one that lacks what
    # the test-database setup stored on the first (the serialized rollback data), and
    # would fight the live server's shared in-memory SQLite for table locks. Handing the
    # same connection objects back keeps one connection per database, as without a loop.
    originals = {alias: connections[alias] for alias in connections}
    # For the same reason Django refuses ORM calls from the test body ("you cannot call
    # this from an async context"). Nothing here is really async: the loop only drives
    # the browser, so the guard is lifted while the browser runs.
    guard = pytest.MonkeyPatch()
    guard.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        for alias, connection in originals.items():
            connections[alias] = connection
        browser = launch_chromium(playwright)
        yield browser
        browser.close()
    guard.undo()


@pytest.fixture
def new_page(browser):
    """Open a page in a fresh context (own cookies); desktop 1280x800 unless told."""
    contexts = []

    def open_page(**options):
        context = browser.new_context(**{**DESKTOP, **options})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def phone_page(new_page):
    return new_page(**PHONE)


@dataclass
class Site:
    """The live site under test."""

    base: str

    def url(self, path="/"):
        return f"{self.base}{path}"


@pytest.fixture
def site(live_server, django_db_serialized_rollback):
    """The live server with the sixteen starter pages.

    live_server needs a transactional database, which is emptied after each test;
    the serialized rollback restores what the migrations made (the Editors group and
    its permissions) before the next one.
    """
    call_command("load_starter_content", stdout=io.StringIO())
    return Site(live_server.url)


@pytest.fixture
def editor(site, django_user_model):
    """A member of the Editors group, with a real password to type in."""
    user = django_user_model.objects.create_user("edith", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def log_in(page, site, user):
    """Sign in through the admin's own login form, as a person would."""
    page.goto(site.url("/admin/login/"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
