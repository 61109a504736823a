from django.contrib import admin
from django.utils.html import format_html

from .models import Page


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    """The editors' workspace: the page tree, with everyday fields first."""

    list_display = [
        "indented_title",
        "status",
        "show_in_menu",
        "position",
        "updated_at",
        "open_link",
    ]
    list_display_links = ["indented_title"]
    list_filter = [
        "status",
        "show_in_menu",
        "accepts_feedback",
        ("parent", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "body", "summary"]
    ordering = ["path"]
    list_select_related = ["parent"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["parent"]
    readonly_fields = ["path", "created_at", "updated_at"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "parent", "status", "summary", "body"]}),
        ("Epigraph", {"fields": ["epigraph_quote", "epigraph_person", "epigraph_role"]}),
        ("Figure and byline", {"fields": ["figure", "figure_alt", "figure_caption", "byline"]}),
        (
            "Menu, schedule and feedback",
            {
                "classes": ["collapse"],
                "fields": [
                    "position",
                    "show_in_menu",
                    "is_home",
                    "publish_at",
                    "accepts_feedback",
                    "path",
                    "created_at",
                    "updated_at",
                ],
            },
        ),
    ]

    @admin.display(description="title", ordering="path")
    def indented_title(self, page):
        # A dash per level: the admin strips leading spaces, and the CSP forbids inline styles.
        return f"{'— ' * page.depth}{page.title}"

    @admin.display(description="on the site")
    def open_link(self, page):
        label = "View live" if page.status == Page.Status.PUBLISHED else "Preview draft"
        return format_html('<a href="{}" target="_blank">{}</a>', page.get_absolute_url(), label)
