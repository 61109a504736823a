import copy
import csv
import re
from http import HTTPStatus
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.db.models.functions import Coalesce
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from reversion.models import Version

from pages import revisions
from pages.admin import register_list_column

from . import insight, reader_saw, services
from .audit import clear_urgent, record_access
from .forms import InsightForm
from .models import AccessLog, Feedback, UrgentPhrase, names_feedback
from .urgency import find_urgent_phrases, normalise

# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value):
    """The cell as text a spreadsheet shows as-is: a leading quote disarms a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


class FeedbackAdminForm(forms.ModelForm):
    """The review form: "addressed in revision" offers only the revisions of this page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("addressed_in_version")
        if field is None:  # read-only for this user
            return
        page_id = self.instance.page_id
        if page_id is None:
            # Kept as it is, so the status and note can still be saved.
            field.disabled = True
            field.help_text = "The page has been deleted, so there is no revision to choose."
            version = self.instance.addressed_in_version
            page_id = version.object_id if version else None
            field.queryset = Version.objects.filter(pk=version.pk if version else None)
        else:
            field.queryset = revisions.versions_of(page_id)
        numbers = revisions.revision_numbers(page_id) if page_id else {}
        field.label_from_instance = lambda version: revisions.revision_label(
            version, numbers.get(version.pk, "?")
        )


class ClearUrgentForm(forms.Form):
    """Why the urgent flag was wrong: required, and kept in the audit log and History."""

    reason = forms.CharField(
        label="Why is this not urgent?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="Kept with the record, in its History and in the access log. "
        "For example: “A question about overdose risk, not about the writer.”",
        error_messages={"required": "Say why, so the rest of the team can see it was checked."},
    )


