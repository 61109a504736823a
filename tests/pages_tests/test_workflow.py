"""The editing workflow: conflicts, unsaved work, drafts of live pages and sign-off."""

import json
import re
from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from pages import workflow
from pages.models import Page, PageReviewEvent, SiteSettings
from tests.conftest import make_page, page_form_data, run_due_jobs

pytestmark = pytest.mark.django_db


def staff(django_user_model, username, group=None, **fields):
    user = django_user_model.objects.create_user(
        username, password="pw", is_staff=True, email=f"{username}@example.org", **fields
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    browser = Client()
    browser.force_login(user)
    return browser


@pytest.fixture
def ann(django_user_model):
    return staff(django_user_model, "ann", "Editors", first_name="Ann", last_name="Lee")


@pytest.fixture
def bob(django_user_model):
    return staff(django_user_model, "bob", "Editors")


@pytest.fixture
def doctor(django_user_model):
    return staff(django_user_model, "doc", "Medical reviewers")


@pytest.fixture
def boss(django_user_model):
    user = django_user_model.objects.create_superuser("boss", password="pw")
    browser = Client()
    browser.force_login(user)
    return browser


def change_url(page):
    return reverse("admin:pages_page_change", args=[page.pk])


def open_form(browser, page):
    """Open the page's editor; return the form's POST data as the editor would send it."""
    response = browser.get(change_url(page))
    assert response.status_code == HTTPStatus.OK
    token = re.search(r'name="edit_base" value="([^"]+)"', response.content.decode())[1]
    page.refresh_from_db()
    shown = workflow.apply_draft(Page.objects.get(pk=page.pk))  # the form shows any draft
    return {**page_form_data(shown), "edit_base": token}


def visitor_html(page):
    return Client().get(page.get_absolute_url()).content.decode()


# --- No silent overwrite ---------------------------------------------------------------------


def test_second_conflicting_save_is_refused_with_text_kept_and_three_way_comparison(
    ann, bob, without_sign_off
):
    page = make_page("Cost", body="Sessions cost 400 dollars in most clinics.")
    ann_form, bob_form = open_form(ann, page), open_form(bob, page)
    ann_form["body"] = "Sessions cost 450 dollars in most clinics."
    assert ann.post(change_url(page), ann_form).status_code == HTTPStatus.FOUND

    bob_form["body"] = "Sessions cost 400 dollars in many clinics."
    response = bob.post(change_url(page), bob_form)
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    page.refresh_from_db()
    assert page.body == "Sessions cost 450 dollars in most clinics."  # nothing overwritten
    assert "Ann Lee (ann) saved this at" in html and "after you opened it" in html
    assert "Sessions cost 400 dollars in many clinics.</textarea>" in html  # Bob's text kept
    assert "<del>400</del><ins>450</ins>" in html  # their version
    assert "<del>most</del><ins>many</ins>" in html  # Bob's version
    assert "You started from" in html

    # Having seen Ann's version, Bob merges and saves again: it goes through.
    token = re.search(r'name="edit_base" value="([^"]+)"', html)[1]
    merged = {**bob_form, "edit_base": token, "body": "Sessions cost 450 dollars in many clinics."}
    assert bob.post(change_url(page), merged).status_code == HTTPStatus.FOUND
    page.refresh_from_db()
    assert page.body == "Sessions cost 450 dollars in many clinics."


def test_site_settings_save_over_a_newer_save_is_refused(ann, bob):
    url = reverse("admin:pages_sitesettings_change", args=[1])
    SiteSettings.load()

    def form(browser):
        html = browser.get(url).content.decode()
        token = re.search(r'name="edit_base" value="([^"]+)"', html)[1]
        return {"edit_base": token, "show_crisis_line": "on", "crisis_link_text": "Help now"}

    ann_form, bob_form = form(ann), form(bob)
    assert ann.post(url, {**ann_form, "crisis_text": "Call 988."}).status_code == HTTPStatus.FOUND
    response = bob.post(url, {**bob_form, "crisis_text": "Text 988."})
    assert response.status_code == HTTPStatus.OK
    assert "saved this at" in response.content.decode()
    assert SiteSettings.load().crisis_text == "Call 988."


def test_each_editor_sees_who_else_has_the_page_open(ann, bob):
    page = make_page("Cost")
    ann.get(change_url(page))
    html = bob.get(change_url(page)).content.decode()
    assert "Also editing this page now: Ann Lee (ann)" in html
    answer = ann.post(reverse("admin:pages_page_autosave", args=[page.pk])).json()
    assert answer["others"] == ["bob"]


# --- Nothing lost by leaving -----------------------------------------------------------------


def autosave(browser, page, **data):
    url = (
        reverse("admin:pages_page_autosave", args=[page.pk])
        if page
        else reverse("admin:pages_page_autosave_add")
    )
    return browser.post(url, {"data": json.dumps(data)})


def test_unsaved_typing_is_kept_and_offered_back_without_changing_the_page(ann, client):
    page = make_page("Cost", body="Old text.")
    assert autosave(ann, page, body="Half-written new text").status_code == HTTPStatus.OK
    page.refresh_from_db()
    assert page.body == "Old text."
    assert "Half-written" not in visitor_html(page)
    html = ann.get(change_url(page)).content.decode()
    assert "Restore your unsaved changes from" in html
    restored = ann.get(change_url(page) + "?restore=1").content.decode()
    assert "Half-written new text</textarea>" in restored


def test_autosave_answers_403_when_signed_out_and_keeps_nothing(client, ann):
    page = make_page("Cost")
    assert autosave(client, page, body="x").status_code == HTTPStatus.FORBIDDEN
    assert autosave(ann, page, body="x").status_code == HTTPStatus.OK
    # After signing in again the same editor gets the text back.
    ann.logout()
    assert autosave(ann, page, body="later").status_code == HTTPStatus.FORBIDDEN


def test_unsaved_work_is_private_to_its_editor(ann, bob):
    page = make_page("Cost")
    autosave(ann, page, body="Ann's unsaved words")
    assert "Restore your unsaved changes" not in bob.get(change_url(page)).content.decode()
    restored = bob.get(change_url(page) + "?restore=1").content.decode()
    assert "Ann's unsaved words" not in restored


def test_a_successful_save_ends_the_kept_work(ann, without_sign_off):
    page = make_page("Cost")
    autosave(ann, page, body="Draft words")
    form = open_form(ann, page)
    assert ann.post(change_url(page), {**form, "body": "Saved"}).status_code == HTTPStatus.FOUND
    assert "Restore your unsaved changes" not in ann.get(change_url(page)).content.decode()


def test_unsaved_text_of_a_page_deleted_meanwhile_is_offered_as_a_new_draft_page(ann, boss):
    page = make_page("Cost")
    autosave(ann, page, title="Cost", body="Words typed before it went")
    page.delete()
    add = reverse("admin:pages_page_add")
    html = ann.get(add).content.decode()
    assert "Restore it as a new draft page" in html
    row = re.search(r'href="\?restore=(\d+)"', html)[1]
    restored = ann.get(f"{add}?restore={row}").content.decode()
    assert "Words typed before it went</textarea>" in restored


def test_saving_a_page_someone_deleted_brings_the_text_back_as_a_new_page(ann):
    page = make_page("Cost")
    form = open_form(ann, page)
    page.delete()
    response = ann.post(change_url(page), {**form, "body": "My careful paragraph."}, follow=True)
    html = response.content.decode()
    assert "Someone deleted this page while you were editing it" in html
    assert "My careful paragraph.</textarea>" in html


# --- Drafts of live pages --------------------------------------------------------------------


def test_a_draft_of_a_live_page_stays_invisible_until_published(boss):
    page = make_page("Cost", body="Live words.")
    versions_before = Version.objects.get_for_object(page).count()
    form = open_form(boss, page)
    response = boss.post(change_url(page), {**form, "body": "Draft words.", "_save_draft": "1"})
    assert response.status_code == HTTPStatus.FOUND
    assert "Live words." in visitor_html(page) and "Draft words." not in visitor_html(page)
    assert (
        Version.objects.get_for_object(page).count() == versions_before
    )  # no live-looking revision
    html = boss.get(change_url(page)).content.decode()
    assert "Draft words.</textarea>" in html and "Discard draft" in html
    listing = boss.get(reverse("admin:pages_page_changelist")).content.decode()
    assert "Live + draft changes" in listing

    form = open_form(boss, page)
    assert boss.post(change_url(page), {**form, "_publish": "1"}).status_code == HTTPStatus.FOUND
    assert "Draft words." in visitor_html(page)
    assert Version.objects.get_for_object(page).count() == versions_before + 1


def test_discarding_a_draft_returns_the_form_to_the_live_page(boss):
    page = make_page("Cost", body="Live words.")
    form = open_form(boss, page)
    boss.post(change_url(page), {**form, "body": "Draft words.", "_save_draft": "1"})
    boss.post(reverse("admin:pages_page_discard_draft", args=[page.pk]))
    page.refresh_from_db()
    assert page.draft_data is None
    assert "Live words.</textarea>" in boss.get(change_url(page)).content.decode()


def test_an_editors_plain_save_of_a_live_page_is_a_draft_when_sign_off_is_needed(ann):
    page = make_page("Cost", body="Live words.")
    form = open_form(ann, page)
    response = ann.post(change_url(page), {**form, "body": "Unreviewed words."}, follow=True)
    assert "Visitors still see the live page" in response.content.decode()
    assert "Unreviewed words." not in visitor_html(page)


def test_an_editor_cannot_publish_by_tampering_with_the_buttons(ann):
    page = make_page("Cost", body="Live words.")
    form = open_form(ann, page)
    html = ann.get(change_url(page)).content.decode()
    assert 'name="_publish"' not in html and 'name="_submit_review"' in html
    response = ann.post(change_url(page), {**form, "body": "Sneaky.", "_publish": "1"})
    assert response.status_code == HTTPStatus.OK
    assert "Publishing needs a medical reviewer" in response.content.decode()
    assert "Sneaky." not in visitor_html(page)


# --- Sign-off --------------------------------------------------------------------------------


def submit(browser, page, **changes):
    form = open_form(browser, page)
    response = browser.post(change_url(page), {**form, **changes, "_submit_review": "1"})
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:3000]
    page.refresh_from_db()


