from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from pages.management.commands.load_starter_content import starter_pages
from pages.models import Page
from pages.revisions import inline_diff
from tests.conftest import make_page, page_form_data

# These save through the admin as a publisher would: live at once, each save a revision.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_sign_off")]


def versions(page):
    return list(Version.objects.get_for_object(page).select_related("revision__user"))


def edit(client, page, **changes):
    """Save the page through the admin's change form, as an editor would."""
    page.refresh_from_db()
    response = client.post(
        reverse("admin:pages_page_change", args=[page.pk]), page_form_data(page, **changes)
    )
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
    page.refresh_from_db()
    return page


def test_each_admin_save_is_kept_as_a_revision_with_its_editor_and_what_changed(
    editor_client, editor
):
    page = make_page("Cost", body="Sessions cost a lot.")
    edit(editor_client, page, body="Sessions cost less now.")
    edit(editor_client, page, title="Cost of treatment")
    newest, older = versions(page)
    assert newest.revision.user == editor and older.revision.user == editor
    assert "Title" in newest.revision.get_comment()
    assert "Body" in older.revision.get_comment()
    assert older.field_dict["body"] == "Sessions cost less now."
    assert newest.revision.date_created >= older.revision.date_created


def test_history_page_lists_revisions_with_their_editor_and_a_compare_link(editor_client):
    page = edit(editor_client, make_page("Cost"), body="Changed once.")
    html = editor_client.get(reverse("admin:pages_page_history", args=[page.pk])).content.decode()
    compare_url = reverse("admin:pages_page_compare", args=[page.pk, versions(page)[0].pk])
    assert "editor" in html
    assert f'href="{compare_url}"' in html and "Compare with current" in html


def test_compare_shows_escaped_word_differences_of_title_summary_and_body(editor_client):
    page = edit(
        editor_client,
        make_page("Cost"),
        body="Ketamine <strong>sessions</strong> cost 400 dollars.",
        summary="What it costs.",
    )
    first = versions(page)[0]
    edit(
        editor_client,
        page,
        body="Ketamine <strong>sessions</strong> cost 300 dollars.",
        status="draft",
    )
    response = editor_client.get(reverse("admin:pages_page_compare", args=[page.pk, first.pk]))
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "<del>400</del><ins>300</ins>" in html
    # The body is compared as the words a reader reads: its markup is not shown as words,
    # and never applied either.
    assert "Ketamine sessions cost <del>400</del><ins>300</ins> dollars." in html
    assert "<strong>sessions" not in html and "&lt;strong&gt;" not in html
    # Other fields are listed with their old and new values.
    assert "Status" in html and "Published" in html and "Draft" in html
    assert "Revert to this revision" in html


def test_a_change_of_markup_alone_is_not_listed_as_a_change_of_words(editor_client):
    page = edit(editor_client, make_page("Cost"), body="<p>Sessions cost 400 dollars.</p>")
    first = versions(page)[0]
    edit(editor_client, page, body="<p>Sessions cost <strong>400</strong> dollars.</p>")
    html = editor_client.get(
        reverse("admin:pages_page_compare", args=[page.pk, first.pk])
    ).content.decode()
    assert "No differences" in html


def test_compare_says_so_when_nothing_differs(editor_client):
    page = edit(editor_client, make_page("Cost"), body="Same.")
    url = reverse("admin:pages_page_compare", args=[page.pk, versions(page)[0].pk])
    html = editor_client.get(url).content.decode()
    assert "No differences" in html and "Revert to this revision" not in html


def test_one_click_revert_restores_the_page_and_is_recorded_as_a_new_revision(
    editor_client, client
):
    page = edit(
        editor_client, make_page("Cost"), body="<h2>Prices</h2><p>The <em>old</em> text.</p>"
    )
    first = versions(page)[0]
    edit(editor_client, page, body="The new text.", title="New title")
    response = editor_client.post(reverse("admin:pages_page_revert", args=[page.pk, first.pk]))
    assert response["Location"] == reverse("admin:pages_page_change", args=[page.pk])
    page.refresh_from_db()
    assert page.title == "Cost" and page.body == "<h2>Prices</h2><p>The <em>old</em> text.</p>"
    assert "<em>old</em>" in page.body_html  # re-rendered by Page.save
    latest = versions(page)
    assert len(latest) == 3
    assert latest[0].revision.get_comment().startswith("Reverted to the revision of")
    assert b"<em>old</em>" in client.get("/cost/").content


