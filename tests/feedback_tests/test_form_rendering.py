import re
from http import HTTPStatus

import pytest

from tests.conftest import make_page

pytestmark = pytest.mark.django_db


def feedback_section(response):
    html = response.content.decode()
    start = html.index('<section id="feedback"')
    return html[start : html.index("</section>", start)]


def test_page_that_accepts_feedback_ends_with_the_four_fields_in_order(client, page):
    section = feedback_section(client.get(page.get_absolute_url()))
    names = re.findall(r'<(?:input|textarea)[^>]*name="(\w+)"', section)
    four = ["username", "name", "email", "comments"]
    assert [name for name in names if name in four] == four
    assert names.index("comments") < names.index("honeypot")  # the trap comes after them
    assert f'action="/feedback/{page.pk}/#feedback"' in section
    assert 'method="post"' in section


def test_each_label_is_tied_to_its_input(client, page):
    section = feedback_section(client.get(page.get_absolute_url()))
    for field, label in [
        ("username", "Your username"),
        ("name", "Your name"),
        ("email", "Your email"),
        ("comments", "Your comments about this page"),
    ]:
        assert re.search(rf'<label\s+for="id_{field}"[^>]*>\s*{label}', section), field
        assert f'id="id_{field}"' in section
    assert 'type="email" name="email"' in section
    assert re.search(r'<textarea name="comments"[^>]*\brequired\b', section)


def test_form_says_comments_are_private_and_offers_the_feedback_address(client, page, settings):
    settings.FEEDBACK_EMAIL = "critique@network.example"
    section = feedback_section(client.get(page.get_absolute_url()))
    assert "Your comments are private" in section
    assert 'href="mailto:critique@network.example"' in section
    assert section.index("Your comments are private") < section.index("<form")


def test_form_carries_no_token_only_the_pages_newest_revision(client, page):
    import reversion
    from reversion.models import Version

    with reversion.create_revision():
        page.save()
    newest = Version.objects.get_for_object(page).first()
    section = feedback_section(client.get(page.get_absolute_url()))
    assert "csrfmiddlewaretoken" not in section
    assert "timestamp" not in section
    assert f'<input type="hidden" name="revision" value="{newest.pk}"' in section


def test_honeypot_is_hidden_from_people_keyboards_and_screen_readers(client, page):
    section = feedback_section(client.get(page.get_absolute_url()))
    wrapper = re.search(
        r'<div class="feedback-hp" aria-hidden="true">(.*?)</div>\s*</div>', section, re.S
    )
    assert wrapper, "the honeypot sits in a hidden wrapper"
    assert "Leave this field empty" in wrapper.group(1)
    assert re.search(r'name="honeypot" tabindex="-1" autocomplete="off"', wrapper.group(1))


def test_page_has_no_inline_styles_or_scripts(client, page):
    html = client.get(page.get_absolute_url()).content.decode()
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_page_that_does_not_accept_feedback_says_it_is_closed_instead_of_the_form(client):
    closed = make_page("Closed", accepts_feedback=False)
    response = client.get(closed.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    section = feedback_section(response)
    assert "Feedback is closed for this page" in section
    assert "<form" not in section
    assert 'name="comments"' not in section


def test_home_page_has_the_form_too(client):
    home = make_page("Introduction", is_home=True)
    section = feedback_section(client.get("/"))
    assert f'action="/feedback/{home.pk}/#feedback"' in section
