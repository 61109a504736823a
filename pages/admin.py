from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField, Exists, F, Func, OuterRef, Q, Subquery, Value
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import Cast, Concat
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from reversion import set_comment
from reversion.admin import VersionAdmin

from . import revisions, workflow
from .admin_workflow import WorkflowAdminMixin, live_comparison
from .forms import ImageForm
from .locking import LockedModelForm
from .models import Image, Page, PageReviewEvent, Redirect, SiteSettings, Source
from .readability import target_grade
from .views import render_page

# Enough to find a page by a word of its title; a longer list needs a better word.
CHOOSER_RESULTS = 20


class MedicalReviewFilter(admin.SimpleListFilter):
    """Pages by the state of their medical review, as the review report counts them."""

    title = "medical review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue"), ("missing", "Never reviewed"), ("current", "Up to date")]

    def queryset(self, request, queryset):
        return {
            "overdue": queryset.review_overdue,
            "missing": queryset.review_missing,
            "current": queryset.review_up_to_date,
        }.get(self.value(), queryset.all)()


class ReadingGradeFilter(admin.SimpleListFilter):
    """Pages harder to read than the site's target grade (READABILITY_TARGET_GRADE)."""

    title = "reading grade"
    parameter_name = "reading"

    def lookups(self, request, model_admin):
        target = f"{target_grade():g}"
        return [("above", f"Above grade {target}"), ("within", f"Grade {target} or below")]

    def queryset(self, request, queryset):
        if self.value() == "above":
            return queryset.above_reading_target()
        if self.value() == "within":
            return queryset.filter(reading_grade__lte=target_grade())
        return queryset


class SourceInline(admin.TabularInline):
    """The page's sources, edited on the page form and saved in the page's revisions."""

    model = Source
    fields = ["title", "publisher", "year", "url", "position"]
    extra = 1

    def get_extra(self, request, obj=None, **kwargs):
        version = getattr(request, "page_revision", None)
        if version is not None:
            # One row per source the revision had (see PageAdmin.get_formset_kwargs).
            return len(revisions.revision_sources(version))
        return super().get_extra(request, obj, **kwargs)


@dataclass(frozen=True)
class ListColumn:
    """A column another app adds to the Pages list, for staff holding ``permission``."""

    display: Callable  # an @admin.display function of a page
    permission: str  # "app_label.codename"
    annotate: Callable | None = None  # queryset -> queryset, adding what ``display`` reads


def register_list_column(display, *, permission, annotate=None):
    """The extension point for other apps' columns on the Pages list.

    Call it once at import of the other app's admin module, e.g. the feedback
    app's count of new feedback per page. ``annotate`` runs only for staff with
    ``permission``, so nobody else's list query touches the other app's tables.
    """
    PageAdmin.extra_columns.append(ListColumn(display, permission, annotate))