QUEUE = reverse("admin:pages_page_review_queue")


def review_url(page):
    return reverse("admin:pages_page_review", args=[page.pk])


def test_submit_then_approve_publishes_and_records_the_reviewer(ann, doctor):
    page = make_page("Cost", body="Sessions cost 400 dollars.")
    submit(ann, page, body="Sessions cost 450 dollars.")
    assert "450" not in visitor_html(page)
    queue = doctor.get(QUEUE).content.decode()
    assert (
        "Cost" in queue and "<del>400</del><ins>450</ins>" in queue and "by Ann Lee (ann)" in queue
    )

    response = doctor.post(
        review_url(page), {"decision": "approve", "credentials": "Dr Jane Doe, MD, psychiatrist"}
    )
    assert response.status_code == HTTPStatus.FOUND
    html = visitor_html(page)
    assert "Sessions cost 450 dollars." in html
    assert "Medically reviewed by Dr Jane Doe, MD, psychiatrist on" in html
    page.refresh_from_db()
    assert page.workflow_state == "" and page.draft_data is None
    comment = Version.objects.get_for_object(page).first().revision.get_comment()
    assert "Dr Jane Doe" in comment and "submitted by Ann Lee (ann)" in comment
    history = ann.get(reverse("admin:pages_page_history", args=[page.pk])).content.decode()
    assert "Approved and published" in history and "Submitted for review" in history
    assert "Dr Jane Doe" in history


