"""Admin sign-in: a few wrong passwords pause signing in for that username from that
address, with a page that says until when and who can help (django-axes)."""

import logging
from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from axes.models import AccessAttempt, AccessLog
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("editor", password="right-password", is_staff=True)


def sign_in(password, *, username="editor", address="203.0.113.7", client=None, **extra):
    client = client or Client()
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        **extra,
    )


def fail(times, **kwargs):
    for _ in range(times):
        response = sign_in("wrong", **kwargs)
    return response


def is_signed_in(response):
    return response.status_code == HTTPStatus.FOUND and response["Location"] == "/admin/"


def test_right_password_signs_in_after_fewer_failures_than_the_limit(staff):
    fail(4)
    assert is_signed_in(sign_in("right-password"))


def test_after_five_failures_even_the_right_password_is_refused_with_the_lockout_page(staff):
    response = fail(5)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    response = sign_in("right-password")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    html = response.content.decode()
    assert "signing in is paused" in html
    assert "in 15 minutes" in html
    retry_at = timezone.localtime() + timedelta(minutes=15)
    assert (
        retry_at.strftime("%H:%M") in html
        or (retry_at - timedelta(minutes=1)).strftime("%H:%M") in html
    )
    assert "Ask the person who runs this site" in html
    assert 'id="site-name"' in html  # the admin's own look


def test_thirty_wrong_passwords_then_the_right_one_is_refused(staff):
    fail(30)
    assert not is_signed_in(sign_in("right-password"))


def test_lockout_holds_for_that_username_and_address_only(staff, django_user_model):
    django_user_model.objects.create_user("reviewer", password="other-right", is_staff=True)
    fail(5)
    assert is_signed_in(sign_in("right-password", address="198.51.100.1"))
    assert is_signed_in(sign_in("other-right", username="reviewer"))


def test_lockout_ends_after_the_cool_off_and_old_attempts_are_deleted(staff):
    fail(5)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert is_signed_in(sign_in("right-password"))
    assert not AccessAttempt.objects.exists()


def test_axes_reset_username_lifts_the_pause_at_once(staff):
    fail(5)
    call_command("axes_reset_username", "editor", stdout=None)
    assert is_signed_in(sign_in("right-password"))


def test_axes_reset_lifts_every_pause(staff):
    fail(5)
    call_command("axes_reset", stdout=None)
    assert is_signed_in(sign_in("right-password"))


def test_successful_sign_ins_leave_no_record_and_failures_keep_no_password(staff):
    sign_in("right-password")
    assert not AccessLog.objects.exists()
    fail(2)
    attempt = AccessAttempt.objects.get()
    assert "wrong" not in attempt.post_data
    assert "editor" not in attempt.post_data


def test_the_log_names_neither_the_address_nor_the_username(staff, caplog):
    with caplog.at_level(logging.DEBUG):
        fail(6)
    assert "203.0.113.7" not in caplog.text
    assert '"editor"' not in caplog.text


def test_behind_the_sites_proxy_each_visitor_address_counts_on_its_own(staff, settings):
    settings.FEEDBACK_TRUST_X_FORWARDED_FOR = True
    proxy = "10.0.0.1"
    fail(5, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert sign_in(
        "right-password", address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7"
    ).status_code == (HTTPStatus.TOO_MANY_REQUESTS)
    assert is_signed_in(
        sign_in("right-password", address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.1")
    )


def test_a_forwarded_address_that_is_not_an_ip_address_counts_as_the_proxy(staff, settings):
    settings.FEEDBACK_TRUST_X_FORWARDED_FOR = True
    response = fail(5, address="10.0.0.1", HTTP_X_FORWARDED_FOR="not-an-address")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert AccessAttempt.objects.get().ip_address == "10.0.0.1"


def test_test_client_login_works_when_given_a_request(client, staff):
    # Axes needs the request to count attempts; the test client's login() passes it on.
    assert client.login(request=HttpRequest(), username="editor", password="right-password")
    assert client.get("/admin/").status_code == HTTPStatus.OK


def test_wrong_passwords_for_a_username_too_long_to_exist_are_counted_too(staff):
    response = fail(5, username="x" * 300)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
