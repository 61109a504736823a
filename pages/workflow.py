"""Drafts of live pages, sign-off before publishing, and editors' unsaved work.

A live page's unpublished changes are kept in ``Page.draft_data`` (with its
sources): visitors keep reading the page's own fields, and no revision is made
until the draft is published, so every revision is something visitors were shown
(feedback's "What the reader saw" points at one). Publishing goes through
``Page.save`` so addresses, caches and purges follow as for any save.
"""

import hashlib
import json
import logging
from datetime import timedelta

import reversion
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from reversion.models import Version

from .locking import user_label
from .models import (
    Page,
    PageAutosave,
    PageReviewEvent,
    ReviewerProfile,
    SiteSettings,
    Source,
    normalise_line_endings,
)
from .revisions import SOURCE_FIELDS, editable_fields
from .tasks import queue_review_mail

logger = logging.getLogger(__name__)

# An editor counts as having a page open while their editor reported within this long
# (at least three of the editor's reports, so one slow request does not hide them).
PRESENCE_SECONDS = 45


# --- Drafts ---------------------------------------------------------------------------


def field_values(page):
    """The editor-written fields of ``page`` as JSON-ready values, by attribute name."""
    values = {}
    for field in editable_fields():
        value = field.value_from_object(page)
        if isinstance(value, FieldFile):
            value = value.name or ""
        values[field.attname] = value
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


def apply_values(page, values):
    """Put stored field values back on ``page`` (in memory)."""
    for field in editable_fields():
        if field.attname in values:
            raw = values[field.attname]
            setattr(page, field.attname, raw if raw is None else field.to_python(raw))
    return page


def has_draft(page):
    return page.draft_data is not None


def apply_draft(page):
    """``page`` (in memory) as its draft would make it; unchanged without a draft."""
    if has_draft(page):
        apply_values(page, page.draft_data["fields"])
    return page


def draft_sources(page):
    """The sources the draft lists, or None when the draft keeps the page's own."""
    return page.draft_data.get("sources") if has_draft(page) else None


def proposed_sources(page):
    found = draft_sources(page)
    if found is None:
        found = list(page.sources.values(*SOURCE_FIELDS))
    return found


def digest(page):
    """A fingerprint of what publishing ``page`` would show, to spot later edits."""
    proposed = apply_draft(Page.objects.get(pk=page.pk))
    content = {"fields": field_values(proposed), "sources": proposed_sources(page)}
    return hashlib.sha256(
        json.dumps(content, sort_keys=True, cls=DjangoJSONEncoder).encode()
    ).hexdigest()


def is_live(page):
    """True while the stored page is published (visitors may read it, now or when due)."""
    return page.status == Page.Status.PUBLISHED


def save_draft(page, *, user, sources=None):
    """Keep ``page``'s form values (in memory) as its draft; the stored page is unchanged."""
    normalise_line_endings(page)
    data = {"fields": field_values(page)}
    if sources is not None:
        data["sources"] = sources
    now = timezone.now()
    # An update, not Page.save: nothing visitors see changes, so nothing is purged.
    Page.objects.filter(pk=page.pk).update(
        draft_data=data,
        draft_saved_at=now,
        draft_saved_by=user,
        edit_version=F("edit_version") + 1,
        edited_at=now,
        edited_by=user,
    )


def discard_draft(page, *, user):
    Page.objects.filter(pk=page.pk).update(
        draft_data=None,
        draft_saved_at=None,
        draft_saved_by=None,
        workflow_state=Page.WorkflowState.EDITING,
        submitted_digest="",
        edit_version=F("edit_version") + 1,
        edited_at=timezone.now(),
        edited_by=user,
    )
    record(page, user, PageReviewEvent.Action.DISCARDED)


def may_publish(user):
    """Publishing straight away: superusers always; others only without required sign-off."""
    if user.is_superuser:
        return True
    if SiteSettings.load().require_review:
        return user.has_perm("pages.publish_page")
    return user.has_perm("pages.change_page")


def publish(page, *, user, action=PageReviewEvent.Action.PUBLISHED, comment=""):
    """Make the page's draft (or its stored fields) live as a new revision.

    Returns the review event recorded. The caller has checked ``page.full_clean()``
    on the proposed values (see ``proposed_page``).
    """
    sources = draft_sources(page)
    apply_draft(page)
    page.status = Page.Status.PUBLISHED
    page.draft_data = page.draft_saved_at = page.draft_saved_by = None
    page.workflow_state, page.submitted_digest = Page.WorkflowState.EDITING, ""
    page.edited_at, page.edited_by = timezone.now(), user
    note = {
        PageReviewEvent.Action.PUBLISHED: "Published.",
        PageReviewEvent.Action.APPROVED: "Approved and published after medical review",
    }[action]
    submitted = last_event(page, PageReviewEvent.Action.SUBMITTED)
    if action == PageReviewEvent.Action.APPROVED:
        by = f" by {page.reviewed_by}" + (
            f", submitted by {submitted.user_name}" if submitted else ""
        )
        note = f"{note}{by}."
    with transaction.atomic(), reversion.create_revision():
        page.save()
        if sources is not None:
            page.sources.all().delete()
            for values in sources:
                Source.objects.create(page=page, **values)
        reversion.set_user(user)
        reversion.set_comment(note)
    version = Version.objects.get_for_object(page).order_by("-pk").first()
    return record(page, user, action, comment, revision=version.revision if version else None)