@admin.register(Page)
class PageAdmin(WorkflowAdminMixin, VersionAdmin):
    """The editors' workspace: the page tree, with everyday fields first.

    Every save through here is kept as a revision (django-reversion) with its
    editor; the history lists them, compares any of them with the page as it is
    now, and reverts to one as a new revision.
    """

    list_display = [
        "indented_title",
        "visitor_status",
        "in_menu",
        "position",
        "updated",
        "reading",
        "open_link",
    ]
    list_display_links = ["indented_title"]
    list_filter = [
        "status",
        MedicalReviewFilter,
        "show_in_menu",
        "accepts_feedback",
        ("parent", admin.RelatedOnlyFieldListFilter),
        ReadingGradeFilter,
    ]
    search_fields = ["title", "body", "summary"]
    # Menu order, children under their parent (see Page.tree_order).
    ordering = ["tree_order"]
    list_select_related = ["parent"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["parent", "figure"]
    readonly_fields = ["path", "created_at", "updated_at"]
    save_on_top = True
    history_latest_first = True
    object_history_template = "admin/pages/page/object_history.html"
    change_list_template = "admin/pages/page/change_list.html"
    revision_form_template = "reversion/revision_form.html"
    fieldsets = [
        (None, {"fields": ["title", "slug", "parent", "status", "summary", "body"]}),
        ("Epigraph", {"fields": ["epigraph_quote", "epigraph_person", "epigraph_role"]}),
        ("Figure and byline", {"fields": ["figure", "byline"]}),
        (
            "Medical review",
            {
                "fields": ["reviewed_by", "last_reviewed_on", "next_review_due"],
                "description": "Visitors see “Medically reviewed by … on …” when both the "
                "reviewer and the date are given. The sources below are listed at the foot "
                "of the article.",
            },
        ),
        (
            "Menu, schedule and feedback",
            {
                "classes": ["collapse"],
                "fields": [
                    "position",
                    "show_in_menu",
                    "is_home",
                    "publish_at",
                    "expire_at",
                    "accepts_feedback",
                    "path",
                    "created_at",
                    "updated_at",
                ],
            },
        ),
    ]
    inlines = [SourceInline]
    # Columns added by other apps through register_list_column.
    extra_columns = []

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .annotate(is_visible=Exists(Page.objects.published().filter(pk=OuterRef("pk"))))
        )
        for column in self.extra_columns:
            if column.annotate and request.user.has_perm(column.permission):
                queryset = column.annotate(queryset)
        return queryset

    def get_list_display(self, request):
        list_display = list(super().get_list_display(request))
        if request.GET.get("q"):
            # Search results leave the tree: say where each page lives.
            list_display = [
                "title_with_place" if name == "indented_title" else name for name in list_display
            ]
        for column in self.extra_columns:
            if request.user.has_perm(column.permission):
                list_display.append(column.display)
        return list_display

    def get_list_display_links(self, request, list_display):
        return list_display[:1]  # the title, indented or with its place

    def lookup_allowed(self, lookup, value, request):
        """Refuse any filter through a relation to a model this user may not view.

        A filter such as ?feedback__isnull=False would otherwise tell an editor
        which pages got feedback (issue: nothing about feedback may be learnt by
        staff who may not read it). Refused filters answer 400.
        """
        model = self.model
        for part in lookup.split(LOOKUP_SEP):
            try:
                field = model._meta.get_field(part)
            except FieldDoesNotExist:
                break
            if not field.is_relation:
                break
            related = field.related_model
            opts = related._meta
            if related is not Page and not request.user.has_perm(
                f"{opts.app_label}.view_{opts.model_name}"
            ):
                return False
            model = related
        return super().lookup_allowed(lookup, value, request)

    @admin.display(description="for visitors", ordering="status")
    def visitor_status(self, page):
        """The page as visitors experience it now, not just its own switch."""
        now = timezone.now()
        if page.status == Page.Status.DRAFT:
            label = "Draft"
        elif getattr(page, "is_visible", False):
            label = "Live + draft changes" if page.draft_data is not None else "Live"
        elif page.expire_at and page.expire_at <= now:
            label = f"Expired {local_time(page.expire_at)}"
        elif page.publish_at and page.publish_at > now:
            label = f"Scheduled for {local_time(page.publish_at)}"
        else:
            label = "Hidden (under a page visitors cannot see)"
        if page.workflow_state == Page.WorkflowState.SUBMITTED:
            label += " — awaiting review"
        elif page.workflow_state == Page.WorkflowState.CHANGES_REQUESTED:
            label += " — changes requested"
        return label

    @admin.display(description="title", ordering="tree_order")
    def title_with_place(self, page):
        parents = page.path.rpartition("/")[0]
        if not parents:
            return format_html('{} <span class="page-address">(top level)</span>', page.title)
        return format_html('{} <span class="page-address">under /{}/</span>', page.title, parents)

    class Media:
        # The live preview beside the body, with word count and reading grade.
        js = ["js/live-preview.js"]
        css = {"all": ["css/admin-editor.css"]}

    @admin.display(description="title", ordering="tree_order")
    def indented_title(self, page):
        # A dash per level: the admin strips leading spaces, and the CSP forbids inline styles.
        return f"{'— ' * page.depth}{page.title}"

    @admin.display(description="in menu", boolean=True, ordering="show_in_menu")
    def in_menu(self, page):
        return page.show_in_menu

    @admin.display(description="updated", ordering="updated_at")
    def updated(self, page):
        # Short, so that every column fits 1280 pixels beside the admin's menu and filters.
        return date_format(timezone.localtime(page.updated_at), "j M Y, H:i")

    @admin.display(description="grade", ordering="reading_grade")
    def reading(self, page):
        if page.reading_grade is None:
            return "—"
        if page.reading_grade > target_grade():
            return f"{page.reading_grade:g} (above {target_grade():g})"
        return f"{page.reading_grade:g}"

    @admin.display(description="on the site")
    def open_link(self, page):
        # published() is the one rule: a scheduled or hidden page is only a preview.
        label = "View live" if getattr(page, "is_visible", False) else "Preview"
        return format_html('<a href="{}" target="_blank">{}</a>', page.get_absolute_url(), label)

    def get_urls(self):
        view = self.admin_site.admin_view
        # Before the inherited URLs, whose "<object_id>/" pattern would swallow these.
        return [
            path("review-report/", view(self.review_report_view), name="pages_page_review_report"),
            *self.workflow_urls(),
            path("choose-page/", view(self.choose_page_view), name="pages_page_choose"),
            path("add/preview/", view(self.preview_view), name="pages_page_preview_add"),
            path("<path:object_id>/preview/", view(self.preview_view), name="pages_page_preview"),
            path(
                "<path:object_id>/history/<int:version_id>/compare/",
                view(self.compare_view),
                name="pages_page_compare",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/revert/",
                view(self.revert_view),
                name="pages_page_revert",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk and self.has_change_permission(request, obj):
            context["preview_url"] = reverse("admin:pages_page_preview", args=[quote(obj.pk)])
        elif obj is None and self.has_add_permission(request):
            context["preview_url"] = reverse("admin:pages_page_preview_add")
        return super().render_change_form(request, context, add, change, form_url, obj)

    def preview_view(self, request, object_id=None):
        """The change form's unsaved input, rendered as visitors would see it.

        Nothing is saved and no revision is made; the answer is never stored by a cache.
        """
        page = self.get_object(request, unquote(object_id)) if object_id else None
        if object_id and page is None:
            raise Http404("No such page.")
        if not (
            self.has_change_permission(request, page) if page else self.has_add_permission(request)
        ):
            raise PermissionDenied
        if request.method != "POST":  # a bookmarked or reloaded preview: back to the editor
            return redirect(self.get_preview_return_url(page))
        form = self.get_form(request, page, change=page is not None)(
            request.POST, request.FILES, instance=page
        )
        if not form.is_valid():
            context = {**self.admin_site.each_context(request), "form": form, "title": "Preview"}
            return TemplateResponse(
                request, "admin/pages/page/preview_invalid.html", context, status=400
            )
        page = form.instance
        page.derive_fields()
        live = request.headers.get("X-Live-Preview") == "1"
        response = render_page(request, page, unsaved=True, extra_context={"is_live_preview": live})
        return self.with_reading_grade(response, page)

    def with_reading_grade(self, response, page):
        """The preview, telling the editor's live panel the body's reading grade."""
        if page.reading_grade is not None:
            response["X-Reading-Grade"] = f"{page.reading_grade:g}"
        response["X-Reading-Target"] = f"{target_grade():g}"
        return response

    def choose_page_view(self, request):
        """Pages whose title contains ?q=, for the editor's link dialog (JSON)."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        query = request.GET.get("q", "").strip()[:100]
        pages = Page.objects.filter(title__icontains=query).order_by("path")[:CHOOSER_RESULTS]
        visible = set(
            Page.objects.published()
            .filter(pk__in=[p.pk for p in pages])
            .values_list("pk", flat=True)
        )
        results = [
            {"id": p.pk, "title": p.title, "url": p.get_absolute_url(), "visible": p.pk in visible}
            for p in pages
        ]
        return JsonResponse({"results": results})

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.warn_about_links(request, obj)

    def warn_about_links(self, request, page):
        """Tell the editor about links visitors could not follow; the save has gone through."""
        problems = page.link_problems()
        if problems:
            messages.warning(
                request,
                format_html(
                    "Saved, but {} link(s) would not work for visitors: {}",
                    len(problems),
                    " ".join(problems),
                ),
            )

    def review_report_view(self, request):
        """Pages whose medical review is overdue (most overdue first), then never-reviewed ones."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        overdue = Page.objects.review_overdue().order_by("next_review_due", "path")
        missing = Page.objects.review_missing().order_by("path")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Medical review report",
            "pages": [*overdue, *missing],
            "overdue_count": len(overdue),
            "missing_count": len(missing),
            "current_count": Page.objects.review_up_to_date().count(),
        }
        return TemplateResponse(request, "admin/pages/page/review_report.html", context)

    def get_preview_return_url(self, page):
        if page is None:
            return reverse("admin:pages_page_add")
        return reverse("admin:pages_page_change", args=[quote(page.pk)])

    def history_view(self, request, object_id, extra_context=None):
        object_id = unquote(object_id)
        page = self.get_object(request, object_id)
        if page is None:  # the admin's own answer: back to the list, "doesn't exist"
            return super().history_view(request, object_id, extra_context)
        numbers = revisions.revision_numbers(page.pk)
        steps = review_steps_by_revision(page.pk)
        action_list = [
            {
                "revision": version.revision,
                "version": version,
                "number": numbers.get(version.pk),
                "review_steps": steps.get(version.revision_id, []),
                "url": reverse("admin:pages_page_revision", args=[quote(object_id), version.pk]),
                "compare_url": reverse(
                    "admin:pages_page_compare", args=[quote(object_id), version.pk]
                ),
            }
            for version in revisions.versions_of(object_id)
        ]
        context = {
            "action_list": action_list,
            "review_events": PageReviewEvent.objects.filter(page_id=object_id).select_related(
                "revision"
            )
            if object_id.isdigit()
            else [],
            "compare_base_url": reverse("admin:pages_page_compare", args=[quote(object_id), 0]),
            **(extra_context or {}),
        }
        return super().history_view(request, quote(object_id), context)

    def _page_and_version(self, request, object_id, version_id):
        page = self.get_object(request, unquote(object_id))
        if page is None:
            raise Http404("No such page.")
        page.refresh_from_db()  # the page as stored (visitors' version), without any draft
        version = get_object_or_404(revisions.versions_of(page.pk), pk=version_id)
        return page, version

    def compare_view(self, request, object_id, version_id):
        """One saved revision against another (?with=), the page now, or draft against live.

        The older of two revisions is always shown as the starting point.
        """
        if "draft" in request.GET:
            return self.compare_draft_view(request, object_id)
        if version_id == 0:  # the history's "Compare the two" form names both in the query
            version_id = request.GET.get("a", "")
            if not version_id.isdigit():
                raise Http404("Choose a revision to compare from.")
        page, version = self._page_and_version(request, object_id, version_id)
        if not self.has_view_or_change_permission(request, page):
            raise PermissionDenied
        numbers = revisions.revision_numbers(page.pk)
        other = request.GET.get("with", "")
        if other.isdigit():
            other = get_object_or_404(revisions.versions_of(page.pk), pk=other)
            older, newer = sorted([version, other], key=lambda v: numbers.get(v.pk, 0))
            changes = revisions.compare_versions(older, newer)
            title = (
                f"Compare revision {numbers.get(older.pk)} with revision {numbers.get(newer.pk)}"
            )
            version, against = older, newer
        else:
            changes = revisions.compare(version, page)
            title = "Compare a revision with the current page"
            against = None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": page,
            "object_id": quote(page.pk),
            "version": version,
            "number": numbers.get(version.pk),
            "against": against,
            "against_number": numbers.get(against.pk) if against else None,
            "text_changes": [change for change in changes if change.diff],
            "other_changes": [change for change in changes if not change.diff],
            "revert_url": reverse("admin:pages_page_revert", args=[quote(page.pk), version.pk]),
            "revision_url": reverse("admin:pages_page_revision", args=[quote(page.pk), version.pk]),
            "has_change_permission": self.has_change_permission(request, page),
            "title": title,
        }
        return TemplateResponse(request, "admin/pages/page/compare.html", context)

    def compare_draft_view(self, request, object_id):
        page = self.get_object(request, unquote(object_id))
        if page is None:
            raise Http404("No such page.")
        if not self.has_view_or_change_permission(request, page):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": page,
            "object_id": quote(page.pk),
            "changes": live_comparison(page),
            "title": "Compare the draft with the live page",
        }
        return TemplateResponse(request, "admin/pages/page/compare_draft.html", context)

    def revert_view(self, request, object_id, version_id):
        """One click back to a revision, saved through Page.save as a new revision."""
        page, version = self._page_and_version(request, object_id, version_id)
        if not self.has_change_permission(request, page):
            raise PermissionDenied
        compare_url = reverse("admin:pages_page_compare", args=[quote(page.pk), version.pk])
        if request.method != "POST":
            return redirect(compare_url)
        revisions.apply_revision(page, version)
        try:
            page.full_clean()
        except ValidationError as exc:
            messages.error(request, f"Could not revert: {' '.join(exc.messages)}")
            return redirect(compare_url)
        comment = revisions.revert_comment(version)
        if workflow.is_live(Page.objects.get(pk=page.pk)) and not workflow.may_publish(
            request.user
        ):
            # Under sign-off, going back is a change like any other: it waits for review.
            workflow.save_draft(
                page, user=request.user, sources=revisions.revision_sources(version)
            )
            messages.success(
                request,
                f"“{page}”: the revision is now your draft. Visitors still see the live page; "
                "submit it for review to publish it.",
            )
            return redirect("admin:pages_page_change", quote(page.pk))
        with transaction.atomic(), self.create_revision(request):
            page.save()
            revisions.restore_sources(page, version)
            self.log_change(request, page, comment)
        messages.success(request, f"“{page}”: {comment}")
        return redirect("admin:pages_page_change", quote(page.pk))

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Reversion's "revert" form, without its raw write to the database.

        The revision's values fill the change form (see get_object); saving it goes
        through Page.save like any edit, so addresses, descendants and the rendered
        body stay right, and the save is recorded as a new revision.
        """
        page, version = self._page_and_version(request, object_id, version_id)
        request.page_revision = version  # read by get_object below, for this request only
        context = {"title": f"Revert {page}", "revert": True, **(extra_context or {})}
        with self.create_revision(request):
            response = self.changeform_view(request, object_id, request.path, context)
            if request.method == "POST" and response.status_code == 302:
                set_comment(revisions.revert_comment(version))
        if response.status_code == 200:
            response.template_name = self.revision_form_template
        return response

    def get_formset_kwargs(self, request, obj, inline, prefix):
        """In the revert form, the revision's sources fill the rows, replacing today's."""
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        version = getattr(request, "page_revision", None)
        if version is not None and isinstance(inline, SourceInline):
            kwargs["queryset"] = Source.objects.none()
            if request.method != "POST":
                # Only as initial values when showing the form: on saving, a row the
                # editor left as it was must still count as filled in.
                kwargs["initial"] = revisions.revision_sources(version)
        return kwargs

    def save_related(self, request, form, formsets, change):
        if getattr(request, "page_revision", None) is not None:
            # The revert form listed every source as a new row; they replace the old ones.
            form.instance.sources.all().delete()
        super().save_related(request, form, formsets, change)

    def get_object(self, request, object_id, from_field=None):
        page = super().get_object(request, object_id, from_field)
        version = getattr(request, "page_revision", None)
        if page is not None and version is not None:
            revisions.apply_revision(page, version)
        return page


def review_steps_by_revision(page_pk):
    """The sign-off steps that ended in each revision (approvals, direct publishing)."""
    steps = {}
    if str(page_pk).isdigit():
        for event in PageReviewEvent.objects.filter(page_id=page_pk, revision__isnull=False):
            steps.setdefault(event.revision_id, []).append(event)
    return steps


def local_time(moment):
    """A time in the site's time zone, to the minute, e.g. "1 March 2030, 09:00 EST"."""
    return date_format(timezone.localtime(moment), "j F Y, H:i T")


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    """Old addresses that keep working. Moving a published page adds them automatically."""

    list_display = ["old_path", "target", "is_automatic", "created_at"]
    list_filter = ["is_automatic", "created_at"]
    search_fields = ["old_path", "target_path", "target_page__title", "target_page__path"]
    ordering = ["old_path"]
    list_select_related = ["target_page"]
    autocomplete_fields = ["target_page"]
    readonly_fields = ["is_automatic", "created_at"]
    fields = ["old_path", "target_page", "target_path", "is_automatic", "created_at"]

    @admin.display(description="sends visitors to", ordering="target_page__path")
    def target(self, redirect):
        return redirect.target_url


