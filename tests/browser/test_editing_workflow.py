"""The page editor's safety net in a real browser: two editors at once, unsaved
typing kept through an expired session, the leave-page prompt, and the review queue.

With WRITE_README_PICTURES=1 in the environment, also writes the README's pictures
of a conflict and of the review queue (docs/).
"""

import os
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from pages.models import Page, SiteSettings

from .conftest import PASSWORD, log_in, make_staff

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[2] / "docs"
PICTURES = os.environ.get("WRITE_README_PICTURES") == "1"
COST = "learn/cost"


@pytest.fixture
def quick_autosave(settings):
    settings.PAGE_AUTOSAVE_SECONDS = 1  # the live server runs in this process


def edit_url(site, page):
    return site.url(f"/admin/pages/page/{page.pk}/change/")


def sign_off_off():
    settings = SiteSettings.load()
    settings.require_review = False
    settings.save()


def test_two_editors_see_each_other_and_the_second_save_keeps_both_versions(
    site, new_page, django_user_model, quick_autosave
):
    sign_off_off()
    ann = make_staff(django_user_model, "ann", "Editors")
    bob = make_staff(django_user_model, "bob", "Editors")
    cost = Page.objects.get(path=COST)
    first, second = new_page(), new_page()
    log_in(first, site, ann)
    log_in(second, site, bob)
    first.goto(edit_url(site, cost))
    second.goto(edit_url(site, cost))
    expect(first.locator("#presence-notice")).to_contain_text("Also editing this page now: bob")
    expect(second.locator("#presence-notice")).to_contain_text("Also editing this page now: ann")

    first.get_by_label("Summary").fill("Ann's summary of what ketamine treatment costs.")
    first.get_by_role("button", name="Publish changes").first.click()
    expect(first.locator(".messagelist")).to_contain_text("was changed successfully")

    second.get_by_label("Summary").fill("Bob's summary of the costs.")
    second.get_by_role("button", name="Publish changes").first.click()
    conflict = second.locator("#edit-conflict")
    expect(conflict).to_contain_text("ann saved this at")
    expect(conflict).to_contain_text("Their version")
    expect(second.get_by_label("Summary")).to_have_value("Bob's summary of the costs.")
    cost.refresh_from_db()
    assert cost.summary == "Ann's summary of what ketamine treatment costs."
    second.set_viewport_size({"width": 1280, "height": 800})
    if PICTURES:
        conflict.screenshot(path=DOCS / "editing-conflict.png")


def test_typing_is_kept_through_an_expired_session_and_offered_back(
    site, page, editor, quick_autosave
):
    cost = Page.objects.get(path=COST)
    log_in(page, site, editor)
    page.goto(edit_url(site, cost))
    summary = page.get_by_label("Summary")
    summary.fill("Typed before the session ended.")
    expect(page.locator("#editor-live-notice")).to_contain_text("kept on the server")

    Session.objects.all().delete()  # the session expires
    summary.fill("Typed after the session ended.")
    expect(page.locator("#editor-live-notice")).to_contain_text("You are signed out")

    page.goto(site.url("/admin/login/"))
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(edit_url(site, cost))
    offer = page.locator("#browser-restore-offer")
    expect(offer).to_contain_text("Restore your unsaved changes from")
    offer.get_by_role("button", name="Restore them").click()
    expect(page.get_by_label("Summary")).to_have_value("Typed after the session ended.")
    cost.refresh_from_db()
    assert cost.summary != "Typed after the session ended."  # nothing saved by itself


def test_leaving_the_editor_with_unsaved_edits_asks_first(site, page, editor):
    cost = Page.objects.get(path=COST)
    log_in(page, site, editor)
    page.goto(edit_url(site, cost))
    page.get_by_label("Summary").click()
    page.keyboard.type(" More words.")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]


def test_leaving_without_edits_does_not_ask(site, page, editor):
    cost = Page.objects.get(path=COST)
    log_in(page, site, editor)
    page.goto(edit_url(site, cost))
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Pages").first.click()
    expect(page).to_have_url(site.url("/admin/pages/"))
    assert dialogs == []


def test_a_change_is_submitted_reviewed_and_approved(site, new_page, django_user_model, editor):
    doctor = make_staff(django_user_model, "drdoe", "Medical reviewers")
    cost = Page.objects.get(path=COST)
    writer = new_page()
    log_in(writer, site, editor)
    writer.goto(edit_url(site, cost))
    writer.get_by_label("Summary").fill("What ketamine treatment costs, reviewed.")
    writer.get_by_role("button", name="Submit for review").first.click()
    expect(writer.locator(".messagelist")).to_contain_text("waiting for a medical reviewer")

    reviewer = new_page()
    log_in(reviewer, site, doctor)
    reviewer.goto(site.url("/admin/pages/page/review-queue/"))
    item = reviewer.locator(".review-item").first
    expect(item.locator("ins").first).to_be_visible()
    if PICTURES:
        reviewer.screenshot(path=DOCS / "review-queue.png")
    item.get_by_role("link", name="Approve or request changes").click()
    reviewer.get_by_label("Approve and publish").check()
    reviewer.get_by_label("Your name and credentials").fill("Dr Jane Doe, MD, psychiatrist")
    reviewer.get_by_role("button", name="Send decision").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("approved and published")

    visitor = new_page()
    visitor.goto(site.url(f"/{COST}/"))
    expect(
        visitor.get_by_text("Medically reviewed by Dr Jane Doe, MD, psychiatrist")
    ).to_be_visible()