def test_revert_that_would_clash_is_refused_with_a_clear_message(editor_client):
    learn = make_page("Learn")
    page = edit(editor_client, make_page("Cost", parent=learn), body="Text.")
    first = versions(page)[0]
    edit(editor_client, page, slug="price")
    make_page("Another cost page", slug="cost", parent=learn)
    response = editor_client.post(
        reverse("admin:pages_page_revert", args=[page.pk, first.pk]), follow=True
    )
    assert "Could not revert" in response.content.decode()
    assert "already uses the slug" in response.content.decode()
    page.refresh_from_db()
    assert page.slug == "price"


def test_reversions_own_revert_form_goes_through_page_save(editor_client, client):
    learn = edit(editor_client, make_page("Learn"), body="<p><em>Learn</em> here.</p>")
    make_page("Cost", parent=learn)
    first = versions(learn)[0]
    edit(editor_client, learn, slug="topics", body="Changed.")
    url = reverse("admin:pages_page_revision", args=[learn.pk, first.pk])

    form = editor_client.get(url)
    assert form.status_code == HTTPStatus.OK
    assert 'value="learn"' in form.content.decode()  # the revision fills the form
    learn.refresh_from_db()
    assert learn.slug == "topics"  # looking at it changes nothing

    learn.slug, learn.body = "learn", "<p><em>Learn</em> here.</p>"
    response = editor_client.post(url, page_form_data(learn))
    assert response.status_code == HTTPStatus.FOUND
    learn.refresh_from_db()
    assert learn.path == "learn" and "<em>Learn</em>" in learn.body_html
    assert Page.objects.get(title="Cost").path == "learn/cost"  # descendants follow
    assert client.get("/topics/cost/")["Location"] == "/learn/cost/"
    assert versions(learn)[0].revision.get_comment().startswith("Reverted to the revision of")


def test_loading_the_starter_content_starts_each_pages_history():
    call_command("load_starter_content", verbosity=0)
    page = Page.objects.get(path=starter_pages()[1].path)
    (version,) = versions(page)
    assert version.revision.get_comment() == "Loaded from the starter content."
    assert Version.objects.get_for_model(Page).count() == len(starter_pages())


def test_staff_without_page_permission_cannot_compare_or_revert(client, django_user_model):
    page = make_page("Cost")
    client.force_login(django_user_model.objects.create_user("clerk", is_staff=True))
    editor = django_user_model.objects.create_superuser("boss", password="pw")
    boss = client.__class__()
    boss.force_login(editor)
    edit(boss, page, body="Changed.")
    version = versions(page)[0]
    compare = reverse("admin:pages_page_compare", args=[page.pk, version.pk])
    revert = reverse("admin:pages_page_revert", args=[page.pk, version.pk])
    assert client.get(compare).status_code == HTTPStatus.FORBIDDEN
    assert client.post(revert).status_code == HTTPStatus.FORBIDDEN


def test_long_unchanged_stretches_are_shortened_around_a_change():
    before = " ".join(f"word{i}" for i in range(200))
    after = before.replace("word100", "changed")
    html = inline_diff(before, after, context_words=10)
    assert "<del>word100</del><ins>changed</ins>" in html
    assert "word0 " not in html and "word199" not in html and "[…]" in html
    assert "word95" in html and "word105" in html


def test_a_deleted_page_can_be_recovered_from_its_last_revision(editor_client, client):
    page = edit(editor_client, make_page("Cost"), body="<p>Worth <em>keeping</em>.</p>")
    version = versions(page)[0]
    editor_client.post(reverse("admin:pages_page_delete", args=[page.pk]), {"post": "yes"})
    assert not Page.objects.exists()
    recover = reverse("admin:pages_page_recover", args=[version.pk])
    assert editor_client.get(recover).status_code == HTTPStatus.OK
    assert not Page.objects.exists()  # looking changes nothing
    response = editor_client.post(recover, page_form_data(page))
    assert response.status_code == HTTPStatus.FOUND
    restored = Page.objects.get()
    assert restored.path == "cost" and "<em>keeping</em>" in restored.body_html
    assert b"<em>keeping</em>" in client.get("/cost/").content
