import re
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.views import THANKS
from pages.models import Page, SiteSettings
from pages.tree import LAST_CRISIS_LINE_KEY
from pages.views import server_error
from tests.conftest import make_page
from tests.feedback_tests.conftest import form_data

pytestmark = pytest.mark.django_db

DEFAULT_TEXT = "In crisis or thinking about suicide? In the US, call or text 988"


@pytest.fixture
def crisis_page(db):
    return make_page("If You Are in Crisis", slug="crisis-resources", show_in_menu=False)


@pytest.fixture
def site_settings(crisis_page):
    settings = SiteSettings.load()
    settings.crisis_page = crisis_page
    settings.save()
    return settings


def band(response):
    """The crisis band at the top of the page, or None."""
    html = response.content.decode()
    match = re.search(r'<aside class="crisis-line".*?</aside>', html, re.S)
    return match.group(0) if match else None


def feedback_section(response):
    html = response.content.decode()
    start = html.index('<section id="feedback"')
    return html[start : html.index("</section>", start)]


def public_responses(client, page):
    """One response for every kind of public page visitors can reach."""
    home = make_page("Welcome", is_home=True)
    submit_url = reverse("feedback:submit", args=[page.pk])
    responses = {
        "home": client.get(home.get_absolute_url()),
        "learn page": client.get(page.get_absolute_url()),
        "404": client.get("/no/such/page/"),
        "search results": client.get(reverse("pages:search"), {"q": "cost"}),
        "feedback error": client.post(submit_url, form_data(page, name="")),
        "confirmation": client.post(submit_url, form_data(page), follow=True),
        # Staff sign-in keeps Django's token CSRF; its failure page is a public one.
        "csrf failure": Client(enforce_csrf_checks=True).post(reverse("admin:login"), {}),
        "cross-site refusal": Client().post(
            submit_url, form_data(page), headers={"Sec-Fetch-Site": "cross-site"}
        ),
    }
    for _ in range(10):  # past the rate limit
        response = client.post(submit_url, form_data(page))
        if response.status_code == HTTPStatus.TOO_MANY_REQUESTS:
            break
    responses["429"] = response
    return responses


def test_every_public_page_shows_the_crisis_line_linking_to_the_crisis_page(
    client, site_settings, published_page
):
    responses = public_responses(client, published_page)
    expected = {
        "404": HTTPStatus.NOT_FOUND,
        "feedback error": HTTPStatus.BAD_REQUEST,
        "429": HTTPStatus.TOO_MANY_REQUESTS,
        "cross-site refusal": HTTPStatus.FORBIDDEN,
        "csrf failure": HTTPStatus.FORBIDDEN,
    }
    for name, response in responses.items():
        assert response.status_code == expected.get(name, HTTPStatus.OK), name
        line = band(response)
        assert line is not None, name
        assert DEFAULT_TEXT in line, name
        assert '<a href="/crisis-resources/">More crisis resources</a>' in line, name


def test_the_feedback_form_and_its_thank_you_show_the_crisis_line_too(
    client, site_settings, published_page
):
    section = feedback_section(client.get(published_page.get_absolute_url()))
    note = re.search(r'<p class="crisis-note">.*?</p>', section, re.S).group(0)
    assert section.index("crisis-note") < section.index("<form")  # above the form
    assert "not read in real time" in note and DEFAULT_TEXT in note
    assert 'href="/crisis-resources/"' in note
    submit_url = reverse("feedback:submit", args=[published_page.pk])
    confirmation = feedback_section(client.post(submit_url, form_data(published_page), follow=True))
    assert THANKS in confirmation
    assert DEFAULT_TEXT in confirmation


def test_switched_off_the_crisis_line_appears_nowhere(client, site_settings, published_page):
    site_settings.show_crisis_line = False
    site_settings.save()
    for name, response in public_responses(client, published_page).items():
        html = response.content.decode()
        assert "crisis-line" not in html, name
        assert "crisis-note" not in html, name
        assert DEFAULT_TEXT not in html, name


def test_the_crisis_line_comes_right_after_the_skip_link_and_before_the_menu(
    client, site_settings, published_page
):
    html = client.get(published_page.get_absolute_url()).content.decode()
    links = re.findall(r'<a [^>]*href="([^"]+)"', html)
    assert links[:2] == ["#main", "/crisis-resources/"]
    assert html.index('class="crisis-line"') < html.index('id="main-menu"')
    assert "<script" not in band(client.get(published_page.get_absolute_url()))


def test_the_link_is_left_out_while_the_crisis_page_is_hidden(
    client, site_settings, crisis_page, published_page
):
    crisis_page.status = Page.Status.DRAFT
    crisis_page.save()
    line = band(client.get(published_page.get_absolute_url()))
    assert DEFAULT_TEXT in line
    assert "<a " not in line


