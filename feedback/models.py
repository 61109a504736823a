from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models.functions import Cast
from django.db.models.lookups import Regex
from django.utils import timezone
from django.utils.text import Truncator

from pages.models import Page

from .urgency import normalise


class Feedback(models.Model):
    """A visitor's private critique of a page, and the staff's review of it.

    The visitor's words are kept exactly as sent (after trimming) and are never
    shown on the public site. No IP address or user agent is stored.
    """

    class Status(models.TextChoices):
        NEW = "new", "New"
        REVIEWED = "reviewed", "Reviewed"
        ARCHIVED = "archived", "Archived"
        SPAM = "spam", "Spam"

    # The fields the visitor fills in, in the order the form shows them.
    VISITOR_FIELDS = ("username", "name", "email", "comments")

    page = models.ForeignKey(
        Page,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
        help_text="Empty if the page has since been deleted; its title and address are kept below.",
    )
    page_title = models.CharField(
        max_length=200, help_text="The page's title when the feedback was sent."
    )
    page_path = models.CharField(
        "page address", max_length=500, help_text="The page's address when the feedback was sent."
    )
    username = models.CharField(max_length=150, blank=True)
    name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    comments = models.TextField(max_length=5000)
    submitted_at = models.DateTimeField("sent", default=timezone.now, db_index=True)
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.NEW,
        db_index=True,
        help_text="New until someone on the team has read it. Spam and archived stay out of the "
        "way but are kept until purged.",
    )
    staff_note = models.TextField(
        blank=True, help_text="For the team only: what was done about it, or why not."
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who last changed the status or the note.",
    )
    reviewed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the status or the note last changed."
    )
    first_reviewed_at = models.DateTimeField(
        "first reviewed",
        null=True,
        blank=True,
        help_text="When the status first changed from New: the end of its wait for review.",
    )
    is_urgent = models.BooleanField(
        "urgent",
        default=False,
        editable=False,
        db_index=True,
        help_text="The comments used words about suicide or self-harm (see Urgent phrases). "
        "Urgent feedback is listed first until it is reviewed.",
    )
    page_version = models.ForeignKey(
        "reversion.Version",
        verbose_name="revision read",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The saved revision of the page the visitor was reading when they wrote.",
    )
    addressed_in_version = models.ForeignKey(
        "reversion.Version",
        verbose_name="addressed in revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The revision of the page that dealt with this feedback, if one did.",
    )
    urgent_cleared_at = models.DateTimeField(
        "urgent flag cleared",
        null=True,
        blank=True,
        editable=False,
        help_text="When a reviewer decided the urgent flag was a false alarm.",
    )
    urgent_cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="urgent flag cleared by",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    urgent_cleared_reason = models.TextField(
        "why the urgent flag was cleared",
        blank=True,
        editable=False,
        help_text="The reviewer's reason, also kept in the access log and the History.",
    )
    spam_reason = models.CharField(
        max_length=200,
        blank=True,
        help_text="Why the site filed this as spam when it arrived (empty if it did not). "
        "Spam is never emailed to the team and is deleted after FEEDBACK_SPAM_DAYS.",
    )
    # A keyed digest of the page and the visitor's fields, so that the same submission
    # sent again (a double click, a resend) is recognised; cleared after a day, and
    # unique so that two identical posts at the same moment store one row.
    submission_digest = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    alerted_at = models.DateTimeField(
        "urgent alert sent",
        null=True,
        blank=True,
        editable=False,
        help_text="When the urgent alert about this feedback was emailed.",
    )
    notified_at = models.DateTimeField(
        "team told",
        null=True,
        blank=True,
        editable=False,
        help_text="When the team's notification about this feedback was emailed.",
    )
    mail_failures = models.PositiveSmallIntegerField(
        "failed mail attempts",
        default=0,
        editable=False,
        help_text="Attempts to email the team about it that failed in a row; 0 once sent.",
    )

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = "feedback"
        verbose_name_plural = "feedback"

    def __str__(self):
        # No name here: this text is copied into the admin's History and "Recent actions",
        # which must not say who wrote.
        sent = timezone.localtime(self.submitted_at)
        return f"Feedback #{self.pk} on “{self.page_title}” ({sent:%Y-%m-%d %H:%M})"

    def save(self, *args, **kwargs):
        """Snapshot the page's title and address when the feedback is first stored."""
        if self._state.adding and self.page_id and not self.page_path:
            self.page_title = self.page.title
            self.page_path = self.page.get_absolute_url()
        super().save(*args, **kwargs)

    # Enough for two lines of the inbox list, never the whole of a long text: the list is
    # not an opening of the record, so it must not carry all of it (see AccessLog).
    EXCERPT_CHARS = 200

    @property
    def excerpt(self):
        return Truncator(" ".join(self.comments.split())).chars(self.EXCERPT_CHARS)


