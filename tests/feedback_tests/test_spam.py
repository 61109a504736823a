"""Suspected spam is kept with its reason, never mailed about, and purged after N days."""

from datetime import timedelta
from http import HTTPStatus
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from feedback import spamscore
from feedback.models import Feedback
from feedback.services import submit_feedback
from tests.conftest import run_due_jobs
from tests.feedback_tests.conftest import form_data, make_feedback

pytestmark = pytest.mark.django_db

SPAM = [
    "Cheap viagra pills online, best price, order now",
    "Buy followers and backlinks for your website today",
    "Earn money fast with our crypto trading signals",
    "Best casino bonus, free spins, win big tonight",
    "Discount pills shipped overnight, no prescription needed",
    "Grow your traffic with our SEO agency, guaranteed ranking",
    "Hot singles in your area want to meet you tonight",
    "Limited offer: replica watches at wholesale price",
    "Make money from home, click here for the offer",
    "Win a free iPhone, claim your prize now",
]
HAM = [
    "The cost section should mention sliding-scale clinics",
    "Please cite the 2023 trial on infusion dosing",
    "My insurance covered part of the treatment, worth adding",
    "The page about side effects helped me prepare for my first session",
    "Could you explain how many sessions a course usually has",
    "The link to the clinic directory is broken",
    "I found the bit about dissociation reassuring, thank you",
    "Please add a note about driving after a session",
    "The dosing table is hard to read on my phone",
    "Maybe mention that some clinics offer payment plans",
]
HELD_OUT_SPAM = ["Order cheap pills now at the best price online", "Claim your free prize now"]
HELD_OUT_HAM = [
    "The section on insurance could mention payment plans",
    "Thank you for the dosing page",
]


def mark(texts, status, reviewer):
    for text in texts:
        make_feedback(
            comments=text, status=status, reviewed_by=reviewer, reviewed_at=timezone.now()
        )
    spamscore.reset()  # in use, new marks count from the next training, within a minute


def test_a_classifier_trained_from_marks_classifies_held_out_messages():
    model = spamscore.Classifier.train(SPAM, HAM)
    for text in HELD_OUT_SPAM:
        assert model.score(text) > 0.9, text
    for text in HELD_OUT_HAM:
        assert model.score(text) < 0.1, text


def test_new_feedback_the_learnt_score_calls_spam_is_filed_as_spam_with_the_score(
    page, reviewer, settings
):
    settings.FEEDBACK_NOTIFY_EMAILS = ["team@network.example"]
    mark(SPAM, Feedback.Status.SPAM, reviewer)
    mark(HAM, Feedback.Status.REVIEWED, reviewer)
    spam = submit_feedback(page=page, data={"name": "X", "comments": HELD_OUT_SPAM[0]}).feedback
    ham = submit_feedback(page=page, data={"name": "Y", "comments": HELD_OUT_HAM[0]}).feedback
    assert spam.status == Feedback.Status.SPAM
    assert spam.spam_reason.startswith("likely spam, score 0.9")
    assert ham.status == Feedback.Status.NEW and ham.spam_reason == ""
    assert DBTaskResult.objects.count() == 1  # only the person's feedback is mailed about


def test_the_classifier_is_trained_again_once_forgotten_not_on_every_post(page, reviewer):
    mark(SPAM, Feedback.Status.SPAM, reviewer)
    assert spamscore.classifier() is None  # no kept feedback marked yet
    make_feedback(comments=HAM[0], status="reviewed", reviewed_by=reviewer)
    assert spamscore.classifier() is None  # still the cached answer
    mark(HAM, Feedback.Status.REVIEWED, reviewer)
    assert spamscore.classifier() is not None


def test_the_score_waits_for_enough_marks_and_ignores_spam_nobody_reviewed(page, reviewer):
    mark(SPAM[:4], Feedback.Status.SPAM, reviewer)
    mark(HAM, Feedback.Status.REVIEWED, reviewer)
    for text in SPAM:  # filed by the site, not judged by a person
        make_feedback(comments=text, status=Feedback.Status.SPAM)
    assert spamscore.classifier() is None
    mark(SPAM[4:], Feedback.Status.SPAM, reviewer)
    assert spamscore.classifier() is not None


