"""Page revisions (kept by django-reversion): what changed, and going back.

Only the fields an editor writes are compared and restored; the derived ones
(address, rendered body) are recomputed by ``Page.save`` on revert.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher

from django.core.exceptions import ObjectDoesNotExist
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from reversion.models import Version

from .models import Page, Source
from .recent import recent_pages
from .richtext import readable_text

TEXT_FIELDS = ["title", "summary", "body"]
# Unchanged stretches of the body longer than this many words are shortened to
# their ends, so a one-word fix in a long article is easy to spot.
CONTEXT_WORDS = 25


def editable_fields():
    """The fields an editor writes: the ones a revision restores."""
    return [f for f in Page._meta.concrete_fields if f.editable and not f.primary_key]


def versions_of(page_pk):
    """The saved revisions of a page, newest first."""
    return (
        Version.objects.get_for_object_reference(Page, page_pk)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def latest_version_id(page):
    """The pk of the newest saved revision of ``page``, or None; cached per page save.

    Every revision is made together with a save of the page, which moves
    ``updated_at``: a key made of both can never name an out-of-date answer, so
    a page view usually costs no query for it.
    """
    if page.pk is None or page.updated_at is None:
        return None
    key = f"pages:latest-version:{page.pk}:{page.updated_at.timestamp()}"

    def newest():  # a dict, so "no revision" is kept too
        return {"pk": versions_of(page.pk).values_list("pk", flat=True).first()}

    return recent_pages.get_or_make(key, newest, 60 * 60 * 24)["pk"]


def revision_numbers(page_pk):
    """Each saved revision's number in the page's history, oldest first: {version pk: N}."""
    oldest_first = versions_of(page_pk).order_by("revision__date_created", "pk")
    return {pk: n for n, pk in enumerate(oldest_first.values_list("pk", flat=True), start=1)}


def revision_label(version, number):
    """ "Revision 3 — 21 November 2026, 10:04 by sam": how reviewers name a revision."""
    when = date_format(localtime(version.revision.date_created), "DATETIME_FORMAT")
    user = version.revision.user
    return f"Revision {number} — {when}" + (f" by {user.get_username()}" if user else "")


def revision_values(version):
    """The editable field values stored in ``version``, by attribute name."""
    stored = version.field_dict
    return {f.attname: stored[f.attname] for f in editable_fields() if f.attname in stored}


def apply_revision(page, version):
    """Put the revision's editable values on ``page`` (in memory; the caller saves)."""
    for attname, value in revision_values(version).items():
        setattr(page, attname, value)
    return page


# What a revision restores of each source (the page it belongs to is the reverted page).
SOURCE_FIELDS = ["title", "publisher", "year", "url", "position"]


def revision_sources(version):
    """The sources the page had in ``version``'s revision, in their order, as field dicts.

    A revision made before pages had sources holds none: the page cited nothing then.
    """
    page_pk = str(version.object_id)
    stored = [
        source_version.field_dict
        for source_version in version.revision.version_set.get_for_model(Source)
    ]
    # One revision may hold several pages (the starter content is loaded in one).
    stored = [values for values in stored if str(values["page_id"]) == page_pk]
    stored.sort(key=lambda values: (values["position"], values["id"]))
    return [{name: values[name] for name in SOURCE_FIELDS} for values in stored]


def restore_sources(page, version):
    """Replace ``page``'s sources with those of the revision (the caller holds a transaction)."""
    page.sources.all().delete()
    for values in revision_sources(version):
        Source.objects.create(page=page, **values)


def revert_comment(version):
    when = date_format(localtime(version.revision.date_created), "DATETIME_FORMAT")
    return f"Reverted to the revision of {when}."


@dataclass(frozen=True)
class FieldChange:
    """One field that differs: an inline diff for text, else old and new values."""

    label: str
    diff: SafeString = mark_safe("")  # noqa: S308
    old: str = ""
    new: str = ""


def compare(version, page):
    """How ``page`` as it is now differs from the revision in ``version``."""
    values = revision_values(version)
    old = Page(pk=page.pk, **values)
    return compare_values(
        old, page, revision_sources(version), page.sources.values(*SOURCE_FIELDS), set(values)
    )


def compare_versions(older, newer):
    """How the revision ``newer`` differs from the revision ``older`` (same page)."""
    old_values, new_values = revision_values(older), revision_values(newer)
    return compare_values(
        Page(pk=older.object_id, **old_values),
        Page(pk=newer.object_id, **new_values),
        revision_sources(older),
        revision_sources(newer),
        set(old_values) & set(new_values),
    )


def compare_values(old, new, old_sources, new_sources, attnames=None):
    """How page ``new`` differs from page ``old`` (in memory), sources given as dicts."""
    changes = []
    for field in editable_fields():
        before, after = field.value_from_object(old), field.value_from_object(new)
        if (attnames is not None and field.attname not in attnames) or before == after:
            continue
        if isinstance(before, str) and isinstance(after, str) and before.strip() == after.strip():
            continue  # the admin form trims text: not a change anyone made
        label = str(field.verbose_name).capitalize()
        if field.name == "body":
            before, after = readable_text(before), readable_text(after)
            if before == after:
                continue  # markup only (the editor's HTML tidied), no word changed
            changes.append(FieldChange(label, diff=inline_diff(before, after, CONTEXT_WORDS)))
        elif field.name in TEXT_FIELDS:
            changes.append(FieldChange(label, diff=inline_diff(before, after)))
        else:
            changes.append(FieldChange(label, old=_display(old, field), new=_display(new, field)))
    before = _sources_display(old_sources)
    after = _sources_display(new_sources)
    if before != after:
        changes.append(FieldChange("Sources", old=before, new=after))
    return changes


def _sources_display(sources):
    entries = [
        ", ".join(str(part) for part in (s["title"], s["publisher"], s["year"], s["url"]) if part)
        for s in sources
    ]
    return "; ".join(entries) or "—"


def inline_diff(old, new, context_words=None):
    """``old`` turned into ``new`` word by word, escaped, with <del> and <ins> marks."""
    a, b = _tokens(old), _tokens(new)
    # autojunk off: in long texts it would treat spaces and common words as noise.
    opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    parts = []
    for n, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            parts.append(_unchanged(a[i1:i2], context_words, n == 0, n == len(opcodes) - 1))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", "".join(a[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", "".join(b[j1:j2])))
    return mark_safe("".join(parts))  # noqa: S308


def _tokens(text):
    return re.findall(r"\s+|\S+", text or "")


def _unchanged(tokens, context_words, is_first, is_last):
    keep = 2 * context_words if context_words else None
    if keep is None or len(tokens) <= 2 * keep + 2:
        return escape("".join(tokens))
    head = "" if is_first else "".join(tokens[:keep])
    tail = "" if is_last else "".join(tokens[-keep:])
    return format_html('{}<span class="diff-skip"> […] </span>{}', head, tail)


def _display(page, field):
    if field.is_relation:
        try:
            related = getattr(page, field.name)
        except ObjectDoesNotExist:
            return "(a page since deleted)"
        return str(related) if related else "—"
    if field.choices:
        return str(getattr(page, f"get_{field.name}_display")())
    value = field.value_from_object(page)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return date_format(localtime(value), "DATETIME_FORMAT")
    return str(value) if value not in (None, "") else "—"