def names_feedback(feedback_id):
    """A filter condition: the access log entry names feedback record ``feedback_id``.

    Works on every database: the ids are a JSON list, and in its text a whole
    number stands between non-digits.
    """
    pattern = rf"(^|[^0-9]){int(feedback_id)}([^0-9]|$)"
    return Regex(Cast("feedback_ids", models.TextField()), pattern)


class AccessLogQuerySet(models.QuerySet):
    def involving(self, feedback_id):
        """Entries that name the feedback record ``feedback_id``."""
        return self.filter(names_feedback(feedback_id))


class AccessLog(models.Model):
    """Who opened or exported which feedback, and when: an append-only record.

    It keeps ids only, so it outlives purged feedback without keeping visitors' words,
    and the staff member's username, so it outlives their account.
    """

    class Action(models.TextChoices):
        VIEWED = "viewed", "Viewed"
        EXPORTED = "exported", "Exported"
        CLEARED_URGENT = "unflagged", "Cleared the urgent flag"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty if the account has since been deleted; the username is kept.",
    )
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=10, choices=Action.choices)
    at = models.DateTimeField("when", default=timezone.now, db_index=True)
    feedback_ids = models.JSONField("feedback ids", default=list)
    count = models.PositiveIntegerField("records", default=0)
    note = models.TextField(
        blank=True, help_text="The reason given, for actions that need one (clearing urgent)."
    )

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "feedback access"
        verbose_name_plural = "feedback access log"
        # No add/change/delete permissions to grant: entries are written by the site only.
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.username} {self.action} {self.count} feedback at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        """Store a new entry; an existing one is never rewritten."""
        if not self._state.adding:
            raise ValueError("Access log entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Access log entries cannot be deleted.")


class UrgentPhraseManager(models.Manager):
    def active_phrases(self):
        """The phrases currently used to mark feedback urgent, in order.

        Read on every feedback post, so in plain SQL: compiling the same query through
        the ORM costs several times running it (README, "Performance").
        """
        with connections[self.db].cursor() as cursor:
            cursor.execute(_active_phrases_sql(connections[self.db]))
            return [phrase for (phrase,) in cursor.fetchall()]


def _active_phrases_sql(connection):
    quote = connection.ops.quote_name
    phrase = quote(UrgentPhrase._meta.get_field("phrase").column)
    active = quote(UrgentPhrase._meta.get_field("active").column)
    table = quote(UrgentPhrase._meta.db_table)
    # Only the model's own quoted names are interpolated.
    return f"SELECT {phrase} FROM {table} WHERE {active} ORDER BY {phrase}"  # noqa: S608


class UrgentPhrase(models.Model):
    """Words about suicide or self-harm that mark new feedback urgent.

    Matched as whole words, ignoring letter case, punctuation and extra spaces
    (feedback/urgency.py). Read afresh for every submission: posts are rare, and a
    phrase added on one server must count on all of them at once.
    """

    phrase = models.CharField(
        max_length=100,
        unique=True,
        help_text="Matched as whole words, ignoring capitals, punctuation and extra spaces: "
        "“self harm” also matches “Self-harm” but “kill myself” does not match “skill myself”.",
    )
    active = models.BooleanField(
        default=True, help_text="Untick to stop using this phrase without losing it."
    )
    notes = models.TextField(blank=True, help_text="For the team: why this phrase is here.")

    objects = UrgentPhraseManager()

    class Meta:
        ordering = ["phrase"]
        verbose_name = "urgent phrase"
        verbose_name_plural = "urgent phrases"

    def __str__(self):
        return self.phrase

    def clean(self):
        """Refuse a phrase with no words, or one that matches exactly what another does."""
        self.phrase = " ".join(self.phrase.split())
        words = normalise(self.phrase)
        if not words:
            raise ValidationError(
                {"phrase": ValidationError("Type at least one word.", code="no_words")}
            )
        for other in UrgentPhrase.objects.exclude(pk=self.pk).only("phrase"):
            if normalise(other.phrase) == words:
                raise ValidationError(
                    {
                        "phrase": ValidationError(
                            "“%(other)s” already matches the same words.",
                            code="duplicate_phrase",
                            params={"other": other.phrase},
                        )
                    }
                )


class RateLimitCounter(models.Model):
    """How many feedback posts one client made in its current window, when the
    counts are kept in the database (feedback/ratelimit.py): every worker and app
    server sees the same row, and no visitor can make it go away."""

    key_digest = models.CharField(
        max_length=64,
        unique=True,
        help_text="A keyed hash of the client's address, never the address.",
    )
    window_start = models.DateTimeField(
        db_index=True, help_text="When this client's first post of the window came."
    )
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["window_start"]
        verbose_name = "rate limit counter"
        verbose_name_plural = "rate limit counters"

    def __str__(self):
        return f"{self.count} since {self.window_start:%Y-%m-%d %H:%M:%S}"
