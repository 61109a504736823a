import re
from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from feedback.models import Feedback
from feedback.views import THANKS
from tests.conftest import make_page
from tests.feedback_tests.conftest import form_data

pytestmark = pytest.mark.django_db


def section_of(response):
    html = response.content.decode()
    start = html.index('<section id="feedback"')
    return html[start : html.index("</section>", start)]


def test_valid_post_is_stored_once_and_redirects_back_to_the_form(client, page, submit_url):
    data = form_data(page, name="  Sam Kay  ", comments="  Line one.\r\nLine two.\t(tab)  ")
    response = client.post(submit_url, data)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/learn/cost/#feedback"
    feedback = Feedback.objects.get()
    assert feedback.page == page
    assert feedback.name == "Sam Kay"
    assert feedback.comments == "Line one.\r\nLine two.\t(tab)"
    assert (feedback.username, feedback.email) == ("sam_k", "sam@example.com")
    assert feedback.status == Feedback.Status.NEW
    assert (feedback.page_title, feedback.page_path) == ("Cost", "/learn/cost/")


def test_thank_you_is_shown_inside_the_form_section_after_the_redirect(client, page, submit_url):
    response = client.post(submit_url, form_data(page), follow=True)
    assert response.redirect_chain == [("/learn/cost/#feedback", HTTPStatus.FOUND)]
    section = section_of(response)
    assert THANKS in section
    assert 'role="status"' in section
    # The message is shown once, then gone.
    assert THANKS not in client.get(page.get_absolute_url()).content.decode()


def test_optional_fields_may_be_left_empty(client, page, submit_url):
    response = client.post(submit_url, form_data(page, username="", email=""))
    assert response.status_code == HTTPStatus.FOUND
    assert Feedback.objects.get().email == ""


def test_missing_name_is_answered_400_with_the_input_kept_and_the_error_by_the_field(
    client, page, submit_url
):
    response = client.post(submit_url, form_data(page, name="   "))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Feedback.objects.exists()
    section = section_of(response)
    assert "sliding-scale clinics" in section  # the comments came back
    assert 'value="sam@example.com"' in section
    name_input = re.search(r'<input[^>]*name="name"[^>]*>', section).group(0)
    assert 'aria-invalid="true"' in name_input
    assert 'aria-describedby="id_name_error"' in name_input
    assert re.search(
        r'id="id_name_error" class="invalid-feedback">\s*<p[^>]*><strong>This field is required',
        section,
    )
    summary = re.search(r'<div class="error-summary" role="alert".*?</div>', section, re.S).group(0)
    assert '<a href="#id_name">Your name: This field is required.</a>' in summary


def test_error_page_is_the_whole_page_in_the_site_layout(client, page, submit_url):
    response = client.post(submit_url, form_data(page, name=""))
    html = response.content.decode()
    assert "<h1>Cost</h1>" in html
    assert 'id="main-menu"' in html
    assert 'aria-current="page">Cost</a>' in html  # breadcrumbs


def test_bad_email_is_answered_400_with_the_input_kept(client, page, submit_url):
    response = client.post(submit_url, form_data(page, email="sam at example"))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    section = section_of(response)
    assert 'value="sam at example"' in section
    assert '<a href="#id_email">Your email: Enter a valid email address.</a>' in section
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(("field", "limit"), [("username", 150), ("name", 100), ("comments", 5000)])
def test_over_long_field_is_answered_400_and_the_text_is_kept_whole(
    client, page, submit_url, field, limit
):
    too_long = "x" * limit + "END"
    response = client.post(submit_url, form_data(page, **{field: too_long}))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert too_long in section_of(response)
    assert f"Ensure this value has at most {limit:,}".replace(",", "") in section_of(
        response
    ).replace(",", "")
    assert not Feedback.objects.exists()


def test_exactly_the_longest_allowed_comments_are_accepted(client, page, submit_url):
    response = client.post(submit_url, form_data(page, comments="x" * 5000))
    assert response.status_code == HTTPStatus.FOUND
    assert len(Feedback.objects.get().comments) == 5000


def test_comments_box_does_not_silently_cut_a_long_paste(client, page):
    html = client.get(page.get_absolute_url()).content.decode()
    textarea = re.search(r"<textarea[^>]*>", html).group(0)
    assert "maxlength" not in textarea


@pytest.mark.parametrize("field", ["comments", "name", "username", "email"])
def test_nul_character_is_answered_400_with_the_input_kept(client, page, submit_url, field):
    response = client.post(submit_url, form_data(page, **{field: "abc\x00def"}))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Feedback.objects.exists()
    section = section_of(response)
    assert f'<a href="#id_{field}">' in section
    if field == "comments":
        assert "Null characters are not allowed" in section
        assert "abc\x00def" in section


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("comments", "bell\x07"),
        ("name", "Sam\nKay"),
        ("username", "esc\x1b[0m"),
        ("comments", "next\x85line"),
    ],
)
def test_other_control_characters_are_refused_with_a_clear_message(
    client, page, submit_url, field, value
):
    response = client.post(submit_url, form_data(page, **{field: value}))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Please remove the invisible control characters" in section_of(response)
    assert not Feedback.objects.exists()