def highlight_phrases(text, phrases):
    """``text``, escaped, with each stretch where one of ``phrases`` occurs in <mark>.

    Matches the way feedback/urgency.py does (whole words, ignoring case and
    punctuation); a stretch is marked from the start of its first word's chunk to
    the end of its last, a chunk being what lies between spaces.
    """
    chunks = [(m.start(), m.end(), normalise(m.group())) for m in re.finditer(r"\S+", text)]
    words = [(index, word) for index, (_, _, norm) in enumerate(chunks) for word in norm.split()]
    spans = []
    for phrase in phrases:
        needle = normalise(phrase).split()
        if not needle:
            continue
        for i in range(len(words) - len(needle) + 1):
            if [word for _, word in words[i : i + len(needle)]] == needle:
                spans.append((chunks[words[i][0]][0], chunks[words[i + len(needle) - 1][0]][1]))
    parts, at = [], 0
    for start, end in sorted(spans):
        if start < at:  # overlaps a stretch already marked
            start = at
        if start >= end:
            continue
        parts.append(escape(text[at:start]))
        parts.append(format_html("<mark>{}</mark>", text[start:end]))
        at = end
    parts.append(escape(text[at:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


class MailFilter(admin.SimpleListFilter):
    """Feedback whose notification mail failed: waiting for a retry, or given up."""

    title = "notification mail"
    parameter_name = "mail"

    def lookups(self, request, model_admin):
        return [("failing", "Failing")]

    def queryset(self, request, queryset):
        if self.value() == "failing":
            return queryset.filter(mail_failures__gt=0)
        return queryset


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """The reviewers' inbox: what visitors sent stays as sent; staff set status and note.

    Urgent feedback that is still new comes first, flagged.
    """

    form = FeedbackAdminForm
    # An inbox row: what needs attention, then where, when, who and the start of the text.
    list_display = ["state", "page_display", "sent", "name", "excerpt"]
    list_display_links = ["sent", "excerpt"]
    list_filter = [
        "status",
        "is_urgent",
        MailFilter,
        ("page", admin.RelatedOnlyFieldListFilter),
        "submitted_at",
    ]
    search_fields = [
        "name",
        "username",
        "email",
        "comments",
        "page_title",
        "page__title",
        "staff_note",
    ]
    search_help_text = "Words from the comments, the name, username, email, page title or note."
    ordering = ["-submitted_at"]
    date_hierarchy = "submitted_at"
    list_select_related = ["page"]
    list_per_page = 50
    readonly_fields = [
        "comments_in_full",
        "urgent_state",
        "page_link",
        "submitted_at",
        "name",
        "username",
        "email",
        "reviewed_by",
        "reviewed_at",
        "first_reviewed_at",
        "spam_reason",
        "notified_at",
        "alerted_at",
        "mail_failures",
        "reader_saw",
    ]
    # The visitor's words first, in full; then who sent them, the review, and the page.
    fieldsets = [
        ("What the visitor wrote", {"fields": ["comments_in_full"]}),
        (
            "Sent by the visitor",
            {"fields": ["urgent_state", "page_link", "submitted_at", "name", "username", "email"]},
        ),
        (
            "Review",
            {
                "fields": [
                    "status",
                    "staff_note",
                    "reviewed_by",
                    "reviewed_at",
                    "first_reviewed_at",
                    "spam_reason",
                ]
            },
        ),
        (
            "Notification mail",
            {
                "classes": ["collapse"],
                "fields": ["notified_at", "alerted_at", "mail_failures"],
            },
        ),
        ("What the reader saw", {"fields": ["reader_saw", "addressed_in_version"]}),
    ]
    actions = ["mark_reviewed", "archive", "mark_spam", "mark_not_spam", "export_csv"]

    class Media:
        css = {"all": ["css/admin-pages.css", "css/admin-feedback.css"]}

    def get_ordering(self, request):
        # Urgent feedback no one has reviewed yet goes to the top of the list.
        urgent_and_new = Case(
            When(is_urgent=True, status=Feedback.Status.NEW, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
        return [urgent_and_new.desc(), *self.ordering]

    def has_add_permission(self, request):
        # Feedback only ever comes from visitors, through the form.
        return False

    def save_model(self, request, obj, form, change):
        if {"status", "staff_note", "addressed_in_version"} & set(form.changed_data):
            obj.reviewed_by = request.user
            obj.reviewed_at = timezone.now()
        leaves_new = "status" in form.changed_data and obj.status != Feedback.Status.NEW
        if leaves_new and obj.first_reviewed_at is None:
            obj.first_reviewed_at = obj.reviewed_at
        super().save_model(request, obj, form, change)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("insight/", view(self.insight_view), name="feedback_feedback_insight"),
            path(
                "<path:object_id>/clear-urgent/",
                view(self.clear_urgent_view),
                name="feedback_feedback_clear_urgent",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), **self.inbox_context(request, object_id)}
        response = super().change_view(request, object_id, form_url, extra_context)
        # Every answer that shows the record is a reading of it, a form sent back with its
        # errors included; a refused or missing record, or a save's redirect, shows nothing.
        if response.status_code == HTTPStatus.OK:
            record_access(
                user=request.user,
                action=AccessLog.Action.VIEWED,
                feedback_ids=[unquote(object_id)],
            )
        return response

    def inbox_context(self, request, object_id):
        """Previous and next in the list the reviewer came from, and the urgent flag."""
        feedback = self.get_object(request, unquote(object_id))
        if feedback is None:
            return {}
        filters = request.GET.get("_changelist_filters", "")
        context = {"pager": self.pager(request, feedback.pk, filters)}
        if feedback.is_urgent and self.has_change_permission(request, feedback):
            url = reverse("admin:feedback_feedback_clear_urgent", args=[feedback.pk])
            context["clear_urgent_url"] = with_filters(url, filters)
        return context

    def pager(self, request, pk, filters):
        """Where ``pk`` stands in the list as filtered, searched and sorted by ``filters``
        (the admin's preserved ``_changelist_filters``), with links to its neighbours."""
        listing = copy.copy(request)
        listing.GET = QueryDict(filters)
        try:
            changelist = self.get_changelist_instance(listing)
            pks = list(changelist.queryset.values_list("pk", flat=True))
        except (IncorrectLookupParameters, SuspiciousOperation, ValueError):
            # Filters that no longer make sense (a tampered or outdated address): no pager.
            return None
        if pk not in pks:
            return None
        at = pks.index(pk)

        def link(index):
            if not 0 <= index < len(pks):
                return ""
            url = reverse("admin:feedback_feedback_change", args=[pks[index]])
            return with_filters(url, filters)

        return {
            "position": at + 1,
            "total": len(pks),
            "previous": link(at - 1),
            "next": link(at + 1),
        }

    def clear_urgent_view(self, request, object_id):
        """Ask why the urgent flag is wrong, then clear it; the reason is required."""
        feedback = self.get_object(request, unquote(object_id))
        if feedback is None:
            self.message_user(request, "That feedback does not exist.", messages.WARNING)
            return HttpResponseRedirect(reverse("admin:feedback_feedback_changelist"))
        if not self.has_change_permission(request, feedback):
            raise PermissionDenied
        filters = request.GET.get("_changelist_filters", "")
        change_url = with_filters(
            reverse("admin:feedback_feedback_change", args=[feedback.pk]), filters
        )
        if not feedback.is_urgent:
            self.message_user(request, "This feedback is not flagged urgent.", messages.INFO)
            return HttpResponseRedirect(change_url)
        form = ClearUrgentForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            clear_urgent(feedback=feedback, user=request.user, reason=form.cleaned_data["reason"])
            self.message_user(request, "The urgent flag is cleared; your reason is kept.")
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Clear the urgent flag",
            "feedback": feedback,
            "form": form,
            "phrases": matched_phrases(feedback),
            "change_url": change_url,
        }
        status = HTTPStatus.BAD_REQUEST if form.is_bound else HTTPStatus.OK
        return TemplateResponse(
            request, "admin/feedback/feedback/clear_urgent.html", context, status=status
        )

    def insight_view(self, request):
        """Counts and review times per page and a weekly chart; no visitor's words."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = InsightForm(request.GET or None)
        chosen = form.cleaned_data["page"] if form.is_valid() else None
        figures = insight.page_figures()
        weeks = insight.weekly_counts(page=chosen)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Feedback insight",
            "form": form,
            "chosen": chosen,
            "figures": figures,
            "all_pages": insight.all_pages(figures),
            "weeks": weeks,
            "chart": insight.bar_chart(weeks),
        }
        status = 400 if form.is_bound and not form.is_valid() else 200
        return TemplateResponse(
            request, "admin/feedback/feedback/insight.html", context, status=status
        )

    @admin.display(description="page", ordering="page_title")
    def page_display(self, feedback):
        if feedback.page is None:
            return f"{feedback.page_title} (page deleted)"
        return feedback.page.title

    @admin.display(description="page")
    def page_link(self, feedback):
        if feedback.page is None:
            return f"{feedback.page_title} (page deleted; it was at {feedback.page_path})"
        return format_html(
            '<a href="{}">{}</a>', feedback.page.get_absolute_url(), feedback.page.title
        )

    @admin.display(description="comments")
    def excerpt(self, feedback):
        # Cut short here, and to two lines by the style sheet.
        return format_html('<span class="feedback-excerpt">{}</span>', feedback.excerpt)

    @admin.display(description="status", ordering="status")
    def state(self, feedback):
        """The status as a word, after a red URGENT badge when the comments need it."""
        status = format_html(
            '<span class="feedback-status status-{}">{}</span>',
            feedback.status,
            feedback.get_status_display(),
        )
        if not feedback.is_urgent:
            return status
        return format_html('<strong class="urgent-flag">URGENT</strong> {}', status)

    @admin.display(description="sent", ordering="submitted_at")
    def sent(self, feedback):
        # Day and time on their own lines: the narrowest a date can be and stay plain.
        moment = timezone.localtime(feedback.submitted_at)
        return format_html(
            '<time datetime="{}">{} <br>{}</time>',
            moment.isoformat(timespec="minutes"),
            date_format(moment, "j M Y"),
            date_format(moment, "H:i"),
        )

    @admin.display(description="comments")
    def comments_in_full(self, feedback):
        """The whole text as sent, line breaks kept, with the urgent phrases marked."""
        return format_html(
            '<div class="feedback-comments-text">{}</div>',
            highlight_phrases(feedback.comments, matched_phrases(feedback)),
        )

    @admin.display(description="urgent")
    def urgent_state(self, feedback):
        """Urgency in words (never a tick), the phrases found and any clearing."""
        if feedback.is_urgent:
            phrases = matched_phrases(feedback)
            found = (
                format_html_join(", ", "“{}”", ((phrase,) for phrase in phrases))
                if phrases
                else "none of today's urgent phrases (the list has changed since)"
            )
            return format_html(
                '<strong class="urgent-flag">URGENT</strong> Words found: {}.', found
            )
        if feedback.urgent_cleared_at:
            who = feedback.urgent_cleared_by
            return format_html(
                "Not urgent: the flag was cleared by {} on {}. Reason: {}",
                who.get_username() if who else "a deleted account",
                date_format(timezone.localtime(feedback.urgent_cleared_at), "DATETIME_FORMAT"),
                feedback.urgent_cleared_reason,
            )
        return "Not urgent"

    @admin.display(description="the page then and now")
    def reader_saw(self, feedback):
        """The revision the visitor read, and how the page has changed since."""
        return render_to_string(
            "admin/feedback/feedback/reader_saw.html", reader_saw_context(feedback)
        )

    def _set_status(self, request, queryset, status):
        # Rows already in that status keep their original reviewer and time.
        now = timezone.now()
        # Only what the History entry's text (Feedback.__str__) needs, not the visitors' words.
        changing = list(
            queryset.exclude(status=status).select_related(None).only("page_title", "submitted_at")
        )
        count = Feedback.objects.filter(pk__in=[item.pk for item in changing]).update(
            status=status,
            reviewed_by=request.user,
            reviewed_at=now,
            first_reviewed_at=Coalesce("first_reviewed_at", Value(now)),
        )
        label = Feedback.Status(status).label
        # One History entry per record, as a change through its own form would leave.
        LogEntry.objects.log_actions(
            user_id=request.user.pk,
            queryset=changing,
            action_flag=CHANGE,
            change_message=f"Status set to {label} (bulk action).",
        )
        self.message_user(request, f"{count} feedback marked as {label.lower()}.")

    @admin.action(description="Mark selected feedback as reviewed", permissions=["change"])
    def mark_reviewed(self, request, queryset):
        self._set_status(request, queryset, Feedback.Status.REVIEWED)

    @admin.action(description="Archive selected feedback", permissions=["change"])
    def archive(self, request, queryset):
        self._set_status(request, queryset, Feedback.Status.ARCHIVED)

    @admin.action(description="Mark selected feedback as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._set_status(request, queryset, Feedback.Status.SPAM)

    @admin.action(description="Not spam: back to new, and tell the team", permissions=["change"])
    def mark_not_spam(self, request, queryset):
        """Spam a reviewer judged wrongly: new again, and mailed about as it should have been."""
        restored = list(queryset.filter(status=Feedback.Status.SPAM).select_related(None))
        count = services.restore_from_spam(queryset=queryset, reviewer=request.user)
        LogEntry.objects.log_actions(
            user_id=request.user.pk,
            queryset=restored,
            action_flag=CHANGE,
            change_message="Marked as not spam (bulk action): back to New.",
        )
        self.message_user(request, f"{count} feedback moved from spam back to new.")

    @admin.action(description="Export selected feedback as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        """A spreadsheet-safe CSV of the selected feedback, oldest first."""
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"feedback-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response.write("\ufeff")  # lets Excel read the file as UTF-8
        writer = csv.writer(response)
        writer.writerow(CSV_COLUMNS)
        exported = []
        rows = queryset.select_related(
            "reviewed_by", "addressed_in_version__revision__user"
        ).order_by("submitted_at")
        numbers = RevisionNumbers()
        for feedback in rows:
            writer.writerow(neutralise_cell(value) for value in csv_row(feedback, numbers))
            exported.append(feedback.pk)
        record_access(user=request.user, action=AccessLog.Action.EXPORTED, feedback_ids=exported)
        return response


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Who opened or exported which feedback: superusers may read it, nobody may edit it."""

    list_display = ["at", "username", "action", "count", "some_records"]
    list_filter = ["action", ("user", admin.RelatedOnlyFieldListFilter), "at"]
    search_fields = ["username"]
    search_help_text = "A username, or a feedback record's number to see who read it."
    ordering = ["-at", "-pk"]
    date_hierarchy = "at"
    list_select_related = ["user"]
    fields = ["at", "username", "user", "action", "count", "records", "note"]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    # Entries are written by the site alone; nobody, superusers included, may alter them.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip().lstrip("#")
        # isdigit() would let "²" through, which int() refuses; a record number has
        # at most 19 digits (a bigint), and Python refuses to parse past 4300.
        if term.isdecimal() and len(term) <= 19:
            return queryset.filter(Q(username__icontains=term) | Q(names_feedback(term))), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description="feedback records")
    def records(self, entry):
        return feedback_links(entry.feedback_ids)

    @admin.display(description="feedback records")
    def some_records(self, entry):
        return feedback_links(entry.feedback_ids, limit=10)


def feedback_links(ids, limit=None):
    """Links to the feedback records, the first ``limit`` of them and a count of the rest."""
    shown = ids if limit is None else ids[:limit]
    links = format_html_join(
        ", ",
        '<a href="{}">#{}</a>',
        ((reverse("admin:feedback_feedback_change", args=[pk]), pk) for pk in shown),
    )
    rest = len(ids) - len(shown)
    return format_html("{} and {} more", links, rest) if rest else links


def with_filters(url, filters):
    """``url`` carrying the changelist's preserved filters, as the admin's own links do."""
    return f"{url}?{urlencode({'_changelist_filters': filters})}" if filters else url


def matched_phrases(feedback):
    """The active urgent phrases that occur in the comments."""
    return find_urgent_phrases(feedback.comments, UrgentPhrase.objects.active_phrases())


def reader_saw_context(feedback):
    """The revision the visitor read, rendered as the article they saw, changes since marked."""
    version = feedback.page_version
    if version is None:
        return {"version": None}
    page = feedback.page
    context = {
        "version": version,
        "label": revisions.revision_label(
            version, revisions.revision_numbers(version.object_id).get(version.pk, "?")
        ),
        "page": page,
        "article": reader_saw.article(version, page),
    }
    if page is not None:
        changes = revisions.compare(version, page)
        context["changed"] = bool(changes)
        context["other_changes"] = reader_saw.not_shown(changes)
    return context


class RevisionNumbers:
    """Each page's revision numbers, looked up once per page during an export."""

    def __init__(self):
        self.by_page = {}

    def label(self, version):
        if version is None:
            return ""
        page_pk = version.object_id
        if page_pk not in self.by_page:
            self.by_page[page_pk] = revisions.revision_numbers(page_pk)
        return revisions.revision_label(version, self.by_page[page_pk].get(version.pk, "?"))


def local_iso(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


# Each column of the export: its heading, and its value for one feedback.
CSV_FIELDS = [
    ("id", lambda feedback, numbers: feedback.pk),
    ("sent", lambda feedback, numbers: local_iso(feedback.submitted_at)),
    ("page title", lambda feedback, numbers: feedback.page_title),
    ("page address", lambda feedback, numbers: feedback.page_path),
    ("name", lambda feedback, numbers: feedback.name),
    ("username", lambda feedback, numbers: feedback.username),
    ("email", lambda feedback, numbers: feedback.email),
    ("comments", lambda feedback, numbers: feedback.comments),
    ("status", lambda feedback, numbers: feedback.get_status_display()),
    ("urgent", lambda feedback, numbers: "yes" if feedback.is_urgent else "no"),
    ("spam reason", lambda feedback, numbers: feedback.spam_reason),
    ("staff note", lambda feedback, numbers: feedback.staff_note),
    (
        "reviewed by",
        lambda feedback, numbers: (
            feedback.reviewed_by.get_username() if feedback.reviewed_by else ""
        ),
    ),
    ("reviewed at", lambda feedback, numbers: local_iso(feedback.reviewed_at)),
    (
        "addressed in revision",
        lambda feedback, numbers: numbers.label(feedback.addressed_in_version),
    ),
]
CSV_COLUMNS = [heading for heading, _ in CSV_FIELDS]


def csv_row(feedback, numbers):
    return [value(feedback, numbers) for _, value in CSV_FIELDS]


def with_new_feedback_count(queryset):
    # One annotated query for the whole list, not one count per row.
    return queryset.annotate(
        new_feedback_count=Count("feedback", filter=Q(feedback__status=Feedback.Status.NEW))
    )


@admin.display(description="new feedback", ordering="new_feedback_count")
def new_feedback(page):
    if not page.new_feedback_count:
        return "0"
    query = urlencode({"page__id__exact": page.pk, "status__exact": Feedback.Status.NEW})
    url = f"{reverse('admin:feedback_feedback_changelist')}?{query}"
    return format_html('<a href="{}">{}</a>', url, page.new_feedback_count)


# Each page's count of new feedback on the Pages list, for those who may read feedback
# (through the pages app's extension point: `pages` does not know about `feedback`).
register_list_column(
    new_feedback, permission="feedback.view_feedback", annotate=with_new_feedback_count
)


@admin.register(UrgentPhrase)
class UrgentPhraseAdmin(admin.ModelAdmin):
    """The words that mark new feedback urgent. Untick a phrase rather than delete it."""

    list_display = ["phrase", "active", "notes"]
    list_editable = ["active"]
    list_filter = ["active"]
    search_fields = ["phrase", "notes"]
    ordering = ["phrase"]
    fields = ["phrase", "active", "notes"]
