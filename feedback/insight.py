"""Figures for the feedback insight page: counts and review times per page, weekly volume.

Spam is left out of every figure: it is not feedback anyone sent about a page.
Everything here reads dates in the site's time zone (TIME_ZONE), so a week runs from
Monday 00:00 to Sunday 24:00 where the team works.
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from statistics import median

from django.utils import timezone

from .models import Feedback

WEEKS = 26  # about six months
REVIEWED_STATUSES = (Feedback.Status.REVIEWED, Feedback.Status.ARCHIVED)


def counted_feedback():
    """The feedback every figure counts: all of it except spam."""
    return Feedback.objects.exclude(status=Feedback.Status.SPAM)


@dataclass
class PageFigures:
    """Feedback on one page (or on all pages): counts and how long reviews took.

    ``new`` is feedback still in status New; ``reviewed`` is in status Reviewed or
    Archived. ``review_times`` are the waits from arrival to the first change of
    status, for the feedback that has had one.
    """

    title: str
    page_id: int | None = None
    old_address: str = ""  # for a deleted page: where it was
    new: int = 0
    reviewed: int = 0
    urgent: int = 0
    total: int = 0
    review_times: list[timedelta] = field(default_factory=list)

    @property
    def median_review_time(self):
        """The median wait for a first review, or None if nothing has been reviewed."""
        return median(self.review_times) if self.review_times else None

    @property
    def median_review_label(self):
        return format_duration(self.median_review_time)

    def add(self, *, status, urgent, submitted_at, first_reviewed_at):
        self.total += 1
        self.new += status == Feedback.Status.NEW
        self.reviewed += status in REVIEWED_STATUSES
        self.urgent += bool(urgent)
        if first_reviewed_at is not None:
            # A clock set back on a server must not produce a negative wait.
            self.review_times.append(max(first_reviewed_at - submitted_at, timedelta(0)))


def page_figures(feedback=None):
    """Figures per page for ``feedback`` (default: all but spam), with one query.

    Feedback on a deleted page is grouped by the address it had, under its old
    title. Pages with urgent, then with new feedback, come first.
    """
    feedback = counted_feedback() if feedback is None else feedback
    rows = feedback.values_list(
        "page_id", "page__title", "page_title", "page_path", "status", "is_urgent",
        "submitted_at", "first_reviewed_at",
    )  # fmt: skip
    pages = {}
    for page_id, title, old_title, old_address, status, urgent, sent, reviewed in rows:
        if page_id is None:
            key, figures = (
                old_address,
                PageFigures(f"{old_title} (page deleted)", None, old_address),
            )
        else:
            key, figures = page_id, PageFigures(title, page_id)
        figures = pages.setdefault(key, figures)
        figures.add(status=status, urgent=urgent, submitted_at=sent, first_reviewed_at=reviewed)
    return sorted(pages.values(), key=lambda p: (-p.urgent, -p.new, -p.total, p.title.lower()))


def all_pages(figures):
    """The sum of per-page figures, with the median over every review time."""
    total = PageFigures("All pages")
    for page in figures:
        total.new += page.new
        total.reviewed += page.reviewed
        total.urgent += page.urgent
        total.total += page.total
        total.review_times.extend(page.review_times)
    return total


@dataclass(frozen=True)
class WeekCount:
    """How much feedback arrived in the week starting on Monday ``start``."""

    start: date
    count: int

    @property
    def end(self):
        return self.start + timedelta(days=6)


def week_start(day):
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def weekly_counts(*, page=None, weeks=WEEKS, today=None):
    """Feedback per week (on ``page``, or on all pages) for the last ``weeks`` weeks.

    Oldest first, empty weeks included. The last entry is the current week (so
    far); the first starts ``weeks - 1`` Mondays before it. Anything sent before
    that first Monday is not counted.
    """
    feedback = counted_feedback()
    if page is not None:
        feedback = feedback.filter(page=page)
    today = today or timezone.localdate()
    first = week_start(today) - timedelta(weeks=weeks - 1)
    since = timezone.make_aware(datetime.combine(first, time.min))
    counts = [0] * weeks
    for sent in feedback.filter(submitted_at__gte=since).values_list("submitted_at", flat=True):
        index = (timezone.localdate(sent) - first).days // 7
        if 0 <= index < weeks:  # a record dated in the future is left out, not miscounted
            counts[index] += 1
    return [WeekCount(first + timedelta(weeks=i), n) for i, n in enumerate(counts)]


def format_duration(duration):
    """A wait as people say it: "3 days 4 hours", "5 hours 10 minutes", "under a minute"."""
    if duration is None:
        return "—"
    minutes = int(duration.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [(days, "day"), (hours, "hour")] if days else [(hours, "hour"), (minutes, "minute")]
    words = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n]
    return " ".join(words) or "under a minute"


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    week: WeekCount


@dataclass(frozen=True)
class Chart:
    """A bar chart's geometry in SVG user units, ready for a template to draw."""

    width: int
    height: int
    left: int
    top: int
    bottom: int
    right: int
    scale_max: int
    bars: list[Bar]
    y_ticks: list[tuple[float, int]]
    x_labels: list[tuple[float, date]]

    @property
    def total(self):
        return sum(bar.week.count for bar in self.bars)

    @property
    def busiest(self):
        return max((bar.week for bar in self.bars), key=lambda w: w.count, default=None)


def nice_ceiling(value):
    """The smallest of 1, 2, 5, 10, 20, 50, ... that is at least ``value``."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    return next(step * magnitude for step in (1, 2, 5, 10) if step * magnitude >= value)


def bar_chart(weeks, *, width=720, height=240, label_every=4):
    """Lay out one bar per week; the value axis runs from 0 to a round number.

    Every ``label_every``-th week is labelled with its Monday's date under its bar.
    """
    left, right, top, bottom = 36, width - 8, 12, height - 28
    scale_max = nice_ceiling(max((w.count for w in weeks), default=0))
    slot = (right - left) / max(len(weeks), 1)
    plot_height = bottom - top
    bars = []
    for i, week in enumerate(weeks):
        bar_height = round(plot_height * week.count / scale_max, 1)
        x = round(left + i * slot + slot * 0.15, 1)
        bars.append(Bar(x, round(bottom - bar_height, 1), round(slot * 0.7, 1), bar_height, week))
    ticks = sorted({0, scale_max, *([scale_max // 2] if scale_max % 2 == 0 else [])})
    y_ticks = [(round(bottom - plot_height * t / scale_max, 1), t) for t in ticks]
    x_labels = [
        (round(left + (i + 0.5) * slot, 1), week.start)
        for i, week in enumerate(weeks)
        if i % label_every == 0
    ]
    return Chart(width, height, left, top, bottom, right, scale_max, bars, y_ticks, x_labels)
