"""The feedback insight page: its numbers against known data, its chart and who may see it."""

from datetime import date, datetime, timedelta
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from feedback import insight
from feedback.models import Feedback
from tests.conftest import make_page
from tests.feedback_tests.conftest import make_feedback

pytestmark = pytest.mark.django_db

INSIGHT = reverse("admin:feedback_feedback_insight")
UTC = ZoneInfo("UTC")
# A Wednesday; its week began on Monday 15 June, and the 26-week window on 22 December 2025.
NOW = datetime(2026, 6, 17, 12, 0, tzinfo=UTC)
FIRST_MONDAY = date(2025, 12, 22)


def sent(page, at, *, status=Feedback.Status.NEW, review_after=None, **fields):
    """Feedback sent at ``at``; with ``review_after``, first reviewed that long after."""
    reviewed = at + review_after if review_after is not None else None
    return make_feedback(page, submitted_at=at, status=status, first_reviewed_at=reviewed, **fields)


@pytest.fixture
def known_data(page):
    """Cost: 2 new, 1 reviewed (after 2h), 1 archived (after 10h), 1 spam (after 1h).
    Infusions: 1 reviewed (after 4h). A deleted page: 1 new."""
    infusions = make_page("Infusions")
    start = NOW - timedelta(days=1)  # Tuesday of the current week
    sent(page, start)
    sent(page, start)
    sent(page, start, status="reviewed", review_after=timedelta(hours=2))
    sent(page, start, status="archived", review_after=timedelta(hours=10))
    sent(page, start, status="spam", review_after=timedelta(hours=1))
    sent(infusions, start, status="reviewed", review_after=timedelta(hours=4))
    sent(None, start, page_title="Old page", page_path="/old-page/")
    return {"cost": page, "infusions": infusions}


def by_title(figures):
    return {figure.title: figure for figure in figures}


def test_counts_per_page_leave_spam_out(known_data):
    figures = by_title(insight.page_figures())
    cost = figures["Cost"]
    assert (cost.new, cost.reviewed, cost.urgent, cost.total) == (2, 2, 0, 4)
    infusions = figures["Infusions"]
    assert (infusions.new, infusions.reviewed, infusions.total) == (0, 1, 1)


def test_feedback_on_a_deleted_page_is_grouped_under_its_old_title(known_data):
    gone = by_title(insight.page_figures())["Old page (page deleted)"]
    assert (gone.page_id, gone.old_address, gone.new) == (None, "/old-page/", 1)


def test_pages_with_new_feedback_come_first(known_data):
    titles = [figure.title for figure in insight.page_figures()]
    assert titles == ["Cost", "Old page (page deleted)", "Infusions"]


def test_median_time_to_review_per_page_and_overall(known_data):
    figures = insight.page_figures()
    cost = by_title(figures)["Cost"]
    assert cost.median_review_time == timedelta(hours=6)  # between 2h and 10h; spam's 1h ignored
    assert by_title(figures)["Infusions"].median_review_time == timedelta(hours=4)
    assert by_title(figures)["Old page (page deleted)"].median_review_time is None
    total = insight.all_pages(figures)
    assert (total.new, total.reviewed, total.total) == (3, 3, 6)
    assert total.median_review_time == timedelta(hours=4)  # of 2h, 4h, 10h


def test_urgent_feedback_is_counted_per_page_and_puts_its_page_first(known_data):
    assert insight.all_pages(insight.page_figures()).urgent == 0
    sent(known_data["infusions"], NOW - timedelta(days=1), is_urgent=True)
    sent(known_data["infusions"], NOW - timedelta(days=1), is_urgent=True, status="spam")
    figures = insight.page_figures()
    assert figures[0].title == "Infusions"
    assert (figures[0].urgent, figures[0].new) == (1, 1)  # the spam one is not counted
    assert insight.all_pages(figures).urgent == 1


def test_a_review_time_never_goes_below_zero(page):
    sent(page, NOW, status="reviewed", review_after=timedelta(minutes=-5))
    assert insight.page_figures()[0].median_review_time == timedelta(0)