class SiteSettingsForm(LockedModelForm):
    """The settings form, refusing to save over someone else's newer save."""

    compared_fields = ("crisis_text", "crisis_link_text")


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    """The one row of site-wide wording; the list goes straight to it."""

    form = SiteSettingsForm
    change_form_template = "admin/pages/sitesettings/change_form.html"

    list_display = ["__str__", "show_crisis_line", "crisis_page", "updated_at"]
    list_filter = ["show_crisis_line"]
    search_fields = ["crisis_text"]
    ordering = ["pk"]
    list_select_related = ["crisis_page"]
    autocomplete_fields = ["crisis_page"]
    readonly_fields = ["updated_at"]
    fieldsets = [
        (
            "Crisis line",
            {
                "description": "Shown at the top of every page, above the feedback form and "
                "with its thank-you. Changes are live as soon as you save.",
                "fields": ["show_crisis_line", "crisis_text", "crisis_link_text", "crisis_page"],
            },
        ),
        (
            "Publishing",
            {
                "description": "Who must approve a change before visitors see it.",
                "fields": ["require_review"],
            },
        ),
        (None, {"fields": ["updated_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Editors must not be able to switch off the sign-off their changes need.
            readonly.append("require_review")
        return readonly

    def save_model(self, request, obj, form, change):
        obj.edited_at, obj.edited_by = timezone.now(), request.user
        super().save_model(request, obj, form, change)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        context.update(conflict=form.conflict, edit_base_token=form.token_to_render())
        return super().render_change_form(request, context, add, change, form_url, obj)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        # The site always reads this row; switch the crisis line off instead.
        return False

    def changelist_view(self, request, extra_context=None):
        settings = SiteSettings.objects.first()
        if settings is not None and self.has_view_or_change_permission(request, settings):
            return redirect("admin:pages_sitesettings_change", quote(settings.pk))
        return super().changelist_view(request, extra_context)


def uses_of_image():
    """A subquery counting the pages that show an image (as figure or in their text)."""
    marker = Concat(Value('data-file="'), Cast(OuterRef("pk"), CharField()), Value('"'))
    return Subquery(
        Page.objects.filter(Q(figure=OuterRef("pk")) | Q(body__contains=marker))
        .order_by()
        .annotate(count=Func(F("pk"), function="COUNT"))
        .values("count")[:1]
    )


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    """The image library: upload once, use on any page as its figure or in its text."""

    form = ImageForm
    list_display = [
        "thumbnail",
        "description",
        "is_decorative",
        "dimensions",
        "used_on",
        "uploaded_by",
        "uploaded_at",
    ]
    list_display_links = ["thumbnail", "description"]
    list_filter = ["is_decorative", "uploaded_at"]
    search_fields = ["alt_text", "caption", "credit"]
    ordering = ["-uploaded_at", "-pk"]
    list_select_related = ["uploaded_by"]
    date_hierarchy = "uploaded_at"
    readonly_fields = ["preview", "dimensions", "uploaded_by", "uploaded_at", "pages_using"]
    fields = [
        "file",
        "preview",
        "alt_text",
        "is_decorative",
        "caption",
        "credit",
        "dimensions",
        "uploaded_by",
        "uploaded_at",
        "pages_using",
    ]
    # Deleting goes through the confirmation page, which names the pages using the image.
    actions = None
    delete_confirmation_template = "admin/pages/image/delete_confirmation.html"

    class Media:
        css = {"all": ["css/admin-pages.css"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("renditions")
            .annotate(use_count=uses_of_image())
        )

    @admin.display(description="picture")
    def thumbnail(self, image):
        small = min(
            image.renditions.all(), key=lambda r: (r.format == "webp", r.width), default=None
        )
        if small is None:
            return "—"
        return format_html('<img src="{}" alt="" width="96" class="image-thumbnail">', small.url)

    @admin.display(description="description", ordering="alt_text")
    def description(self, image):
        return str(image)

    @admin.display(description="size")
    def dimensions(self, image):
        return f"{image.width} × {image.height}" if image.width else "—"

    @admin.display(description="used on", ordering="use_count")
    def used_on(self, image):
        count = getattr(image, "use_count", None) or 0
        return f"{count} page{'s' if count != 1 else ''}" if count else "not used"

    @admin.display(description="preview")
    def preview(self, image):
        picture = image.picture() if image.pk else None
        return picture.html(lazy=False, sizes="20rem") if picture else "—"

    @admin.display(description="used on these pages")
    def pages_using(self, image):
        pages = image.pages_using() if image.pk else []
        if not pages:
            return "Not used on any page yet."
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("admin:pages_page_change", args=[p.pk]), p.title) for p in pages),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        with transaction.atomic():
            if change and "file" in form.changed_data:
                obj.renditions.all().delete()
            super().save_model(request, obj, form, change)
            obj.make_renditions()

    def delete_view(self, request, object_id, extra_context=None):
        image = self.get_object(request, unquote(object_id))
        context = {
            "pages_using": list(image.pages_using()) if image else [],
            **(extra_context or {}),
        }
        return super().delete_view(request, object_id, context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("choose/", view(self.choose_view), name="pages_image_choose"),
            *super().get_urls(),
        ]

    def choose_view(self, request):
        """The editor's picture picker (a small window): search the library and pick one."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        query = request.GET.get("q", "").strip()[:100]
        images = self.get_queryset(request)
        if query:
            images = images.filter(Q(alt_text__icontains=query) | Q(caption__icontains=query))
        choices = [(image, image.picture()) for image in images[: CHOOSER_RESULTS * 2]]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Choose a picture",
            "query": query,
            "func_num": request.GET.get("CKEditorFuncNum", ""),
            "choices": [(image, picture) for image, picture in choices if picture],
            "is_popup": True,
        }
        return TemplateResponse(request, "admin/pages/image/choose.html", context)
