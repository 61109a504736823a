import csv
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from reversion.models import Version

from pages import revisions
from pages.admin import PageAdmin
from pages.models import Page

from . import insight
from .audit import record_access
from .forms import InsightForm
from .models import AccessLog, Feedback, UrgentPhrase, names_feedback

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


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """The reviewers' inbox: what visitors sent stays as sent; staff set status and note.

    Urgent feedback that is still new comes first, flagged.
    """

    form = FeedbackAdminForm
    list_display = [
        "urgent_flag",
        "submitted_at",
        "page_display",
        "name",
        "username",
        "email",
        "status",
        "excerpt",
    ]
    list_display_links = ["submitted_at"]
    list_filter = [
        "status",
        "is_urgent",
        ("page", admin.RelatedOnlyFieldListFilter),
        "submitted_at",
    ]
    search_fields = ["name", "username", "email", "comments"]
    ordering = ["-submitted_at"]
    date_hierarchy = "submitted_at"
    list_select_related = ["page"]
    list_per_page = 50
    readonly_fields = [
        "page_link",
        "submitted_at",
        "name",
        "username",
        "email",
        "comments",
        "reviewed_by",
        "reviewed_at",
        "first_reviewed_at",
        "is_urgent",
        "reader_saw",
    ]
    fieldsets = [
        (
            "Sent by the visitor",
            {
                "fields": [
                    "is_urgent",
                    "page_link",
                    "submitted_at",
                    "name",
                    "username",
                    "email",
                    "comments",
                ]
            },
        ),
        ("What the reader saw", {"fields": ["reader_saw", "addressed_in_version"]}),
        (
            "Review",
            {
                "fields": [
                    "status",
                    "staff_note",
                    "reviewed_by",
                    "reviewed_at",
                    "first_reviewed_at",
                ]
            },
        ),
    ]
    actions = ["mark_reviewed", "archive", "mark_spam", "export_csv"]

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
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        # Only a record actually shown was read: a refused or missing one answers otherwise.
        if request.method == "GET" and response.status_code == 200:
            record_access(
                user=request.user,
                action=AccessLog.Action.VIEWED,
                feedback_ids=[unquote(object_id)],
            )
        return response

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
        return feedback.excerpt

    @admin.display(description="urgent", ordering="is_urgent")
    def urgent_flag(self, feedback):
        if not feedback.is_urgent:
            return ""
        return format_html('<strong class="urgent-flag">{}</strong>', "URGENT")

    @admin.display(description="the page then and now")
    def reader_saw(self, feedback):
        """The revision the visitor read, and how the page has changed since."""
        return render_to_string(
            "admin/feedback/feedback/reader_saw.html", reader_saw_context(feedback)
        )

    def _set_status(self, request, queryset, status):
        # Rows already in that status keep their original reviewer and time.
        now = timezone.now()
        count = queryset.exclude(status=status).update(
            status=status,
            reviewed_by=request.user,
            reviewed_at=now,
            first_reviewed_at=Coalesce("first_reviewed_at", Value(now)),
        )
        label = Feedback.Status(status).label.lower()
        self.message_user(request, f"{count} feedback marked as {label}.")

    @admin.action(description="Mark selected feedback as reviewed", permissions=["change"])
    def mark_reviewed(self, request, queryset):
        self._set_status(request, queryset, Feedback.Status.REVIEWED)

    @admin.action(description="Archive selected feedback", permissions=["change"])
    def archive(self, request, queryset):
        self._set_status(request, queryset, Feedback.Status.ARCHIVED)

    @admin.action(description="Mark selected feedback as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._set_status(request, queryset, Feedback.Status.SPAM)

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
        for feedback in queryset.select_related("reviewed_by").order_by("submitted_at"):
            writer.writerow(neutralise_cell(value) for value in csv_row(feedback))
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
    fields = ["at", "username", "user", "action", "count", "records"]
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


def reader_saw_context(feedback):
    version = feedback.page_version
    if version is None:
        return {"version": None}
    context = {
        "version": version,
        "label": revisions.revision_label(
            version, revisions.revision_numbers(version.object_id).get(version.pk, "?")
        ),
        "body_read": revisions.revision_values(version).get("body", ""),
        "page": feedback.page,
    }
    if feedback.page is not None:
        changes = revisions.compare(version, feedback.page)
        context["text_changes"] = [change for change in changes if change.diff]
        context["other_changes"] = [change for change in changes if not change.diff]
    return context


CSV_COLUMNS = [
    "id",
    "sent",
    "page title",
    "page address",
    "name",
    "username",
    "email",
    "comments",
    "status",
    "staff note",
    "reviewed by",
    "reviewed at",
]


def csv_row(feedback):
    return [
        feedback.pk,
        timezone.localtime(feedback.submitted_at).isoformat(timespec="seconds"),
        feedback.page_title,
        feedback.page_path,
        feedback.name,
        feedback.username,
        feedback.email,
        feedback.comments,
        feedback.get_status_display(),
        feedback.staff_note,
        feedback.reviewed_by.get_username() if feedback.reviewed_by else "",
        timezone.localtime(feedback.reviewed_at).isoformat(timespec="seconds")
        if feedback.reviewed_at
        else "",
    ]


admin.site.unregister(Page)


@admin.register(Page)
class PageWithFeedbackAdmin(PageAdmin):
    """The pages admin, plus each page's count of new feedback for those who may read it.

    Lives here because `pages` does not know about `feedback`.
    """

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not request.user.has_perm("feedback.view_feedback"):
            return queryset
        # One annotated query for the whole list, not one count per row.
        return queryset.annotate(
            new_feedback_count=Count("feedback", filter=Q(feedback__status=Feedback.Status.NEW))
        )

    def get_list_display(self, request):
        list_display = list(super().get_list_display(request))
        if request.user.has_perm("feedback.view_feedback"):
            list_display.append("new_feedback")
        return list_display

    @admin.display(description="new feedback", ordering="new_feedback_count")
    def new_feedback(self, page):
        if not page.new_feedback_count:
            return "0"
        query = urlencode({"page__id__exact": page.pk, "status__exact": Feedback.Status.NEW})
        url = f"{reverse('admin:feedback_feedback_changelist')}?{query}"
        return format_html('<a href="{}">{}</a>', url, page.new_feedback_count)


@admin.register(UrgentPhrase)
class UrgentPhraseAdmin(admin.ModelAdmin):
    """The words that mark new feedback urgent. Untick a phrase rather than delete it."""

    list_display = ["phrase", "active", "notes"]
    list_editable = ["active"]
    list_filter = ["active"]
    search_fields = ["phrase", "notes"]
    ordering = ["phrase"]
    fields = ["phrase", "active", "notes"]
