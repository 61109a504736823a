import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from feedback.models import Feedback, UrgentPhrase
from feedback.services import URGENT_SUBJECT
from feedback.urgency import find_urgent_phrases
from feedback.views import THANKS
from pages.models import SiteSettings
from tests.conftest import make_page, run_due_jobs
from tests.feedback_tests.conftest import form_data, make_feedback

STARTER = ["suicide", "kill myself", "self harm", "want to die", "end my life", "overdose"]
URGENT_COMMENT = "Honestly some days I want to die. The dosing section is unclear."
VISITOR = {
    "username": "quiet_river",
    "name": "Robin Vale",
    "email": "robin.vale@example.com",
    "comments": URGENT_COMMENT,
}


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("I have thought about suicide.", "suicide"),
        ("SELF-HARM", "self harm"),
        ("self   harm", "self harm"),
        ("self-harm.", "self harm"),
        ("Self—harm keeps coming back", "self harm"),
        ("self_harm", "self harm"),
        ("I… want  to die!!", "want to die"),
        ("i WANT\nTO\tDIE", "want to die"),
        ("(kill myself)", "kill myself"),
        ("ＫＩＬＬ ＭＹＳＥＬＦ", "kill myself"),  # full-width letters
        ("sui\u00adcide", "suicide"),  # a soft hyphen inside the word
        ("end my life.", "end my life"),
    ],
)
def test_urgent_phrases_match_whatever_the_case_punctuation_and_spacing(text, phrase):
    assert find_urgent_phrases(text, STARTER) == [phrase]


@pytest.mark.parametrize(
    "text",
    [
        "This would be a good skill myself to learn.",  # "kill myself" inside "skill myself"
        "The president was assassinated in 1963.",
        "A suicidesque plot twist.",
        "Self harmony is a nice phrase.",
        "I want to diet before treatment.",
        "The page says the end of my life story.",
        "Please fix the self-help link.",
        "",
    ],
)
def test_words_that_only_contain_an_urgent_phrase_do_not_match(text):
    assert find_urgent_phrases(text, STARTER) == []


def test_every_phrase_found_is_reported_once_in_the_list_order():
    text = "Suicide. I want to die; suicide again."
    assert find_urgent_phrases(text, STARTER) == ["suicide", "want to die"]


def test_a_phrase_with_no_words_never_matches():
    assert find_urgent_phrases("anything at all", ["", " -- "]) == []


@pytest.mark.django_db
def test_the_starter_list_is_in_the_database_and_marks_common_wording():
    phrases = UrgentPhrase.objects.active_phrases()
    assert {"suicide", "suicidal", "kill myself", "self harm", "want to die"} <= set(phrases)
    assert find_urgent_phrases("I keep thinking I'd be better off dead", phrases)


@pytest.mark.django_db
def test_urgent_feedback_is_stored_as_urgent_and_ordinary_feedback_is_not(client, page, submit_url):
    client.post(submit_url, form_data(page, comments="The cost table is out of date."))
    client.post(submit_url, form_data(page, comments=URGENT_COMMENT))
    assert list(Feedback.objects.order_by("pk").values_list("is_urgent", flat=True)) == [
        False,
        True,
    ]


@pytest.mark.django_db
def test_an_unticked_phrase_no_longer_marks_feedback_urgent(client, page, submit_url):
    UrgentPhrase.objects.filter(phrase="want to die").update(active=False)
    client.post(submit_url, form_data(page, comments=URGENT_COMMENT))
    assert Feedback.objects.get().is_urgent is False


