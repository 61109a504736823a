"""The Page admin's editing workflow: conflicts, unsaved work, drafts and sign-off.

A mixin of ``PageAdmin`` (pages/admin.py), kept apart so the page form's own
fields and layout stay in one place and this in another.
"""

import json
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DateTimeField
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format

from . import workflow
from .locking import LockedModelForm
from .models import Page, PageReviewEvent, ReviewerProfile, Source
from .revisions import SOURCE_FIELDS, compare_values
from .richtext import readable_text

# What the browser keeps of an editor's typing: the free-text fields.
AUTOSAVED_FIELDS = [
    "title",
    "slug",
    "summary",
    "body",
    "epigraph_quote",
    "epigraph_person",
    "epigraph_role",
    "figure_alt",
    "figure_caption",
    "byline",
]
MAX_AUTOSAVE_CHARS = 500_000

# The buttons of the page form, by their ``name``.
SAVE_DRAFT, SUBMIT, PUBLISH = "_save_draft", "_submit_review", "_publish"


class PageAdminForm(LockedModelForm):
    """The page form, refusing to save over a newer save and keeping publish rules."""

    compared_fields = ("title", "summary", "body")

    def as_text(self, name, value):
        return readable_text(value) if name == "body" else value

    # Set per request by WorkflowAdminMixin.get_form.
    mode = "save"
    may_publish = True

    def current_overrides(self, current):
        # The other editor may have saved a draft: that is "their version".
        if workflow.has_draft(current):
            proposed = workflow.apply_draft(current)
            return {name: str(getattr(proposed, name) or "") for name in self.compared_fields}
        return {}

    def clean(self):
        cleaned = super().clean()
        status, publish_at = cleaned.get("status"), cleaned.get("publish_at")
        if self.mode == PUBLISH and not self.may_publish:
            raise ValidationError(
                "Publishing needs a medical reviewer's sign-off: press “Submit for review”.",
                code="publish_not_allowed",
            )
        going_live = self.mode == PUBLISH or (self.may_publish and self.mode == "save")
        if going_live and status == Page.Status.DRAFT and publish_at and self.mode != PUBLISH:
            self.add_error(
                "publish_at",
                ValidationError(
                    "A draft never goes live, so this publish time would do nothing. To "
                    "schedule the page, set Status to Published (or press “Publish”); "
                    "otherwise clear the time.",
                    code="draft_with_publish_time",
                ),
            )
        if publish_at and cleaned.get("expire_at") and cleaned["expire_at"] <= publish_at:
            self.add_error(
                "expire_at",
                ValidationError(
                    "The page must leave the site after it is published: choose a later "
                    "time, or clear one of them.",
                    code="expires_before_publishing",
                ),
            )
        return cleaned