def test_request_changes_needs_a_comment_and_the_editor_sees_it_and_gets_mail(ann, doctor):
    page = make_page("Cost", body="Sessions cost 400 dollars.")
    submit(ann, page, body="Ketamine cures everything.")
    refused = doctor.post(review_url(page), {"decision": "request_changes", "comment": " "})
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert "Say what should change" in refused.content.decode()
    doctor.post(
        review_url(page),
        {"decision": "request_changes", "comment": "Cite a trial for this claim."},
    )
    html = ann.get(change_url(page)).content.decode()
    assert "doc asked for changes" in html and "Cite a trial for this claim." in html
    assert not mail.outbox  # queued, not sent in the reviewer's request
    assert run_due_jobs() == 1
    assert mail.outbox[0].to == ["ann@example.org"]
    assert "Cite a trial for this claim." in mail.outbox[0].body
    assert "http://" in mail.outbox[0].body  # a link that works from a mail program
    assert "Ketamine cures everything." not in visitor_html(page)


def test_a_mail_failure_never_blocks_the_review_and_is_tried_again(
    ann, doctor, monkeypatch, caplog
):
    def smtp_down(*args, **kwargs):
        raise ConnectionRefusedError("SMTP is down")

    monkeypatch.setattr("pages.tasks.send_mail", smtp_down)
    page = make_page("Cost")
    submit(ann, page, body="New words.")
    response = doctor.post(review_url(page), {"decision": "request_changes", "comment": "Fix."})
    assert response.status_code == HTTPStatus.FOUND
    assert PageReviewEvent.objects.filter(action="changes_requested").exists()
    run_due_jobs()
    assert "Could not mail" in caplog.text
    assert [r.levelname for r in caplog.records if "Could not mail" in r.getMessage()] == ["ERROR"]
    monkeypatch.undo()
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert run_due_jobs() == 1  # the retry, once its wait is over
    assert "Fix." in mail.outbox[0].body