@pytest.mark.django_db
def test_the_visitor_sees_the_crisis_resources_first_and_is_told_nothing_else(
    client, page, submit_url
):
    crisis = make_page("If You Are in Crisis", slug="crisis-resources")
    settings = SiteSettings.load()
    settings.crisis_page = crisis
    settings.save()
    response = client.post(submit_url, form_data(page, comments=URGENT_COMMENT), follow=True)
    html = response.content.decode()
    section = html[html.index('<section id="feedback"') :]
    box = re.search(r'<div class="crisis-box".*?</div>', section, re.S).group(0)
    assert section.index("crisis-box") < section.index(THANKS)
    assert "call or text 988" in box
    assert '<a href="/crisis-resources/">More crisis resources</a>' in box
    assert THANKS in section
    for hint in ["urgent", "detected", "concern", "flag", "worried"]:
        assert hint not in section.lower()


@pytest.mark.django_db
def test_the_crisis_box_is_shown_to_an_urgent_submitter_even_with_the_crisis_line_off(
    client, page, submit_url
):
    SiteSettings.objects.update(show_crisis_line=False)
    response = client.post(submit_url, form_data(page, comments=URGENT_COMMENT), follow=True)
    html = response.content.decode()
    assert 'class="crisis-box"' in html
    assert 'class="crisis-line"' not in html
    # Only once: the next view of the page is back to normal.
    assert "crisis-box" not in client.get(page.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_ordinary_feedback_gets_no_crisis_box(client, page, submit_url):
    response = client.post(submit_url, form_data(page), follow=True)
    assert "crisis-box" not in response.content.decode()


@pytest.mark.django_db
def test_urgent_words_caught_by_the_honeypot_are_kept_flagged_and_shown_the_resources(
    client, page, submit_url
):
    data = form_data(page, comments=URGENT_COMMENT, honeypot="filled")
    response = client.post(submit_url, data, follow=True)
    html = response.content.decode()
    assert THANKS in html
    assert 'class="crisis-box"' in html  # a person misjudged still gets care
    feedback = Feedback.objects.get()
    assert (feedback.status, feedback.is_urgent) == (Feedback.Status.SPAM, True)


@pytest.fixture
def mail_settings(settings):
    settings.FEEDBACK_NOTIFY_EMAILS = ["team@network.example"]
    settings.FEEDBACK_URGENT_EMAILS = ["on-call@network.example"]
    settings.SITE_URL = "https://network.example"
    return settings


def sent_text(message):
    return message.subject + "\n" + message.body + "\n" + str(message.message())


@pytest.mark.django_db
def test_urgent_feedback_sends_its_own_alert_first_with_only_the_page_and_the_admin_link(
    client, page, submit_url, mail_settings, mailoutbox
):
    client.post(submit_url, form_data(page, **VISITOR))
    run_due_jobs()
    feedback = Feedback.objects.get()
    alert, ordinary = mailoutbox
    assert alert.to == ["on-call@network.example"]
    assert alert.subject == URGENT_SUBJECT
    assert "[URGENT]" in alert.subject
    change_url = f"https://network.example/admin/feedback/feedback/{feedback.pk}/change/"
    assert change_url in alert.body
    assert "https://network.example/learn/cost/" in alert.body
    assert ordinary.to == ["team@network.example"]


@pytest.mark.django_db
def test_no_email_carries_the_visitors_name_contact_words_or_the_matched_phrase(
    client, page, submit_url, mail_settings, mailoutbox
):
    client.post(submit_url, form_data(page, **VISITOR))
    run_due_jobs()
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        text = sent_text(message).lower()
        for personal in ["quiet_river", "robin", "vale", "robin.vale@example.com"]:
            assert personal not in text
        assert "dosing section" not in text
        assert "want to die" not in text


@pytest.mark.django_db
def test_even_with_full_text_notifications_the_urgent_alert_stays_free_of_personal_data(
    client, page, submit_url, mail_settings, mailoutbox
):
    mail_settings.FEEDBACK_NOTIFY_FULL_TEXT = True
    client.post(submit_url, form_data(page, **VISITOR))
    run_due_jobs()
    alert, ordinary = mailoutbox
    assert "Robin Vale" not in sent_text(alert) and "dosing" not in sent_text(alert)
    assert "Robin Vale" in ordinary.body and URGENT_COMMENT in ordinary.body


@pytest.mark.django_db
def test_ordinary_feedback_sends_no_urgent_alert(
    client, page, submit_url, mail_settings, mailoutbox
):
    client.post(submit_url, form_data(page))
    run_due_jobs()
    assert [message.to for message in mailoutbox] == [["team@network.example"]]


@pytest.mark.django_db
def test_without_an_urgent_address_urgent_feedback_is_still_stored_and_the_team_told(
    client, page, submit_url, mail_settings, mailoutbox
):
    mail_settings.FEEDBACK_URGENT_EMAILS = []
    client.post(submit_url, form_data(page, comments=URGENT_COMMENT))
    run_due_jobs()
    assert Feedback.objects.get().is_urgent
    assert [message.to for message in mailoutbox] == [["team@network.example"]]


CHANGELIST = reverse("admin:feedback_feedback_changelist")


@pytest.mark.django_db
def test_urgent_new_feedback_is_listed_first_and_flagged(reviewer_client, page):
    older_urgent = make_feedback(page, comments="I think about suicide.", is_urgent=True)
    make_feedback(page, comments="Newest, ordinary.")
    reviewed_urgent = make_feedback(
        page, comments="Old and seen.", is_urgent=True, status=Feedback.Status.REVIEWED
    )
    response = reviewer_client.get(CHANGELIST)
    html = response.content.decode()
    rows = re.findall(r"<tr[^>]*>.*?</tr>", html.split('id="result_list"')[1], re.S)[1:]
    assert '<strong class="urgent-flag">URGENT</strong>' in rows[0]
    assert f"/{older_urgent.pk}/change/" in rows[0]
    # Once reviewed, urgent feedback takes its place by date again, still flagged.
    assert f"/{reviewed_urgent.pk}/change/" in rows[1] and "urgent-flag" in rows[1]
    assert "urgent-flag" not in rows[2]
    assert "css/admin-feedback.css" in html


@pytest.mark.django_db
def test_reviewers_can_filter_by_urgent(reviewer_client, page):
    make_feedback(page, comments="Urgent one.", is_urgent=True)
    make_feedback(page, comments="Ordinary one.")
    html = reviewer_client.get(CHANGELIST, {"is_urgent__exact": "1"}).content.decode()
    assert "Urgent one." in html and "Ordinary one." not in html


@pytest.mark.django_db
def test_reviewers_add_a_phrase_in_the_admin_and_it_counts_from_the_next_post(
    reviewer_client, client, page, submit_url
):
    response = reviewer_client.post(
        reverse("admin:feedback_urgentphrase_add"),
        {"phrase": "  can't   keep going ", "active": "on", "notes": "Seen in feedback."},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert UrgentPhrase.objects.filter(phrase="can't keep going").exists()
    client.post(submit_url, form_data(page, comments="Honestly I can’t keep going."))
    assert Feedback.objects.get().is_urgent


@pytest.mark.django_db
def test_a_phrase_that_matches_the_same_words_as_another_is_refused(reviewer_client):
    response = reviewer_client.post(
        reverse("admin:feedback_urgentphrase_add"), {"phrase": "Self-Harm", "active": "on"}
    )
    assert response.status_code == HTTPStatus.OK
    assert "“self harm” already matches the same words." in response.content.decode()
    response = reviewer_client.post(
        reverse("admin:feedback_urgentphrase_add"), {"phrase": " -- ", "active": "on"}
    )
    assert "Type at least one word." in response.content.decode()


@pytest.mark.django_db
def test_reviewers_may_not_delete_phrases_and_editors_may_not_see_them(
    reviewer_client, editor_client
):
    phrase = UrgentPhrase.objects.get(phrase="suicide")
    delete_url = reverse("admin:feedback_urgentphrase_delete", args=[phrase.pk])
    assert reviewer_client.post(delete_url, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:feedback_urgentphrase_changelist")
    assert editor_client.get(changelist).status_code == 403