class WorkflowAdminMixin:
    """Optimistic locking, autosave, presence, drafts of live pages and sign-off."""

    form = PageAdminForm
    change_form_template = "admin/pages/page/change_form.html"

    # --- URLs ---------------------------------------------------------------------------

    def workflow_urls(self):
        view = self.admin_site.admin_view
        return [
            path("review-queue/", view(self.review_queue_view), name="pages_page_review_queue"),
            # Not admin_view: a signed-out editor's browser must get 403, not a login page.
            path("add/autosave/", self.autosave_view, name="pages_page_autosave_add"),
            path("<path:object_id>/autosave/", self.autosave_view, name="pages_page_autosave"),
            path(
                "<path:object_id>/discard-draft/",
                view(self.discard_draft_view),
                name="pages_page_discard_draft",
            ),
            path("<path:object_id>/review/", view(self.review_view), name="pages_page_review"),
        ]

    # --- The form -------------------------------------------------------------------------

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, DateTimeField) and formfield is not None:
            # Times are entered and shown in the site's zone; say which, every time.
            zone = timezone.get_current_timezone_name()
            formfield.help_text = f"{formfield.help_text} Time zone: {zone}.".strip()
        return formfield

    def save_mode(self, request):
        """Which button was pressed: draft, submit, publish, or a plain save."""
        for mode in (SAVE_DRAFT, SUBMIT, PUBLISH):
            if mode in request.POST:
                return mode
        return "save"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not issubclass(form, PageAdminForm):
            return form
        attrs = {"mode": self.save_mode(request), "may_publish": workflow.may_publish(request.user)}
        return type(form.__name__, (form,), attrs)

    def get_object(self, request, object_id, from_field=None):
        """The page as its editor continues it: with its draft, or their unsaved work."""
        page = super().get_object(request, object_id, from_field)
        if page is None:
            return None
        workflow.apply_draft(page)
        if request.method == "GET" and "restore" in request.GET:
            kept = workflow.unsaved_work(user=request.user, page=page)
            if kept is not None:
                for name in AUTOSAVED_FIELDS:
                    if isinstance(kept.data.get(name), str):
                        setattr(page, name, kept.data[name])
        return page

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        restore = request.GET.get("restore", "")
        if restore.isdigit():
            kept = workflow.orphaned_work(user=request.user).filter(pk=restore).first()
            if kept is not None:
                initial.update(
                    {k: v for k, v in kept.data.items() if k in AUTOSAVED_FIELDS},
                    status=Page.Status.DRAFT,
                )
        return initial

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id and not self.page_exists(object_id):
            return self.rescue_deleted(request, object_id)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def page_exists(self, object_id):
        try:
            return Page.objects.filter(pk=unquote(object_id)).exists()
        except (ValueError, ValidationError):
            return False

    def rescue_deleted(self, request, object_id):
        """The page went while this editor typed: their text becomes a new draft page."""
        data = {name: request.POST.get(name, "") for name in AUTOSAVED_FIELDS}
        row = workflow.keep_unsaved(user=request.user, page=None, data=data, title=data["title"])
        messages.warning(
            request,
            "Someone deleted this page while you were editing it. Nothing you typed is lost: "
            "it is below as a new draft page. Save it to keep it.",
        )
        return redirect(f"{reverse('admin:pages_page_add')}?restore={row.pk}")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        context.update(self.workflow_context(request, obj, form))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def workflow_context(self, request, page, form):
        user = request.user
        stored = Page.objects.filter(pk=page.pk).first() if page is not None and page.pk else None
        may_change = stored is None or self.has_change_permission(request, stored)
        context = {
            "conflict": getattr(form, "conflict", None),
            "edit_base_token": form.token_to_render() if isinstance(form, LockedModelForm) else "",
            "may_publish": workflow.may_publish(user),
            "page_is_live": stored is not None and workflow.is_live(stored),
            "stored_page": stored,
            "autosave_url": reverse("admin:pages_page_autosave", args=[quote(stored.pk)])
            if stored
            else reverse("admin:pages_page_autosave_add"),
            "autosave_key": f"ks-unsaved:{user.pk}:{stored.pk if stored else 'new'}",
            "autosaved_fields": json.dumps(AUTOSAVED_FIELDS),
            "autosave_interval_ms": settings.PAGE_AUTOSAVE_SECONDS * 1000,
        }
        if stored is not None:
            if may_change and request.method == "GET":
                workflow.mark_present(user=user, page=stored)
            kept = workflow.unsaved_work(user=user, page=stored)
            context.update(
                others_editing=workflow.others_editing(user=user, page=stored),
                unsaved=kept if kept and "restore" not in request.GET else None,
                server_saved_at=int(kept.saved_at.timestamp() * 1000) if kept else 0,
                has_draft=workflow.has_draft(stored),
                workflow_state=stored.workflow_state,
                changed_since_submitted=workflow.changed_since_submitted(stored),
                last_review_event=workflow.last_event(stored),
                discard_draft_url=reverse(
                    "admin:pages_page_discard_draft", args=[quote(stored.pk)]
                ),
            )
        else:
            context["orphaned"] = list(workflow.orphaned_work(user=user))
        return context

    # --- Saving -----------------------------------------------------------------------------

    def keeps_as_draft(self, request, page):
        """True when this save must leave visitors on the live version."""
        stored = Page.objects.filter(pk=page.pk).first() if page.pk else None
        if stored is None or not workflow.is_live(stored):
            return False
        mode = self.save_mode(request)
        if mode in (SAVE_DRAFT, SUBMIT):
            return True
        return mode == "save" and not workflow.may_publish(request.user)

    def save_model(self, request, obj, form, change):
        obj.edited_at, obj.edited_by = timezone.now(), request.user
        mode = self.save_mode(request)
        if self.keeps_as_draft(request, obj):
            return  # stored with its sources in save_related
        if not workflow.may_publish(request.user) and obj.status == Page.Status.PUBLISHED:
            obj.status = Page.Status.DRAFT
            if mode != SUBMIT:
                messages.info(
                    request,
                    "Saved as a draft: publishing needs a medical reviewer's sign-off. "
                    "Press “Submit for review” when it is ready.",
                )
        if mode == PUBLISH:
            obj.status = Page.Status.PUBLISHED
        elif mode == SAVE_DRAFT:
            obj.status = Page.Status.DRAFT
        # A direct save publishes what the form held: any draft is now the page.
        obj.draft_data = obj.draft_saved_at = obj.draft_saved_by = None
        if mode != SUBMIT:
            obj.workflow_state, obj.submitted_digest = Page.WorkflowState.EDITING, ""
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        page = form.instance
        if self.keeps_as_draft(request, page):
            workflow.save_draft(page, user=request.user, sources=formset_sources(formsets))
        else:
            sources = [f for f in formsets if f.prefix == "sources"]
            if change and sources and sources[0].initial_form_count() == 0:
                # Built from a draft, the form listed every source as a new row (see
                # get_formset_kwargs); they replace the page's old ones.
                page.sources.all().delete()
            super().save_related(request, form, formsets, change)
            if self.save_mode(request) == PUBLISH:
                workflow.record(page, request.user, PageReviewEvent.Action.PUBLISHED)
        workflow.forget_unsaved(user=request.user, page=page)
        if not change:
            workflow.forget_new_page_work(user=request.user)
        if self.save_mode(request) == SUBMIT:
            page.refresh_from_db()
            workflow.submit(page, user=request.user)
            messages.success(request, f"“{page}” is waiting for a medical reviewer's sign-off.")
        elif self.keeps_as_draft(request, page):
            messages.info(request, f"Draft of “{page}” saved. Visitors still see the live page.")

    def construct_change_message(self, request, form, formsets, add=False):
        if self.keeps_as_draft(request, form.instance):
            return "Saved a draft; visitors still see the live page."
        return super().construct_change_message(request, form, formsets, add)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        sources = workflow.draft_sources(obj) if obj is not None else None
        if sources is not None and prefix == "sources":
            kwargs["queryset"] = Source.objects.none()
            if request.method != "POST":
                kwargs["initial"] = sources
        return kwargs

    # --- Autosave and presence ------------------------------------------------------------

    def autosave_view(self, request, object_id=None):
        """Keep the editor's unsaved typing; answer who else has the page open.

        403 (JSON) when signed out: the browser then keeps the text itself and sends
        it once its editor signs in again.
        """
        user = request.user
        if request.method != "POST":
            return JsonResponse({"error": "POST only"}, status=405)
        if not (user.is_active and user.is_staff):
            return JsonResponse({"error": "signed out"}, status=403)
        page = None
        if object_id is not None:
            try:
                page = Page.objects.filter(pk=unquote(object_id)).first()
            except (ValueError, ValidationError):
                page = None
            if page is None:
                return JsonResponse({"error": "This page has been deleted."}, status=404)
            if not self.has_change_permission(request, page):
                return JsonResponse({"error": "You may not edit this page."}, status=403)
        elif not self.has_add_permission(request):
            return JsonResponse({"error": "You may not add pages."}, status=403)
        raw = request.POST.get("data")
        saved_at = None
        if raw:
            if len(raw) > MAX_AUTOSAVE_CHARS:
                return JsonResponse({"error": "Too long to keep."}, status=413)
            try:
                data = json.loads(raw)
            except ValueError:
                return JsonResponse({"error": "Not JSON."}, status=400)
            if not isinstance(data, dict):
                return JsonResponse({"error": "Not an object."}, status=400)
            data = {k: str(v) for k, v in data.items() if k in AUTOSAVED_FIELDS}
            row = workflow.keep_unsaved(
                user=user, page=page, data=data, title=data.get("title", "")
            )
            saved_at = row.saved_at
        elif page is not None:
            workflow.mark_present(user=user, page=page)
        others = workflow.others_editing(user=user, page=page) if page else []
        return JsonResponse(
            {
                "others": others,
                "saved_at": date_format(timezone.localtime(saved_at), "H:i:s")
                if saved_at
                else None,
            }
        )

    # --- Drafts ----------------------------------------------------------------------------

    def discard_draft_view(self, request, object_id):
        page = self.get_object(request, object_id)
        if page is None:
            raise Http404("No such page.")
        change_url = reverse("admin:pages_page_change", args=[quote(page.pk)])
        if not self.has_change_permission(request, page):
            return refuse(request, self, "You may not change this page.")
        if request.method != "POST":
            return redirect(change_url)
        workflow.discard_draft(page, user=request.user)
        workflow.forget_unsaved(user=request.user, page=page)
        messages.success(request, f"Draft of “{page}” discarded: the form shows the live page.")
        return redirect(change_url)

    # --- Sign-off --------------------------------------------------------------------------

    def may_review(self, request):
        return request.user.has_perm("pages.review_page")

    def review_queue_view(self, request):
        """Pages awaiting a medical reviewer's sign-off, each with what would change."""
        if not self.may_review(request):
            return refuse(request, self, "Only medical reviewers may open the review queue.")
        pages = list(workflow.review_queue().select_related("edited_by"))
        items = []
        for page in pages:
            submitted = workflow.last_event(page, PageReviewEvent.Action.SUBMITTED)
            items.append(
                {
                    "page": page,
                    "submitted": submitted,
                    "changes": live_comparison(page),
                    "changed_since": workflow.changed_since_submitted(page),
                    "review_url": reverse("admin:pages_page_review", args=[quote(page.pk)]),
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Review queue",
            "items": items,
        }
        return TemplateResponse(request, "admin/pages/page/review_queue.html", context)

    def review_view(self, request, object_id):
        """One page's comparison against live, with "Approve and publish" and "Request changes"."""
        if not self.may_review(request):
            return refuse(request, self, "Only medical reviewers may approve pages.")
        page = Page.objects.filter(pk=unquote(object_id)).first() if object_id.isdigit() else None
        if page is None:
            raise Http404("No such page.")
        form = ReviewForm(
            request.POST or None, initial={"credentials": credentials_of(request.user)}
        )
        status = 200
        if page.workflow_state != Page.WorkflowState.SUBMITTED:
            messages.error(request, f"“{page}” is not waiting for review.")
            return redirect("admin:pages_page_review_queue")
        if request.method == "POST":
            if form.is_valid():
                response = self.decide(request, page, form)
                if response is not None:
                    return response
            status = 400
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Review “{page}”",
            "page": page,
            "form": form,
            "changes": live_comparison(page),
            "changed_since": workflow.changed_since_submitted(page),
            "submitted": workflow.last_event(page, PageReviewEvent.Action.SUBMITTED),
        }
        return TemplateResponse(request, "admin/pages/page/review.html", context, status=status)

    def decide(self, request, page, form):
        decision = form.cleaned_data["decision"]
        if decision == "request_changes":
            workflow.request_changes(page, user=request.user, comment=form.cleaned_data["comment"])
            messages.success(request, f"Changes requested on “{page}”; its editor has been told.")
            return redirect("admin:pages_page_review_queue")
        if workflow.changed_since_submitted(page):
            form.add_error(
                None,
                "The draft changed after it was submitted, so it cannot be approved as it "
                "stands. The comparison below is the new one; ask the editor to submit it again.",
            )
            return None
        proposed = workflow.proposed_page(page)
        proposed.reviewed_by = form.cleaned_data["credentials"]
        proposed.last_reviewed_on = timezone.localdate()
        try:
            proposed.full_clean(exclude=["next_review_due"])
        except ValidationError as exc:
            form.add_error(None, f"Cannot publish: {' '.join(exc.messages)}")
            return None
        with transaction.atomic():
            workflow.approve(page, user=request.user, credentials=form.cleaned_data["credentials"])
        messages.success(request, f"“{page}” approved and published.")
        return redirect("admin:pages_page_review_queue")


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve and publish"), ("request_changes", "Request changes")],
        widget=forms.RadioSelect,
    )
    credentials = forms.CharField(
        label="Your name and credentials",
        max_length=200,
        required=False,
        help_text="Shown to visitors: “Medically reviewed by …”, e.g. 'Dr Jane Doe, MD, psychiatrist'.",
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="What should change? The editor sees this in the editor and by email.",
    )

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == "request_changes" and not cleaned.get("comment", "").strip():
            self.add_error("comment", "Say what should change, so the editor knows what to do.")
        if decision == "approve" and not cleaned.get("credentials", "").strip():
            self.add_error(
                "credentials", "Give your name and credentials, as visitors will read them."
            )
        return cleaned