def test_an_editor_changes_the_wording_in_the_admin_and_it_is_live_at_once(
    client, editor_client, site_settings, crisis_page, published_page
):
    client.get(published_page.get_absolute_url())  # the old wording is now cached
    change_url = reverse("admin:pages_sitesettings_change", args=[site_settings.pk])
    assert editor_client.get(change_url).status_code == HTTPStatus.OK
    response = editor_client.post(
        change_url,
        {
            "show_crisis_line": "on",
            "crisis_text": "Struggling right now? Call or text 988 <any time>.",
            "crisis_link_text": "Where to get help",
            "crisis_page": crisis_page.pk,
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    line = band(client.get(published_page.get_absolute_url()))
    assert "Struggling right now? Call or text 988 &lt;any time&gt;." in line
    assert ">Where to get help</a>" in line


def test_a_change_saved_on_another_app_server_is_seen_without_being_told(
    client, site_settings, published_page
):
    client.get(published_page.get_absolute_url())
    # Another server writes the row; nothing on this one is invalidated.
    SiteSettings.objects.update(crisis_text="Call or text 988.", updated_at=timezone.now())
    assert "Call or text 988." in band(client.get(published_page.get_absolute_url()))


def test_the_admin_refuses_a_hidden_crisis_page(admin_client, site_settings, draft_page):
    response = admin_client.post(
        reverse("admin:pages_sitesettings_change", args=[site_settings.pk]),
        {
            "show_crisis_line": "on",
            "crisis_text": "Call 988.",
            "crisis_link_text": "Help",
            "crisis_page": draft_page.pk,
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "Visitors cannot see this page" in response.content.decode()
    assert SiteSettings.load().crisis_page_id != draft_page.pk


def test_there_is_one_settings_row_which_cannot_be_added_twice_or_deleted(
    admin_client, site_settings
):
    assert admin_client.get(reverse("admin:pages_sitesettings_add")).status_code == 403
    delete_url = reverse("admin:pages_sitesettings_delete", args=[site_settings.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    # The list goes straight to the one row.
    response = admin_client.get(reverse("admin:pages_sitesettings_changelist"))
    assert response["Location"] == reverse(
        "admin:pages_sitesettings_change", args=[site_settings.pk]
    )
    # A second row cannot exist: saving another instance writes the same row.
    SiteSettings(crisis_text="Another").save()
    assert SiteSettings.objects.count() == 1
    assert SiteSettings.objects.get().crisis_text == "Another"


def test_editors_may_change_the_settings_but_not_add_or_delete_them(editor):
    assert editor.has_perm("pages.change_sitesettings")
    assert editor.has_perm("pages.view_sitesettings")
    assert not editor.has_perm("pages.add_sitesettings")
    assert not editor.has_perm("pages.delete_sitesettings")


def test_the_migration_made_the_settings_row_with_the_calm_default_wording():
    settings = SiteSettings.objects.get()
    assert settings.show_crisis_line is True
    assert settings.crisis_text.startswith(DEFAULT_TEXT)
    assert settings.crisis_link_text == "More crisis resources"


def test_starter_content_links_the_crisis_line_to_its_crisis_page_and_keeps_an_editors_choice(
    client,
):
    call_command("load_starter_content", stdout=None)
    settings = SiteSettings.load()
    assert settings.crisis_page.path == "crisis-resources"
    assert 'href="/crisis-resources/">More crisis resources' in client.get("/").content.decode()
    settings.crisis_page = None  # an editor decides on the text alone
    settings.save()
    call_command("load_starter_content", stdout=None)
    assert SiteSettings.load().crisis_page is None


def test_a_cached_anonymous_page_view_with_the_form_costs_at_most_three_queries(
    client, django_assert_max_num_queries
):
    call_command("load_starter_content", stdout=None)
    url = "/learn/cost/"
    client.get(url)  # the tree (with the crisis line) is now cached
    with django_assert_max_num_queries(3):
        response = client.get(url)
    assert band(response) is not None
    assert 'name="revision"' in feedback_section(response)
    # Warm, the site stamp is all it takes: the page comes from the page cache.
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert len(queries) == 1


def test_the_error_page_shows_the_last_crisis_line_without_touching_the_database(
    rf, client, site_settings, published_page
):
    client.get(published_page.get_absolute_url())  # builds and remembers the line
    request = rf.get("/")
    with CaptureQueriesContext(connection) as queries:
        response = server_error(request)
    assert len(queries) == 0
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert '<a href="/crisis-resources/">More crisis resources</a>' in band(response)
    cache.delete(LAST_CRISIS_LINE_KEY)
    assert DEFAULT_TEXT in band(server_error(request))  # nothing cached: the defaults