def proposed_page(page):
    """A fresh copy of ``page`` as publishing would store it, for validating."""
    copy = apply_draft(Page.objects.get(pk=page.pk))
    copy.status = Page.Status.PUBLISHED
    return copy


# --- Sign-off -------------------------------------------------------------------------


def record(page, user, action, comment="", revision=None):
    return PageReviewEvent.objects.create(
        page=page,
        action=action,
        user=user,
        user_name=user_label(user),
        comment=comment,
        revision=revision,
    )


def last_event(page, action=None):
    events = page.review_events.all()
    if action:
        events = events.filter(action=action)
    return events.first()


def submit(page, *, user, comment=""):
    """Put the page's proposed content in the medical reviewers' queue."""
    fingerprint = digest(page)
    Page.objects.filter(pk=page.pk).update(
        workflow_state=Page.WorkflowState.SUBMITTED, submitted_digest=fingerprint
    )
    page.workflow_state, page.submitted_digest = Page.WorkflowState.SUBMITTED, fingerprint
    record(page, user, PageReviewEvent.Action.SUBMITTED, comment)


def changed_since_submitted(page):
    return page.workflow_state == Page.WorkflowState.SUBMITTED and digest(page) != (
        page.submitted_digest
    )


def approve(page, *, user, credentials):
    """Publish the submitted content, naming the reviewer on the page."""
    ReviewerProfile.objects.update_or_create(
        user=user, defaults={"name_and_credentials": credentials}
    )
    apply_draft(page)
    page.reviewed_by = credentials
    page.last_reviewed_on = timezone.localdate()
    if page.next_review_due and page.next_review_due <= page.last_reviewed_on:
        page.next_review_due = None
    # The review fields go live with the draft, as part of the same revision.
    if has_draft(page):
        page.draft_data["fields"].update(
            reviewed_by=credentials,
            last_reviewed_on=page.last_reviewed_on.isoformat(),
            next_review_due=page.next_review_due.isoformat() if page.next_review_due else None,
        )
    event = publish(page, user=user, action=PageReviewEvent.Action.APPROVED)
    queue_review_mail(event)
    return event


def request_changes(page, *, user, comment):
    Page.objects.filter(pk=page.pk).update(
        workflow_state=Page.WorkflowState.CHANGES_REQUESTED, submitted_digest=""
    )
    page.workflow_state = Page.WorkflowState.CHANGES_REQUESTED
    event = record(page, user, PageReviewEvent.Action.CHANGES_REQUESTED, comment)
    queue_review_mail(event)
    return event


def review_queue():
    return Page.objects.filter(workflow_state=Page.WorkflowState.SUBMITTED).order_by("path")


# --- Unsaved work and presence ----------------------------------------------------------


def keep_unsaved(*, user, page, data, title=""):
    """Store ``data`` (the form's fields) as ``user``'s unsaved work on ``page`` (or a new one)."""
    now = timezone.now()
    values = {"data": data, "saved_at": now, "seen_at": now, "page_title": title[:200]}
    if page is None:
        row, _ = PageAutosave.objects.update_or_create(user=user, new_page=True, defaults=values)
        return row
    row, _ = PageAutosave.objects.update_or_create(user=user, page=page, defaults=values)
    return row


def mark_present(*, user, page):
    """Note that ``user`` has ``page`` open now (their unsaved work is kept as it was)."""
    updated = PageAutosave.objects.filter(user=user, page=page).update(seen_at=timezone.now())
    if not updated:
        PageAutosave.objects.create(user=user, page=page, page_title=page.title[:200])


def others_editing(*, user, page):
    """Names of the other staff with ``page`` open in the editor now."""
    since = timezone.now() - timedelta(
        seconds=max(PRESENCE_SECONDS, 3 * settings.PAGE_AUTOSAVE_SECONDS)
    )
    rows = (
        PageAutosave.objects.filter(page=page, seen_at__gte=since)
        .exclude(user=user)
        .select_related("user")
    )
    return sorted(user_label(row.user) for row in rows)


def unsaved_work(*, user, page):
    """The editor's kept unsaved work on ``page``, or None."""
    return PageAutosave.objects.filter(user=user, page=page).exclude(data={}).first()


def orphaned_work(*, user):
    """Unsaved work of ``user`` on new pages or pages deleted since: offered as new pages."""
    return PageAutosave.objects.filter(user=user, page=None).exclude(data={})


def forget_new_page_work(*, user):
    PageAutosave.objects.filter(user=user, new_page=True).delete()


def forget_unsaved(*, user, page):
    PageAutosave.objects.filter(user=user, page=page).update(data={}, saved_at=None)
