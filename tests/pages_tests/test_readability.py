from http import HTTPStatus

import pytest
from django.urls import reverse
from reversion.models import Version

from pages.readability import flesch_kincaid_grade, reading_minutes, syllables
from tests.conftest import make_page, page_form_data

HARD = (
    "<p>Intravenous ketamine administration necessitates comprehensive psychiatric evaluation, "
    "cardiovascular monitoring and individualised anaesthetic consideration.</p>"
)
EASY = "<h2>Cost</h2><p>Each visit costs a lot. Ask the clinic first. Most plans do not pay.</p>"


def test_the_grade_of_a_known_sentence():
    # 8 words, 1 sentence, 12 syllables: 0.39 × 8 + 11.8 × 12 / 8 − 15.59 = 5.23
    assert flesch_kincaid_grade("Doctors give the medicine slowly through a vein.") == 5.2


@pytest.mark.parametrize(
    ("word", "count"),
    [("medicine", 3), ("ketamine", 3), ("depression", 3), ("time", 1), ("people", 2)],
)
def test_syllables_are_estimated_from_vowel_groups(word, count):
    assert syllables(word) == count


def test_text_without_sentences_has_no_grade_and_reading_time_rounds_up():
    assert flesch_kincaid_grade("") is None
    assert reading_minutes(0) == 0 and reading_minutes(1) == 1 and reading_minutes(401) == 3


@pytest.mark.django_db
def test_the_grade_is_derived_on_save_and_kept_with_each_revision(editor_client, without_sign_off):
    page = make_page("Cost", body=EASY)
    assert page.reading_grade < 8
    url = reverse("admin:pages_page_change", args=[page.pk])
    editor_client.post(url, page_form_data(page, body=HARD))
    page.refresh_from_db()
    assert page.reading_grade > 8
    assert (
        Version.objects.get_for_object(page).first().field_dict["reading_grade"]
        == page.reading_grade
    )


@pytest.mark.django_db
def test_headings_count_as_their_own_sentences():
    assert make_page(
        "A", body="<h2>Cost</h2><p>It is high.</p>"
    ).reading_grade == flesch_kincaid_grade("Cost. It is high.")


@pytest.mark.django_db
def test_pages_list_shows_the_grade_and_filters_pages_above_the_target(editor_client, settings):
    settings.READABILITY_TARGET_GRADE = 8
    hard = make_page("Hard page", body=HARD)
    make_page("Easy page", body=EASY)
    changelist = reverse("admin:pages_page_changelist")
    html = editor_client.get(changelist).content.decode()
    assert f"{hard.reading_grade:g} (above 8)" in html
    above = editor_client.get(changelist, {"reading": "above"}).content.decode()
    assert "Hard page" in above and "Easy page" not in above
    within = editor_client.get(changelist, {"reading": "within"}).content.decode()
    assert "Easy page" in within and "Hard page" not in within


@pytest.mark.django_db
def test_the_target_is_configurable(editor_client, settings):
    settings.READABILITY_TARGET_GRADE = 40
    make_page("Hard page", body=HARD)
    html = editor_client.get(
        reverse("admin:pages_page_changelist"), {"reading": "above"}
    ).content.decode()
    assert "Above grade 40" in html and "Hard page</a>" not in html


@pytest.mark.django_db
def test_the_live_preview_reports_the_grade_and_the_target(editor_client, published_page):
    url = reverse("admin:pages_page_preview", args=[published_page.pk])
    response = editor_client.post(
        url, page_form_data(published_page, body=HARD), headers={"X-Live-Preview": "1"}
    )
    assert response.status_code == HTTPStatus.OK
    assert float(response["X-Reading-Grade"]) > 8 and response["X-Reading-Target"] == "8"
    assert "Live preview: not saved yet" in response.content.decode()