def credentials_of(user):
    profile = ReviewerProfile.objects.filter(user=user).first()
    return profile.name_and_credentials if profile else (user.get_full_name() or "")


def formset_sources(formsets):
    """The sources as the form's rows list them (deleted rows left out), in order."""
    rows = []
    for formset in formsets:
        if formset.prefix != "sources":
            continue
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            rows.append({name: data.get(name) for name in SOURCE_FIELDS})
    rows.sort(key=lambda row: row["position"] or 0)
    return rows if any(formset.prefix == "sources" for formset in formsets) else None


@dataclass(frozen=True)
class Comparison:
    """Changes split as the templates show them: texts as word diffs, the rest old/new."""

    text: list
    other: list

    @classmethod
    def of(cls, changes):
        return cls([c for c in changes if c.diff], [c for c in changes if not c.diff])

    def __bool__(self):
        return bool(self.text or self.other)


def live_comparison(page):
    """What publishing the page would change for visitors, as a Comparison."""
    proposed = workflow.apply_draft(Page.objects.get(pk=page.pk))
    live = Page.objects.get(pk=page.pk)
    live_sources = list(live.sources.values(*SOURCE_FIELDS))
    if not workflow.is_live(live):
        live, live_sources = Page(pk=page.pk), []  # never published: everything is new
    return Comparison.of(
        compare_values(live, proposed, live_sources, workflow.proposed_sources(page))
    )


def refuse(request, model_admin, text):
    """A clear refusal in the admin's own layout, with 403."""
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Not allowed",
        "reason": text,
    }
    return TemplateResponse(request, "admin/pages/page/refused.html", context, status=403)
