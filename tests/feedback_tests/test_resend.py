"""The same submission sent again (double click, refresh, resend) is stored once."""

import threading
from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from feedback.models import Feedback
from feedback.services import submit_feedback
from feedback.views import THANKS
from tests.feedback_tests.conftest import form_data


@pytest.mark.django_db
def test_the_same_post_sent_twice_is_stored_once_and_thanked_twice(
    client, page, submit_url, settings
):
    settings.FEEDBACK_NOTIFY_EMAILS = ["team@network.example"]
    first = client.post(submit_url, form_data(page), follow=True)
    again = client.post(submit_url, form_data(page), follow=True)
    assert THANKS in first.content.decode()
    assert THANKS in again.content.decode()
    assert Feedback.objects.count() == 1
    assert DBTaskResult.objects.count() == 1  # and the team is told once


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change", [{"comments": "Other words."}, {"name": "Another Person"}, {"email": ""}]
)
def test_different_words_or_people_are_never_merged(client, page, submit_url, change):
    client.post(submit_url, form_data(page))
    client.post(submit_url, form_data(page, **change))
    assert Feedback.objects.count() == 2


@pytest.mark.django_db
def test_the_same_words_on_another_page_are_another_submission(client, page, submit_url):
    from tests.conftest import make_page

    other = make_page("Dosing")
    client.post(submit_url, form_data(page))
    client.post(f"/feedback/{other.pk}/", form_data(other))
    assert Feedback.objects.count() == 2


@pytest.mark.django_db
def test_a_resend_of_urgent_feedback_gets_the_crisis_resources_again(client, page, submit_url):
    data = form_data(page, comments="Some days I want to die.")
    client.post(submit_url, data)
    response = client.post(submit_url, data, follow=True)
    assert 'class="crisis-box"' in response.content.decode()
    assert Feedback.objects.count() == 1


@pytest.mark.django_db
def test_the_same_words_a_day_later_are_stored_again(page):
    data = {"name": "Sam", "comments": "Still out of date."}
    assert submit_feedback(page=page, data=data).created
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        later = submit_feedback(page=page, data=data)
    assert later.created
    assert Feedback.objects.count() == 2
    assert Feedback.objects.filter(submission_digest__isnull=False).count() == 1


@pytest.mark.django_db
def test_the_digest_names_nothing_the_visitor_wrote(page):
    feedback = submit_feedback(page=page, data={"name": "Sam", "comments": "Hi."}).feedback
    assert len(feedback.submission_digest) == 64
    assert "Sam" not in feedback.submission_digest


@pytest.mark.django_db(transaction=True)
def test_two_identical_posts_at_the_same_moment_store_one_row(page):
    """Two requests in two threads (two database connections) racing on one submission."""
    data = form_data(page, comments="Sent twice by a double click.")
    barrier = threading.Barrier(2)
    statuses = []

    def post():
        try:
            barrier.wait()
            statuses.append(Client().post(f"/feedback/{page.pk}/", data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [HTTPStatus.FOUND, HTTPStatus.FOUND]
    assert Feedback.objects.filter(comments="Sent twice by a double click.").count() == 1
