from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField, F, Func, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from reversion import set_comment
from reversion.admin import VersionAdmin

from . import revisions
from .forms import ImageForm
from .models import Image, Page, Redirect, SiteSettings, Source
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


@admin.register(Page)
class PageAdmin(VersionAdmin):
    """The editors' workspace: the page tree, with everyday fields first.

    Every save through here is kept as a revision (django-reversion) with its
    editor; the history lists them, compares any of them with the page as it is
    now, and reverts to one as a new revision.
    """

    list_display = [
        "indented_title",
        "status",
        "show_in_menu",
        "position",
        "updated_at",
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
    ordering = ["path"]
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
                    "accepts_feedback",
                    "path",
                    "created_at",
                    "updated_at",
                ],
            },
        ),
    ]
    inlines = [SourceInline]

    class Media:
        # The live preview beside the body, with word count and reading grade.
        js = ["js/live-preview.js"]
        css = {"all": ["css/admin-editor.css"]}

    @admin.display(description="title", ordering="path")
    def indented_title(self, page):
        # A dash per level: the admin strips leading spaces, and the CSP forbids inline styles.
        return f"{'— ' * page.depth}{page.title}"

    @admin.display(description="reading grade", ordering="reading_grade")
    def reading(self, page):
        if page.reading_grade is None:
            return "—"
        if page.reading_grade > target_grade():
            return f"{page.reading_grade:g} (above {target_grade():g})"
        return f"{page.reading_grade:g}"

    @admin.display(description="on the site")
    def open_link(self, page):
        label = "View live" if page.status == Page.Status.PUBLISHED else "Preview draft"
        return format_html('<a href="{}" target="_blank">{}</a>', page.get_absolute_url(), label)

    def get_urls(self):
        view = self.admin_site.admin_view
        # Before the inherited URLs, whose "<object_id>/" pattern would swallow these.
        return [
            path("review-report/", view(self.review_report_view), name="pages_page_review_report"),
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
        action_list = [
            {
                "revision": version.revision,
                "url": reverse("admin:pages_page_revision", args=[quote(object_id), version.pk]),
                "compare_url": reverse(
                    "admin:pages_page_compare", args=[quote(object_id), version.pk]
                ),
            }
            for version in revisions.versions_of(object_id)
        ]
        context = {"action_list": action_list, **(extra_context or {})}
        return super().history_view(request, quote(object_id), context)

    def _page_and_version(self, request, object_id, version_id):
        page = self.get_object(request, unquote(object_id))
        if page is None:
            raise Http404("No such page.")
        version = get_object_or_404(revisions.versions_of(page.pk), pk=version_id)
        return page, version

    def compare_view(self, request, object_id, version_id):
        """The differences between one saved revision and the page as it is now."""
        page, version = self._page_and_version(request, object_id, version_id)
        if not self.has_view_or_change_permission(request, page):
            raise PermissionDenied
        changes = revisions.compare(version, page)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": page,
            "object_id": quote(page.pk),
            "version": version,
            "text_changes": [change for change in changes if change.diff],
            "other_changes": [change for change in changes if not change.diff],
            "revert_url": reverse("admin:pages_page_revert", args=[quote(page.pk), version.pk]),
            "revision_url": reverse("admin:pages_page_revision", args=[quote(page.pk), version.pk]),
            "has_change_permission": self.has_change_permission(request, page),
            "title": "Compare a revision with the current page",
        }
        return TemplateResponse(request, "admin/pages/page/compare.html", context)

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


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    """The one row of site-wide wording; the list goes straight to it."""

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
        (None, {"fields": ["updated_at"]}),
    ]

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