def test_approving_a_draft_changed_after_submission_is_refused_with_the_new_comparison(ann, doctor):
    page = make_page("Cost", body="Sessions cost 400 dollars.")
    submit(ann, page, body="Sessions cost 450 dollars.")
    form = open_form(ann, page)
    ann.post(change_url(page), {**form, "body": "Sessions cost 999 dollars.", "_save_draft": "1"})
    response = doctor.post(review_url(page), {"decision": "approve", "credentials": "Dr J"})
    html = response.content.decode()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "changed after it was submitted" in html and "<ins>999</ins>" in html
    assert "999" not in visitor_html(page) and "450" not in visitor_html(page)


def test_a_new_page_is_published_only_by_approval(ann, doctor):
    learn = make_page("Learn")
    new = Page(title="Trials", slug="trials", parent=learn, summary="s", body="About trials.")
    data = {**page_form_data(new), "status": "published", "_submit_review": "1"}
    assert ann.post(reverse("admin:pages_page_add"), data).status_code == HTTPStatus.FOUND
    page = Page.objects.get(slug="trials")
    assert page.status == Page.Status.DRAFT and page.workflow_state == "submitted"
    assert Client().get("/learn/trials/").status_code == HTTPStatus.NOT_FOUND
    doctor.post(review_url(page), {"decision": "approve", "credentials": "Dr J, MD"})
    assert Client().get("/learn/trials/").status_code == HTTPStatus.OK


def test_superusers_publish_directly(boss):
    page = make_page("Cost", body="Old.")
    form = open_form(boss, page)
    assert boss.post(change_url(page), {**form, "body": "New."}).status_code == HTTPStatus.FOUND
    assert "New." in visitor_html(page)


@pytest.mark.parametrize(
    ("who", "queue", "review"),
    [
        ("ann", HTTPStatus.FORBIDDEN, HTTPStatus.FORBIDDEN),
        ("reviewer", HTTPStatus.FORBIDDEN, HTTPStatus.FORBIDDEN),
        ("doctor", HTTPStatus.OK, HTTPStatus.OK),
        ("boss", HTTPStatus.OK, HTTPStatus.OK),
    ],
)
def test_every_role_against_the_review_views(
    request, ann, doctor, boss, reviewer, who, queue, review
):
    browsers = {"ann": ann, "doctor": doctor, "boss": boss}
    if who == "reviewer":
        browser = Client()
        browser.force_login(reviewer)
    else:
        browser = browsers[who]
    page = make_page("Cost")
    submit(ann, page, body="Changed.")
    response = browser.get(QUEUE)
    assert response.status_code == queue
    if queue == HTTPStatus.FORBIDDEN:
        assert "Only medical reviewers" in response.content.decode()
    assert browser.get(review_url(page)).status_code == review
    post = browser.post(review_url(page), {"decision": "approve", "credentials": "X"})
    assert (post.status_code == HTTPStatus.FORBIDDEN) == (review == HTTPStatus.FORBIDDEN)


def test_medical_reviewers_cannot_edit_page_text(doctor):
    page = make_page("Cost", body="Live words.")
    response = doctor.post(change_url(page), {**page_form_data(page), "body": "Edited."})
    assert response.status_code == HTTPStatus.FORBIDDEN
    page.refresh_from_db()
    assert page.body == "Live words."


def test_editors_may_not_switch_off_sign_off(ann):
    html = ann.get(reverse("admin:pages_sitesettings_change", args=[1])).content.decode()
    assert 'name="require_review"' not in html


# --- The Pages list --------------------------------------------------------------------------


def test_feedback_lookups_on_the_pages_list_are_refused_for_editors(ann, boss):
    make_page("Cost")
    url = reverse("admin:pages_page_changelist")
    for query in (
        "feedback__isnull=False",
        "feedback=1",
        "feedback__gt=0",
        "feedback__comments__icontains=a",
        "autosaves__data__icontains=a",
        "edited_by__password__startswith=a",
    ):
        assert ann.get(f"{url}?{query}").status_code == HTTPStatus.BAD_REQUEST, query
    assert ann.get(f"{url}?parent__id__exact=1").status_code == HTTPStatus.OK
    assert boss.get(f"{url}?feedback__isnull=False").status_code == HTTPStatus.OK


