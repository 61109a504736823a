"""Faults and bad input during a post: the visitor keeps their words, and sees no 500."""

import re
import socket
import threading
from http import HTTPStatus
from urllib.parse import urlencode

import pytest
from django.db import OperationalError
from django_tasks_db.models import DBTaskResult

from feedback import services, views
from feedback.models import Feedback
from tests.feedback_tests.conftest import form_data

pytestmark = pytest.mark.django_db

URGENT = "Some days I want to die. The dosing section is unclear."


def section_of(response):
    html = response.content.decode()
    start = html.index('<section id="feedback"')
    return html[start : html.index("</section>", start)]


def test_an_invalid_urgent_post_shows_the_crisis_resources_first_and_keeps_the_text(
    client, page, submit_url
):
    response = client.post(submit_url, form_data(page, name="", comments=URGENT))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    section = section_of(response)
    assert section.index('class="crisis-box"') < section.index('class="error-summary"')
    assert "This field is required" in section
    assert URGENT in section
    # Not stored until it is sent again with a name: see the README, "Care first".
    assert not Feedback.objects.exists()


def test_an_invalid_ordinary_post_gets_no_crisis_box(client, page, submit_url):
    response = client.post(submit_url, form_data(page, name=""))
    assert "crisis-box" not in section_of(response)


def test_a_refused_cross_site_urgent_post_shows_the_crisis_resources_too(page, submit_url, client):
    response = client.post(
        submit_url, form_data(page, comments=URGENT), headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert 'class="crisis-box"' in section_of(response)


def test_a_rate_limited_urgent_post_shows_the_crisis_resources_first(
    client, page, submit_url, settings
):
    settings.FEEDBACK_RATE_LIMIT = 0
    response = client.post(submit_url, form_data(page, comments=URGENT))
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    html = response.content.decode()
    assert html.index('class="crisis-box"') < html.index("<h1>Please try again later")


def database_away(*args, **kwargs):
    raise OperationalError("could not connect to server: Connection refused")


def test_the_database_away_during_a_post_gives_503_with_the_text_and_stores_nothing(
    client, page, submit_url, monkeypatch, settings
):
    settings.FEEDBACK_NOTIFY_EMAILS = ["team@network.example"]

    def queue_then_fail(feedback):
        real_queue(feedback)
        assert DBTaskResult.objects.count() == 1  # the job was queued, then the database went
        database_away()

    real_queue = services.queue_notifications
    monkeypatch.setattr(services, "queue_notifications", queue_then_fail)
    response = client.post(submit_url, form_data(page))
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    html = response.content.decode()
    assert "database was unavailable" in html
    assert re.search(r"<textarea[^>]*readonly>The cost section should mention", html)
    assert "no-store" in response["Cache-Control"]
    # Nothing half-stored: the feedback and its job went together.
    assert not Feedback.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_an_unexpected_error_during_a_post_gives_500_with_the_text(
    client, page, submit_url, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views, "store_submission", broken)
    response = client.post(submit_url, form_data(page, comments=URGENT))
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    html = response.content.decode()
    assert URGENT in html
    assert html.index('class="crisis-box"') < html.index("<h1>")
    assert any(r.levelname == "ERROR" and r.exc_info for r in caplog.records)


def test_a_post_too_large_to_read_gives_413_with_as_much_text_as_could_be_read(
    client, page, submit_url, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    words = "The cost table needs a column for insurance. " * 100
    body = urlencode(form_data(page, comments=words))  # as a browser sends a form
    response = client.post(submit_url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    html = response.content.decode()
    assert "too large for us to read" in html
    assert "The cost table needs a column for insurance. The cost table" in html
    assert not Feedback.objects.exists()


def test_a_form_body_that_cannot_be_parsed_gives_400_not_500(client, page, submit_url):
    # A multipart field whose name is longer than Django will read in a part's headers.
    response = client.post(submit_url, {"\U00010000" * 245: ""})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "could not be read as a form" in response.content.decode()
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("name", ["Sam\u202eyaK", "Sam\u2066Kay\u2069"])
def test_text_direction_characters_in_a_name_are_refused_with_a_message(
    client, page, submit_url, name
):
    response = client.post(submit_url, form_data(page, name=name))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "invisible text-direction characters" in section_of(response)
    assert not Feedback.objects.exists()


def test_zero_width_spaces_are_dropped_from_names_and_joiners_kept(client, page, submit_url):
    client.post(submit_url, form_data(page, name="Sam\u200b Kay\ufeff", username="مهر\u200cناز"))
    feedback = Feedback.objects.get()
    assert feedback.name == "Sam Kay"
    assert feedback.username == "مهر\u200cناز"  # Persian needs the zero-width non-joiner


class SilentSmtpServer:
    """A mail server that accepts connections and never answers; counts who came."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections = []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections.append(conn)  # held open, never a greeting

    def close(self):
        self.sock.close()
        for conn in self.connections:
            conn.close()


def test_a_hanging_mail_server_is_never_contacted_during_the_visitors_request(
    client, page, submit_url, settings
):
    server = SilentSmtpServer()
    try:
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 1},
            }
        }
        settings.FEEDBACK_NOTIFY_EMAILS = ["team@network.example"]
        settings.FEEDBACK_URGENT_EMAILS = ["on-call@network.example"]
        response = client.post(submit_url, form_data(page, comments=URGENT))
        assert response.status_code == HTTPStatus.FOUND
        assert server.connections == []  # the answer came without a word to the mail server
        assert DBTaskResult.objects.count() == 1  # the worker's job, waiting
    finally:
        server.close()
