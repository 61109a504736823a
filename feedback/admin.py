import csv
from urllib.parse import urlencode

from django.contrib import admin
from django.db.models import Count, Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from pages.admin import PageAdmin
from pages.models import Page

from .models import Feedback

# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value):
    """The cell as text a spreadsheet shows as-is: a leading quote disarms a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """The reviewers' inbox: what visitors sent stays as sent; staff set status and note."""

    list_display = [
        "submitted_at",
        "page_display",
        "name",
        "username",
        "email",
        "status",
        "excerpt",
    ]
    list_display_links = ["submitted_at"]
    list_filter = ["status", ("page", admin.RelatedOnlyFieldListFilter), "submitted_at"]
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
    ]
    fieldsets = [
        (
            "Sent by the visitor",
            {"fields": ["page_link", "submitted_at", "name", "username", "email", "comments"]},
        ),
        ("Review", {"fields": ["status", "staff_note", "reviewed_by", "reviewed_at"]}),
    ]
    actions = ["mark_reviewed", "archive", "mark_spam", "export_csv"]

    def has_add_permission(self, request):
        # Feedback only ever comes from visitors, through the form.
        return False

    def save_model(self, request, obj, form, change):
        if {"status", "staff_note"} & set(form.changed_data):
            obj.reviewed_by = request.user
            obj.reviewed_at = timezone.now()
        super().save_model(request, obj, form, change)

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

    def _set_status(self, request, queryset, status):
        # Rows already in that status keep their original reviewer and time.
        count = queryset.exclude(status=status).update(
            status=status, reviewed_by=request.user, reviewed_at=timezone.now()
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
        for feedback in queryset.select_related("reviewed_by").order_by("submitted_at"):
            writer.writerow(neutralise_cell(value) for value in csv_row(feedback))
        return response


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