# --- History ---------------------------------------------------------------------------------


def test_any_two_revisions_can_be_compared_and_are_numbered_as_in_feedback(boss):
    page = make_page("Cost", body="one two three")
    for body in ("one two three", "one TWO three", "one TWO three four"):
        form = open_form(boss, page)
        boss.post(change_url(page), {**form, "body": body})
    first, second, third = Version.objects.get_for_object(page).order_by("pk")
    url = reverse("admin:pages_page_compare", args=[page.pk, 0])
    html = boss.get(url, {"a": third.pk, "with": first.pk}).content.decode()
    assert "Revision 1 (saved" in html and "compared with revision 3" in html
    assert "<del>two</del><ins>TWO</ins>" in html and "<ins> four</ins>" in html
    history = boss.get(reverse("admin:pages_page_history", args=[page.pk])).content.decode()
    assert re.search(r'<th scope="row">3</th>\s*<td><a [^>]+>[^<]+:\d\d:\d\d', history)


def test_draft_can_be_compared_with_live(boss):
    page = make_page("Cost", body="Live words.")
    form = open_form(boss, page)
    boss.post(change_url(page), {**form, "body": "Draft words.", "_save_draft": "1"})
    url = reverse("admin:pages_page_compare", args=[page.pk, 0]) + "?draft=1"
    html = boss.get(url).content.decode()
    assert "<del>Live</del><ins>Draft</ins>" in html


def test_a_draft_sent_with_browser_line_endings_changes_only_what_was_edited(boss):
    page = make_page("Cost", body="## Cost\n\nFirst paragraph.\n\nSecond.")
    form = open_form(boss, page)
    form.update(body=page.body.replace("\n", "\r\n"), summary="A new summary.", _save_draft="1")
    boss.post(change_url(page), form)
    url = reverse("admin:pages_page_compare", args=[page.pk, 0]) + "?draft=1"
    html = boss.get(url).content.decode()
    assert "<h3>Summary</h3>" in html and "<h3>Body</h3>" not in html


def test_an_editor_reverting_a_live_page_under_sign_off_gets_a_draft(ann, boss):
    page = make_page("Cost", body="First words.")
    for body in ("First words.", "Second words."):
        form = open_form(boss, page)
        boss.post(change_url(page), {**form, "body": body})
    first = Version.objects.get_for_object(page).order_by("pk").first()
    ann.post(reverse("admin:pages_page_revert", args=[page.pk, first.pk]))
    assert "Second words." in visitor_html(page)
    page.refresh_from_db()
    assert page.draft_data["fields"]["body"] == "First words."


@pytest.mark.parametrize(
    ("who", "allowed"), [("ann", True), ("doctor", False), ("reviewer", False), ("boss", True)]
)
def test_every_role_against_autosave_and_discard(ann, doctor, boss, reviewer, who, allowed):
    if who == "reviewer":
        browser = Client()
        browser.force_login(reviewer)
    else:
        browser = {"ann": ann, "doctor": doctor, "boss": boss}[who]
    page = make_page("Cost", body="Live words.")
    workflow.save_draft(Page(pk=page.pk, body="Draft words.", title="Cost"), user=None)
    saved = autosave(browser, page, body="typed")
    assert saved.status_code == (HTTPStatus.OK if allowed else HTTPStatus.FORBIDDEN)
    discard = browser.post(reverse("admin:pages_page_discard_draft", args=[page.pk]))
    page.refresh_from_db()
    assert (page.draft_data is None) == allowed
    if not allowed:
        assert discard.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND)


def test_autosave_refuses_bad_input_with_a_clear_status(ann):
    page = make_page("Cost")
    url = reverse("admin:pages_page_autosave", args=[page.pk])
    assert ann.post(url, {"data": "not json"}).status_code == HTTPStatus.BAD_REQUEST
    assert ann.post(url, {"data": "[1, 2]"}).status_code == HTTPStatus.BAD_REQUEST
    huge = json.dumps({"body": "x" * 600_000})
    assert ann.post(url, {"data": huge}).status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert ann.get(url).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    missing = reverse("admin:pages_page_autosave", args=[999999])
    assert ann.post(missing, {"data": "{}"}).status_code == HTTPStatus.NOT_FOUND