@pytest.mark.parametrize(
    ("duration", "words"),
    [
        (None, "—"),
        (timedelta(seconds=40), "under a minute"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(hours=5, minutes=10, seconds=59), "5 hours 10 minutes"),
        (timedelta(hours=2), "2 hours"),
        (timedelta(days=1, hours=1, minutes=30), "1 day 1 hour"),
        (timedelta(days=3), "3 days"),
    ],
)
def test_durations_read_as_people_say_them(duration, words):
    assert insight.format_duration(duration) == words


# --- Weeks -----------------------------------------------------------------------------------


def test_weekly_counts_cover_26_weeks_with_empty_ones_and_the_window_edges(page, settings):
    settings.TIME_ZONE = "UTC"  # the edges below are written in UTC
    window_start = datetime.combine(FIRST_MONDAY, datetime.min.time(), tzinfo=UTC)
    sent(page, window_start - timedelta(seconds=1))  # before the window: not counted
    sent(page, window_start)  # first second of the first week
    sent(page, datetime(2026, 6, 14, 23, 59, 59, tzinfo=UTC))  # last second of last week
    sent(page, datetime(2026, 6, 15, 0, 0, tzinfo=UTC))  # this week
    sent(page, NOW)
    sent(page, NOW, status="spam")
    weeks = insight.weekly_counts(today=NOW.date())
    assert len(weeks) == 26
    assert weeks[0].start == FIRST_MONDAY and weeks[-1].start == date(2026, 6, 15)
    assert all(week.start.weekday() == 0 for week in weeks)
    counts = [week.count for week in weeks]
    assert counts[0] == 1 and counts[-2] == 1 and counts[-1] == 2
    assert counts[1:-2] == [0] * 23


def test_weeks_follow_the_sites_time_zone(page, settings):
    settings.TIME_ZONE = "Europe/London"  # British Summer Time in June: UTC+1
    sent(page, datetime(2026, 6, 14, 23, 30, tzinfo=UTC))  # already Monday 00:30 in London
    with time_machine.travel(NOW, tick=False):
        weeks = insight.weekly_counts()
    assert weeks[-1].count == 1 and weeks[-2].count == 0


def test_the_chart_scales_to_a_round_number_and_keeps_empty_weeks(page):
    counts = [0] * 23 + [3, 0, 7]
    weeks = [insight.WeekCount(FIRST_MONDAY + timedelta(weeks=i), n) for i, n in enumerate(counts)]
    chart = insight.bar_chart(weeks)
    assert chart.scale_max == 10
    assert [value for _, value in chart.y_ticks] == [0, 5, 10]
    plot_height = chart.bottom - chart.top
    assert chart.bars[-1].height == pytest.approx(plot_height * 0.7)
    assert chart.bars[-3].height == pytest.approx(plot_height * 0.3)
    assert chart.bars[0].height == 0 and chart.bars[0].y == chart.bottom
    assert len(chart.bars) == 26 and len(chart.x_labels) == 7
    assert chart.total == 10 and chart.busiest.count == 7


def test_an_empty_chart_still_draws(page):
    weeks = insight.weekly_counts(today=NOW.date())
    chart = insight.bar_chart(weeks)
    assert chart.scale_max == 1 and chart.total == 0
    assert all(bar.height == 0 for bar in chart.bars)


@pytest.mark.parametrize(("value", "ceiling"), [(0, 1), (1, 1), (2, 2), (3, 5), (7, 10), (11, 20)])
def test_the_value_axis_ends_on_a_round_number(value, ceiling):
    assert insight.nice_ceiling(value) == ceiling


# --- When feedback was first reviewed ----------------------------------------------------------


def test_the_first_review_time_is_kept_when_the_status_changes_again(reviewer_client, page):
    feedback = make_feedback(page)
    url = reverse("admin:feedback_feedback_change", args=[feedback.pk])
    with time_machine.travel(NOW, tick=False):
        reviewer_client.post(url, {"status": "reviewed", "staff_note": ""})
    with time_machine.travel(NOW + timedelta(days=2), tick=False):
        reviewer_client.post(url, {"status": "reviewed", "staff_note": "Fixed."})
        changelist = reverse("admin:feedback_feedback_changelist")
        reviewer_client.post(changelist, {"action": "archive", "_selected_action": [feedback.pk]})
    feedback.refresh_from_db()
    assert feedback.status == Feedback.Status.ARCHIVED
    assert feedback.first_reviewed_at == NOW
    assert feedback.reviewed_at == NOW + timedelta(days=2)