def test_get_on_the_feedback_address_goes_to_the_page_form(client, page, submit_url):
    response = client.get(submit_url)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/learn/cost/#feedback"


def test_feedback_on_a_missing_or_draft_page_is_404(client, submit_url):
    draft = make_page("Draft", status="draft")
    assert client.post(f"/feedback/{draft.pk}/", form_data(draft)).status_code == 404
    assert client.post("/feedback/999999/", {}).status_code == 404
    assert not Feedback.objects.exists()


def test_feedback_on_a_page_hidden_by_its_parent_or_its_schedule_is_404_until_it_shows(client):
    hidden_parent = make_page("Hidden section", status="draft")
    child = make_page("Visible child", parent=hidden_parent)
    scheduled = make_page("Scheduled", publish_at=timezone.now() + timedelta(hours=1))
    for page in (child, scheduled):
        assert client.post(f"/feedback/{page.pk}/", form_data(page)).status_code == 404
    assert not Feedback.objects.exists()
    with time_machine.travel(timezone.now() + timedelta(hours=2), tick=False):
        assert client.post(f"/feedback/{scheduled.pk}/", form_data(scheduled)).status_code == 302
    assert Feedback.objects.get().page == scheduled


def test_an_editor_previewing_a_draft_may_send_feedback_on_it(editor_client):
    draft = make_page("Draft", status="draft")
    assert editor_client.post(f"/feedback/{draft.pk}/", form_data(draft)).status_code == 302
    assert Feedback.objects.get().page == draft


def test_a_post_from_another_site_is_refused_with_the_text_shown_back(page, submit_url):
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(
        submit_url,
        form_data(page),
        headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    section = section_of(response)
    assert "came from a page on another site" in section
    assert "sliding-scale clinics" in section  # the text, ready to send from here
    assert "<h1>Cost</h1>" in response.content.decode()  # the article itself
    assert "no-store" in response["Cache-Control"]
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Origin": "https://testserver"},  # our host, but another scheme
        {"Sec-Fetch-Site": "cross-site", "Origin": "http://testserver.evil.example"},
    ],
)
def test_other_cross_site_signs_are_refused(page, submit_url, headers):
    response = Client().post(submit_url, form_data(page), headers=headers)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"},
        {"Sec-Fetch-Site": "none"},
        {"Origin": "http://testserver"},  # an older browser without Sec-Fetch-Site
        {},  # not a browser: judged by the other guards
    ],
)
def test_a_post_from_this_site_needs_no_token_or_cookie(page, submit_url, headers):
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(submit_url, form_data(page), headers=headers)
    assert response.status_code == HTTPStatus.FOUND
    assert Feedback.objects.count() == 1


