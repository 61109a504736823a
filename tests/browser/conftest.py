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
def browser():
    """One headless Chromium for the whole run; each test gets fresh contexts."""
    # Between its calls, Playwright's sync API marks its event loop as running in this
    # thread. Django then takes the thread for async code, and (1) refuses ORM calls
    # from the tests ("you cannot call this from an async context") and (2) keeps
    # database connections per async context: the tests would get new connections,
    # without the test database's saved state (serialized rollback) and apart from the
    # one the live server shares. Nothing here is really async (the loop only drives
    # the browser), so the guard is lifted and Django is handed the connections it had.
    wrappers = {alias: connections[alias] for alias in connections}
    guard = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            for alias, wrapper in wrappers.items():
                connections[alias] = wrapper
            browser = launch_chromium(playwright)
            yield browser
            browser.close()
    finally:
        if guard is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = guard


@pytest.fixture
def new_page(browser):
    """Open a page in a fresh context (its own cookies); desktop 1280x800 unless told."""
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
def site(live_server, django_db_serialized_rollback, settings):
    """The live server with the sixteen starter pages.

    live_server needs a transactional database, which is emptied after each test;
    the serialized rollback restores what the migrations made (the groups and their
    permissions, the urgent phrases) before each test.
    """
    # A post within FEEDBACK_MIN_SECONDS of the page load is filed as spam, and a
    # script fills the form faster than that. The live server runs in
    # this process, so the override reaches it; the guard itself is tested elsewhere.
    settings.FEEDBACK_MIN_SECONDS = 0
    call_command("load_starter_content", stdout=io.StringIO())
    return Site(live_server.url)


def make_staff(django_user_model, username, group):
    """A staff account in ``group``, with a real password to type in."""
    user = django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(site, django_user_model):
    return make_staff(django_user_model, "edith", "Editors")


@pytest.fixture
def reviewer(site, django_user_model):
    return make_staff(django_user_model, "rafael", "Feedback reviewers")


def log_in(page, site, user):
    """Sign in through the admin's own login form, as a person would."""
    page.goto(site.url("/admin/login/"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