def test_a_bulk_action_stamps_the_first_review_once(reviewer_client, page):
    fresh = make_feedback(page)
    earlier = NOW - timedelta(days=1)
    seen = make_feedback(page, status="reviewed", first_reviewed_at=earlier)
    changelist = reverse("admin:feedback_feedback_changelist")
    with time_machine.travel(NOW, tick=False):
        reviewer_client.post(
            changelist, {"action": "archive", "_selected_action": [fresh.pk, seen.pk]}
        )
    fresh.refresh_from_db()
    seen.refresh_from_db()
    assert fresh.first_reviewed_at == NOW and seen.first_reviewed_at == earlier


def test_a_note_alone_is_not_a_first_review(reviewer_client, page):
    feedback = make_feedback(page)
    url = reverse("admin:feedback_feedback_change", args=[feedback.pk])
    reviewer_client.post(url, {"status": "new", "staff_note": "Looking into it."})
    feedback.refresh_from_db()
    assert feedback.first_reviewed_at is None and feedback.reviewed_at is not None


# --- The page --------------------------------------------------------------------------------


def test_reviewers_see_the_figures_and_the_chart(reviewer_client, known_data):
    with time_machine.travel(NOW, tick=False):
        response = reviewer_client.get(INSIGHT)
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    changelist = reverse("admin:feedback_feedback_changelist")
    cost_row = html[html.index(f"{changelist}?page__id__exact={known_data['cost'].pk}") :]
    cost_row = cost_row[: cost_row.index("</tr>")]
    assert [cell.split("<")[0] for cell in cost_row.split('<td class="number">')[1:]] == [
        "2",
        "2",
        "0",
        "4",
    ]
    assert "<td>6 hours</td>" in cost_row
    assert '<svg class="insight-chart"' in html and 'role="img"' in html
    assert '<desc id="chart-desc">6 feedback in 26 weeks;' in html
    assert "Week of 15 June 2026: 6</title>" in html
    assert '<td>15 June 2026</td><td class="number">6</td>' in html  # the table alternative
    assert "Sam Kay" not in html and "A comment." not in html  # no visitor's words


def test_the_chart_can_show_one_page(reviewer_client, known_data):
    with time_machine.travel(NOW, tick=False):
        response = reviewer_client.get(INSIGHT, {"page": known_data["infusions"].pk})
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Feedback per week, last 26 weeks: “Infusions”" in html
    assert "Week of 15 June 2026: 1</title>" in html


@pytest.mark.parametrize("choice", ["abc", "999999"])
def test_an_unknown_page_choice_is_refused_with_a_message(reviewer_client, known_data, choice):
    response = reviewer_client.get(INSIGHT, {"page": choice})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert "No feedback has been sent about that page." in html
    assert "Feedback per week, last 26 weeks: all pages" in html


def test_superusers_see_the_page_and_the_feedback_list_links_to_it(admin_client):
    assert admin_client.get(INSIGHT).status_code == HTTPStatus.OK
    html = admin_client.get(reverse("admin:feedback_feedback_changelist")).content.decode()
    assert f'href="{INSIGHT}"' in html


def test_only_staff_who_may_read_feedback_see_the_page(client, editor_client, django_user_model):
    from django.test import Client

    anonymous = Client().get(INSIGHT)
    assert anonymous.status_code == HTTPStatus.FOUND
    assert anonymous["Location"].startswith(reverse("admin:login"))
    assert editor_client.get(INSIGHT).status_code == HTTPStatus.FORBIDDEN
    clerk = Client()
    clerk.force_login(django_user_model.objects.create_user("clerk", is_staff=True))
    assert clerk.get(INSIGHT).status_code == HTTPStatus.FORBIDDEN