def test_the_learnt_score_never_files_urgent_words_as_spam(page, reviewer):
    mark(SPAM, Feedback.Status.SPAM, reviewer)
    mark(HAM, Feedback.Status.REVIEWED, reviewer)
    words = "Cheap pills price online order now, I want to die"
    feedback = submit_feedback(page=page, data={"name": "X", "comments": words}).feedback
    assert feedback.is_urgent and feedback.status == Feedback.Status.NEW


@pytest.mark.parametrize(
    ("comments", "reason"),
    [
        ("See http://a.example http://b.example www.c.example https://d.example", "4 links"),
        ("Great article. Also: SEO services for you.", "spam phrase “seo services”"),
    ],
)
def test_content_signals_keep_the_post_as_spam_with_the_reason(
    client, page, submit_url, comments, reason
):
    response = client.post(submit_url, form_data(page, comments=comments))
    assert response.status_code == HTTPStatus.FOUND
    feedback = Feedback.objects.get()
    assert (feedback.status, feedback.spam_reason) == (Feedback.Status.SPAM, reason)


def test_a_few_links_are_fine(client, page, submit_url):
    client.post(submit_url, form_data(page, comments="See https://a.example and https://b.example"))
    assert Feedback.objects.get().status == Feedback.Status.NEW


def test_spam_is_purged_after_the_configured_days_and_nothing_else(page, settings):
    settings.FEEDBACK_SPAM_DAYS = 10
    old_spam = make_feedback(page, status="spam", submitted_at=timezone.now() - timedelta(days=11))
    young_spam = make_feedback(page, status="spam", submitted_at=timezone.now() - timedelta(days=9))
    old_new = make_feedback(page, submitted_at=timezone.now() - timedelta(days=40))
    out = StringIO()
    call_command("purge_feedback", "--spam", stdout=out)
    assert "Deleted 1 feedback" in out.getvalue()
    remaining = set(Feedback.objects.values_list("pk", flat=True))
    assert remaining == {young_spam.pk, old_new.pk}
    assert old_spam.pk not in remaining


def test_the_purge_forgets_digests_older_than_a_day(page):
    make_feedback(page, submission_digest="a" * 64, submitted_at=timezone.now() - timedelta(days=2))
    make_feedback(page, submission_digest="b" * 64)
    call_command("purge_feedback", "--spam", stdout=StringIO())
    assert list(Feedback.objects.exclude(submission_digest=None).values_list(
        "submission_digest", flat=True
    )) == ["b" * 64]  # fmt: skip


def test_reviewers_see_spam_in_its_own_view_with_the_reason(reviewer_client, page):
    make_feedback(page, comments="Buy now", status="spam", spam_reason="honeypot filled")
    make_feedback(page, comments="A real comment")
    changelist = reverse("admin:feedback_feedback_changelist")
    html = reviewer_client.get(changelist, {"status__exact": "spam"}).content.decode()
    assert "Buy now" in html and "A real comment" not in html


def test_not_spam_puts_it_back_to_new_queues_its_mail_and_counts_as_a_mark(
    reviewer_client, reviewer, page, settings, mailoutbox
):
    settings.FEEDBACK_NOTIFY_EMAILS = ["team@network.example"]
    feedback = make_feedback(page, status="spam", spam_reason="sent 0.5 s after the page loaded")
    response = reviewer_client.post(
        reverse("admin:feedback_feedback_changelist"),
        {"action": "mark_not_spam", "_selected_action": [feedback.pk]},
    )
    assert response.status_code == HTTPStatus.FOUND
    feedback.refresh_from_db()
    assert feedback.status == Feedback.Status.NEW
    assert feedback.reviewed_by == reviewer
    assert feedback.spam_reason  # why the site filed it is kept for the record
    run_due_jobs()
    assert [m.to for m in mailoutbox] == [["team@network.example"]]
    assert list(spamscore.marked()) == [feedback]  # a "not spam" mark, for the score