def test_a_trusted_origin_of_our_own_may_post(page, submit_url, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://www.network.example"]
    response = Client().post(
        submit_url,
        form_data(page),
        headers={"Sec-Fetch-Site": "same-site", "Origin": "https://www.network.example"},
    )
    assert response.status_code == HTTPStatus.FOUND


def test_the_page_carries_nothing_per_visitor(page):
    first, second = Client(), Client()
    one = first.get(page.get_absolute_url())
    two = second.get(page.get_absolute_url())
    assert one.content == two.content
    assert "csrfmiddlewaretoken" not in section_of(one)
    assert not one.cookies


def test_the_admin_still_requires_its_csrf_token(reviewer):
    staff = Client(enforce_csrf_checks=True)
    staff.force_login(reviewer)
    response = staff.post("/admin/logout/")
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_closed_page_refuses_posts_and_hands_the_comments_back(client, submit_url):
    closed = make_page("Closed", accepts_feedback=False)
    response = client.post(f"/feedback/{closed.pk}/", form_data(closed))
    assert response.status_code == HTTPStatus.FORBIDDEN
    section = section_of(response)
    assert "Feedback is closed for this page" in section
    assert "sliding-scale clinics" in section  # shown back to copy, in a read-only box
    assert re.search(r"<textarea[^>]*readonly", section)
    assert not Feedback.objects.exists()


def test_closing_feedback_on_a_page_refuses_the_very_next_post(client, page, submit_url):
    assert client.post(submit_url, form_data(page)).status_code == HTTPStatus.FOUND
    page.accepts_feedback = False
    page.save()
    response = client.post(submit_url, form_data(page, comments="One more thing."))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Feedback is closed for this page" in section_of(response)
    assert Feedback.objects.count() == 1


def test_feedback_after_a_page_is_renamed_names_the_new_title(client, page, submit_url):
    client.post(submit_url, form_data(page))
    page.title = "What it costs"
    page.save()
    client.post(submit_url, form_data(page, comments="One more thing."))
    titles = Feedback.objects.order_by("pk").values_list("page_title", flat=True)
    assert list(titles) == ["Cost", "What it costs"]


def test_page_deleted_later_keeps_its_feedback_with_its_title_and_address(client, page, submit_url):
    client.post(submit_url, form_data(page))
    page.delete()
    feedback = Feedback.objects.get()
    assert feedback.page is None
    assert (feedback.page_title, feedback.page_path) == ("Cost", "/learn/cost/")


def test_submitted_feedback_never_appears_on_public_pages(client, page, submit_url, editor_client):
    secret = "Secret-critique-7f3a"
    home = make_page("Introduction", is_home=True)
    client.post(submit_url, form_data(page, comments=secret, name="Private Person"))
    assert Feedback.objects.filter(comments=secret).exists()
    anonymous = Client()
    for url in [page.get_absolute_url(), "/learn/", home.get_absolute_url(), "/no/such/page/"]:
        html = anonymous.get(url).content.decode()
        assert secret not in html
        assert "Private Person" not in html
    assert secret not in editor_client.get(page.get_absolute_url()).content.decode()


# Guards against bots: the post is kept as spam with its reason, never mailed about,
# and the answer is exactly a person's success.


def assert_thanked_and_kept_as_spam(client, response, page, reason):
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{page.get_absolute_url()}#feedback"
    assert THANKS in section_of(client.get(response["Location"]))
    feedback = Feedback.objects.get()
    assert feedback.status == Feedback.Status.SPAM
    assert feedback.spam_reason == reason
    assert feedback.comments == "The cost section should mention sliding-scale clinics."


def test_filled_honeypot_is_kept_as_spam_with_its_reason(client, page, submit_url, settings):
    settings.FEEDBACK_NOTIFY_EMAILS = ["team@network.example"]
    response = client.post(submit_url, form_data(page, honeypot="http://spam.example"))
    assert_thanked_and_kept_as_spam(client, response, page, "honeypot filled")
    assert not DBTaskResult.objects.exists()  # nobody is told about spam


def test_bot_with_honeypot_and_invalid_fields_gets_the_same_errors_as_a_person(
    client, page, submit_url
):
    as_bot = client.post(submit_url, form_data(page, honeypot="x", name="", email="bad"))
    as_person = client.post(submit_url, form_data(page, name="", email="bad"))
    assert as_bot.status_code == as_person.status_code == HTTPStatus.BAD_REQUEST
    # Only the trap's own value, sent back as it came, tells the two answers apart.
    assert section_of(as_bot).replace(' value="x"', "") == section_of(as_person)


def test_form_posted_implausibly_fast_is_kept_as_spam(client, page, submit_url, settings):
    assert settings.FEEDBACK_MIN_SECONDS == 2  # the real default
    response = client.post(submit_url, form_data(page, seconds_ago=0.4))
    assert_thanked_and_kept_as_spam(client, response, page, "sent 0.4 s after the page loaded")


def test_form_posted_after_a_few_seconds_is_a_person(client, page, submit_url):
    response = client.post(submit_url, form_data(page, seconds_ago=3))
    assert response.status_code == HTTPStatus.FOUND
    assert Feedback.objects.get().status == Feedback.Status.NEW


def test_without_javascript_the_time_is_not_measured_and_the_post_is_a_person(
    client, page, submit_url
):
    response = client.post(submit_url, form_data(page, seconds_ago=None))
    assert response.status_code == HTTPStatus.FOUND
    assert Feedback.objects.get().status == Feedback.Status.NEW


@pytest.mark.parametrize(
    "change",
    [{"revision": "not-a-number"}, {"revision": "999999"}, {"seconds_open": "soon"}],
)
def test_altered_hidden_fields_are_kept_as_spam(client, page, submit_url, change):
    response = client.post(submit_url, form_data(page, **change))
    assert_thanked_and_kept_as_spam(client, response, page, "hidden field altered")


def test_a_form_rendered_before_the_hidden_fields_existed_is_a_person(client, page, submit_url):
    data = form_data(page)
    del data["revision"], data["seconds_open"]
    client.post(submit_url, data)
    assert Feedback.objects.get().status == Feedback.Status.NEW


def test_every_reason_is_kept(client, page, submit_url):
    response = client.post(submit_url, form_data(page, honeypot="x", seconds_ago=0))
    reason = "honeypot filled; sent 0.0 s after the page loaded"
    assert_thanked_and_kept_as_spam(client, response, page, reason)


def test_the_form_carries_the_revision_field_and_an_empty_time_for_the_script(client, page):
    section = section_of(client.get(page.get_absolute_url()))
    assert '<input type="hidden" name="revision"' in section
    assert '<input type="hidden" name="seconds_open"' in section
    assert "js/feedback.js" in section
