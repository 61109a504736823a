import html
import io

import reversion
from django.conf import settings
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import connections, models, transaction
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Concat, Now, Substr
from django.db.models.lookups import StartsWith
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.http import url_has_allowed_host_and_scheme
from django_prose_editor.fields import ProseEditorField

from .readability import flesch_kincaid_grade, target_grade
from .reserved import reserved_slugs
from .richtext import BODY_EXTENSIONS, block_break, body_links, clean_body


def search_vector():
    """What PostgreSQL searches: title over summary over body, with English stemming."""
    return (
        SearchVector("title", weight="A", config="english")
        + SearchVector("summary", weight="B", config="english")
        + SearchVector("body_text", weight="C", config="english")
    )


def normalise_line_endings(obj):
    """Store text with "\n" line endings, whatever the browser sent ("\r\n").

    Otherwise the first admin save of text written elsewhere marks every line as
    changed in a comparison.
    """
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if field.editable and isinstance(value, str) and "\r" in value:
            setattr(obj, field.attname, value.replace("\r\n", "\n").replace("\r", "\n"))


# Fixed-width pieces, so plain string order is tree order under any collation:
# the position, then the slug's bytes as hex padded with "0" (no slug byte is 0).
SLUG_HEX_WIDTH = 200


def tree_order_segment(position, slug):
    return f"{position:010d}{slug.encode().hex():0<{SLUG_HEX_WIDTH}}"


class PageQuerySet(models.QuerySet):
    def live_q(self):
        """The page's own switch: published, its publish time (if any) come and its
        expiry time (if any) not yet."""
        # Python's clock rather than the database's, so tests can move it.
        now = timezone.now()
        return (
            Q(status=Page.Status.PUBLISHED)
            & (Q(publish_at__isnull=True) | Q(publish_at__lte=now))
            & (Q(expire_at__isnull=True) | Q(expire_at__gt=now))
        )

    def published(self):
        """Pages visitors may see: live themselves and with no hidden ancestor.

        This is the only definition of "public": every view, menu, sitemap and
        search starts here, so a draft cannot leak through a second code path.
        """
        hidden_ancestor = Page.objects.exclude(self.live_q()).filter(
            StartsWith(OuterRef("path"), Concat(F("path"), Value("/")))
        )
        return self.filter(self.live_q()).exclude(Exists(hidden_ancestor))

    def above_reading_target(self):
        """Pages whose body needs a higher school grade than the site's target."""
        return self.filter(reading_grade__gt=target_grade())

    def review_overdue(self):
        """Pages whose next medical review was due before today."""
        return self.filter(next_review_due__lt=timezone.localdate())

    def review_missing(self):
        """Pages never medically reviewed (and not already counted as overdue)."""
        return self.filter(last_reviewed_on__isnull=True).exclude(
            next_review_due__lt=timezone.localdate()
        )

    def review_up_to_date(self):
        """Reviewed pages with no review due before today.

        With review_overdue() and review_missing() this splits all pages in three.
        """
        return self.filter(last_reviewed_on__isnull=False).exclude(
            next_review_due__lt=timezone.localdate()
        )


# The editing workflow's bookkeeping: never part of what a revision restores.
WORKFLOW_FIELDS = [
    "edit_version",
    "edited_at",
    "edited_by",
    "draft_data",
    "draft_saved_at",
    "draft_saved_by",
    "workflow_state",
    "submitted_digest",
]


# Derived fields are left out of revisions: reverting goes through Page.save,
# which recomputes them from the fields an editor actually wrote. A revision also
# keeps the page's sources, so going back restores what the page cited then.
@reversion.register(
    exclude=["path", "body_html", "body_text", "search_document", "tree_order", *WORKFLOW_FIELDS],
    follow=["sources"],
)
class Page(models.Model):
    """An article page; pages form a tree and the URL is the path of slugs."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=100,
        help_text="The last part of the page's address. Letters, numbers and hyphens only.",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="Leave empty for a top-level page. The address becomes parent/slug.",
    )
    path = models.CharField(
        max_length=500,
        unique=True,
        editable=False,
        help_text="Slugs from the top of the tree, joined by '/'. Derived on save.",
    )
    position = models.PositiveIntegerField(
        default=0, help_text="Order among its sibling pages: lower numbers come first."
    )
    show_in_menu = models.BooleanField(
        default=True, help_text="Untick to leave this page out of the Learn menu."
    )
    is_home = models.BooleanField(
        "home page",
        default=False,
        help_text="Tick for the one page served at the site's front door (/).",
    )
    summary = models.CharField(
        max_length=160,
        help_text="One or two sentences shown to search engines and in link previews "
        "(at most 160 characters).",
    )
    epigraph_quote = models.TextField(
        "epigraph", blank=True, help_text="Optional quotation shown above the article."
    )
    epigraph_person = models.CharField(
        "quoted person", max_length=200, blank=True, help_text="Who said the quotation."
    )
    epigraph_role = models.CharField(
        "quoted person's role",
        max_length=200,
        blank=True,
        help_text="Their role, e.g. 'Director, National Institute of Mental Health'.",
    )
    # The visual editor's HTML, cleaned by an allow-list on every save whatever sent it.
    body = ProseEditorField(
        config={"extensions": BODY_EXTENSIONS},
        sanitize=clean_body,
        help_text="Use the toolbar for headings, lists, links and pictures. Text pasted from "
        "Word or Google Docs keeps only those; other formatting is removed.",
    )
    body_html = models.TextField(editable=False, default="")
    body_text = models.TextField(
        editable=False, default="", help_text="The body as plain text, for search. Derived on save."
    )
    reading_grade = models.FloatField(
        "reading grade",
        null=True,
        blank=True,
        editable=False,
        help_text="Flesch-Kincaid grade of the body: the US school year needed to follow it. "
        "Derived on save; kept with each revision.",
    )
    search_document = SearchVectorField(
        null=True,
        editable=False,
        help_text="PostgreSQL's search index of title, summary and body. Derived on save.",
    )
    figure = models.ForeignKey(
        "Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="figure_of",
        help_text="Optional picture from the image library, shown under the title with its "
        "caption. Type a word of its description to find it.",
    )
    byline = models.CharField(
        max_length=200, blank=True, help_text="Optional author line, e.g. 'By Dr A. Smith, MD'."
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text="Drafts, and every page under a draft, are hidden from visitors.",
    )
    publish_at = models.DateTimeField(
        "publish at",
        null=True,
        blank=True,
        help_text="Optional: a published page stays hidden until this time "
        "(in the site's time zone, shown next to the field).",
    )
    expire_at = models.DateTimeField(
        "expire at",
        null=True,
        blank=True,
        help_text="Optional: the page, and every page under it, leaves the site at this time "
        "(in the site's time zone). Nothing is deleted; clear the time to bring it back.",
    )
    accepts_feedback = models.BooleanField(
        default=True, help_text="Untick to close the critique form at the foot of this page."
    )
    reviewed_by = models.CharField(
        "medically reviewed by",
        max_length=200,
        blank=True,
        help_text="Name and credentials of the clinician who checked this page, "
        "e.g. 'Dr Jane Doe, MD, psychiatrist'. Shown to visitors with the review date.",
    )
    last_reviewed_on = models.DateField(
        "last reviewed on",
        null=True,
        blank=True,
        help_text="When they last checked it. Leave empty if the page has never been reviewed.",
    )
    next_review_due = models.DateField(
        "next review due",
        null=True,
        blank=True,
        help_text="When the page should be checked again. The review report lists it once "
        "this date has passed.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    tree_order = models.TextField(
        editable=False,
        default="",
        help_text="Sorts pages as the menu shows them, children under their parent. "
        "Derived on save.",
    )

    # Optimistic locking: every save through the editor moves this on, and the
    # editor's form carries the value it started from (see pages/locking.py).
    edit_version = models.PositiveIntegerField(default=0, editable=False)
    edited_at = models.DateTimeField(null=True, editable=False)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )
    # Unpublished changes of a live page (see pages/workflow.py): visitors keep
    # the page's own fields until the draft is published.
    draft_data = models.JSONField(null=True, editable=False)
    draft_saved_at = models.DateTimeField(null=True, editable=False)
    draft_saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )

    class WorkflowState(models.TextChoices):
        EDITING = "", "Being edited"
        SUBMITTED = "submitted", "Awaiting medical review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"

    workflow_state = models.CharField(
        max_length=20, choices=WorkflowState.choices, default="", blank=True, editable=False
    )
    submitted_digest = models.CharField(max_length=64, blank=True, editable=False)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = "page"
        verbose_name_plural = "pages"
        permissions = [
            ("publish_page", "Can publish pages without a medical review"),
            ("review_page", "Can approve pages submitted for medical review"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["is_home"], condition=Q(is_home=True), name="one_home_page"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Derive fields, keep descendants' paths in step and leave redirects at old addresses.

        When a published page moves, its old address and every descendant's old address
        answer with a permanent redirect to the moved page, all in one transaction.
        """
        previous = None
        if self.pk:
            previous = (
                Page.objects.filter(pk=self.pk).values("path", "status", "tree_order").first()
            )
        self.edit_version += 1
        self.derive_fields()
        with transaction.atomic():
            super().save(*args, **kwargs)
            if connections[self._state.db].vendor == "postgresql":
                # Stored and indexed, so a search does not parse every page's text.
                Page.objects.using(self._state.db).filter(pk=self.pk).update(
                    search_document=search_vector()
                )
            new_paths = [self.path]
            # A page restored from a deleted revision has no address yet: nothing moved.
            if previous and previous["path"] and previous["path"] != self.path:
                old_path = previous["path"]
                descendants = Page.objects.filter(path__startswith=f"{old_path}/")
                moved = [(self.pk, old_path), *descendants.values_list("pk", "path")]
                descendants.update(
                    path=Concat(Value(self.path), Substr("path", len(old_path) + 1)),
                    updated_at=Now(),
                )
                new_paths += [self.path + path[len(old_path) :] for _, path in moved[1:]]
                # Only addresses visitors may have used (bookmarks, search engines)
                # need to keep answering; a draft's address never did.
                if previous["status"] == Page.Status.PUBLISHED:
                    Redirect.objects.record_moves(moved)
            if previous:
                self.follow_tree_order(previous["tree_order"])
            # A page living at an address wins over any redirect from it.
            Redirect.objects.filter(old_path__in=[f"/{path}/" for path in new_paths]).delete()

    def get_absolute_url(self):
        if self.is_home:
            return reverse("pages:home")
        return reverse("pages:detail", kwargs={"path": self.path})

    def derive_fields(self):
        """Fill in what is computed from the editor's input: address and rendered body."""
        normalise_line_endings(self)
        self.path = self.build_path()
        self.tree_order = (self.parent.tree_order if self.parent_id else "") + tree_order_segment(
            self.position, self.slug
        )
        self.body = clean_body(self.body)
        self.body_html = self.body
        self.body_text = " ".join(html.unescape(strip_tags(self.body_html)).split())
        self.reading_grade = flesch_kincaid_grade(html.unescape(strip_tags(block_break(self.body))))

    def link_problems(self):
        """Links in the body that visitors could not follow, described for the editor.

        A link to a chosen page is checked by the page; a typed address on this site
        by the page (or redirect) living there. Other sites are not checked.
        """
        problems = []
        visible = Page.objects.published()
        for link in body_links(self.body):
            words = f"“{link.text or link.href}”"
            if link.page_id is not None:
                target = Page.objects.filter(pk=link.page_id).first()
                if target is None:
                    problems.append(f"{words} links to a page that no longer exists.")
                elif not visible.filter(pk=target.pk).exists():
                    problems.append(
                        f"{words} links to “{target.title}”, which visitors cannot see "
                        "(a draft, scheduled, or under a hidden page)."
                    )
            elif _is_site_path(link.href) and not _site_address_answers(link.href):
                problems.append(f"{words} links to {link.href}, where there is no page.")
        return problems

    def follow_tree_order(self, old_order):
        """Give descendants this page's new place in the tree order (after a save)."""
        if old_order and old_order != self.tree_order:
            Page.objects.filter(path__startswith=f"{self.path}/").update(
                tree_order=Concat(Value(self.tree_order), Substr("tree_order", len(old_order) + 1))
            )

    @property
    def depth(self):
        return self.path.count("/")

    def ancestor_paths(self):
        """Paths of the ancestors, top first, read off this page's own path."""
        parts = self.path.split("/")
        return ["/".join(parts[:i]) for i in range(1, len(parts))]

    def build_path(self):
        return f"{self.parent.path}/{self.slug}" if self.parent_id else self.slug

    def cached_sources(self):
        """The page's sources as visitors see them, in order, usually without a query.

        Cached under the page's last update time: saving or deleting a source touches
        the page (see Source.save), so the list is never stale after an edit.
        """
        if self.pk is None:
            return []
        stamp = self.updated_at.timestamp() if self.updated_at else 0
        key = f"pages:sources:{self.pk}:{stamp}"
        sources = cache.get(key)
        if sources is None:
            sources = list(self.sources.values("title", "publisher", "year", "url"))
            cache.set(key, sources, timeout=SOURCES_CACHE_SECONDS)
        return sources

    @property
    def review_state(self):
        """The medical review's state: "overdue", "missing" or "up to date"."""
        if self.next_review_due and self.next_review_due < timezone.localdate():
            return "overdue"
        return "missing" if self.last_reviewed_on is None else "up to date"

    @property
    def days_overdue(self):
        """Whole days since the next review was due; 0 when it is not overdue."""
        if not self.next_review_due:
            return 0
        return max((timezone.localdate() - self.next_review_due).days, 0)

    def clean(self):
        errors = {}
        if self.parent_id is None and self.slug in reserved_slugs():
            errors["slug"] = ValidationError(
                "“%(slug)s” is used by the site itself (%(reserved)s). Choose another slug.",
                code="reserved_slug",
                params={"slug": self.slug, "reserved": ", ".join(sorted(reserved_slugs()))},
            )
        if self.parent_id and self.pk:
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    errors["parent"] = ValidationError(
                        "A page cannot be placed under itself or under one of its own sub-pages.",
                        code="cyclic_parent",
                    )
                    break
                ancestor = ancestor.parent
        if "slug" not in errors and "parent" not in errors and self.slug:
            siblings = Page.objects.filter(parent_id=self.parent_id, slug=self.slug).exclude(
                pk=self.pk
            )
            if siblings.exists():
                errors["slug"] = ValidationError(
                    "Another page under the same parent already uses the slug “%(slug)s”.",
                    code="duplicate_slug",
                    params={"slug": self.slug},
                )
        errors.update(self._review_errors())
        if self.is_home:
            other_home = Page.objects.filter(is_home=True).exclude(pk=self.pk).first()
            if other_home:
                errors["is_home"] = ValidationError(
                    "“%(title)s” is already the home page. Untick it there first.",
                    code="second_home",
                    params={"title": other_home.title},
                )
        if errors:
            raise ValidationError(errors)

    def _review_errors(self):
        """A review names who and when together, lies in the past, and is due again later."""
        errors = {}
        self.reviewed_by = self.reviewed_by.strip()
        if self.reviewed_by and not self.last_reviewed_on:
            errors["last_reviewed_on"] = ValidationError(
                "Give the date of the review as well as who reviewed the page.",
                code="review_date_required",
            )
        elif self.last_reviewed_on and not self.reviewed_by:
            errors["reviewed_by"] = ValidationError(
                "Give the name and credentials of who reviewed the page.",
                code="reviewer_required",
            )
        if self.last_reviewed_on and self.last_reviewed_on > timezone.localdate():
            errors["last_reviewed_on"] = ValidationError(
                "The last review cannot be in the future.", code="review_in_future"
            )
        if (
            self.last_reviewed_on
            and self.next_review_due
            and self.next_review_due <= self.last_reviewed_on
        ):
            errors["next_review_due"] = ValidationError(
                "The next review must be due after the last review (%(last)s).",
                code="next_review_too_early",
                params={"last": self.last_reviewed_on.isoformat()},
            )
        return errors


# A bulk change that bypasses Source.save can leave the list stale for this long at most.
SOURCES_CACHE_SECONDS = 24 * 60 * 60


def latest_source_year():
    """Next year: a source may be in press."""
    return timezone.localdate().year + 1


@reversion.register()
class Source(models.Model):
    """A publication a page relies on, listed at the foot of the article."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(
        max_length=300, help_text="The title of the article, book or web page."
    )
    publisher = models.CharField(
        "publisher or journal",
        max_length=200,
        help_text="e.g. 'Biological Psychiatry' or 'National Institute of Mental Health'.",
    )
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(latest_source_year)],
        help_text="Year of publication, e.g. 2000. Leave empty if it has none.",
    )
    url = models.URLField(
        "link",
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="Optional address where readers can find it, starting with https://.",
    )
    position = models.PositiveIntegerField(
        default=0, help_text="Order in the list: lower numbers come first."
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "source"
        verbose_name_plural = "sources"

    def __str__(self):
        return f"{self.title} ({self.publisher}, {self.year})" if self.year else self.title

    def save(self, *args, **kwargs):
        """Save, and mark the page as changed: its cached source list is keyed on that."""
        with transaction.atomic():
            super().save(*args, **kwargs)
            self._touch_page()

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            self._touch_page()
        return result

    def _touch_page(self):
        # An update, not Page.save: nothing of the page itself needs deriving again,
        # and the editor's own save of the page already made the revision.
        Page.objects.filter(pk=self.page_id).update(updated_at=timezone.now())


def site_address(value):
    """``value`` as a site address ending in '/', without query or fragment (for comparing)."""
    address = value.split("?", 1)[0].split("#", 1)[0]
    return address if address.endswith("/") else f"{address}/"


class RedirectQuerySet(models.QuerySet):
    def record_moves(self, moved):
        """Send each old address to the page that lived there, given (page pk, old path) pairs.

        The redirect points at the page, not at its new address, so it keeps working
        however often the page moves again.
        """
        self.bulk_create(
            [
                Redirect(old_path=f"/{path}/", target_page_id=pk, is_automatic=True)
                for pk, path in moved
            ],
            update_conflicts=True,
            unique_fields=["old_path"],
            update_fields=["target_page", "target_path", "is_automatic"],
        )

    def destination_for(self, address):
        """Where a visitor asking for ``address`` should be sent, or None.

        A redirect to a page answers only while that page is visible to visitors.
        """
        redirect = self.filter(old_path=address).first()
        if redirect is None:
            return None
        if not redirect.target_page_id:
            return redirect.target_path
        page = Page.objects.published().filter(pk=redirect.target_page_id).first()
        return page.get_absolute_url() if page else None


class Redirect(models.Model):
    """An old address that answers with a permanent redirect to a page or another address."""

    MAX_CHAIN = 10

    old_path = models.CharField(
        "old address",
        max_length=500,
        unique=True,
        help_text="The address that should keep working, e.g. /learn/price/.",
    )
    target_page = models.ForeignKey(
        Page,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="redirects",
        help_text="The page visitors are sent to, wherever it lives now.",
    )
    target_path = models.CharField(
        "or target address",
        max_length=500,
        blank=True,
        help_text="Instead of a page: an address on this site, e.g. /search/?q=cost.",
    )
    is_automatic = models.BooleanField(
        "made automatically",
        default=False,
        help_text="Made by the site when a published page moved.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RedirectQuerySet.as_manager()

    class Meta:
        ordering = ["old_path"]
        verbose_name = "redirect"
        verbose_name_plural = "redirects"
        constraints = [
            models.CheckConstraint(
                condition=(Q(target_page__isnull=False) & Q(target_path=""))
                | (Q(target_page__isnull=True) & ~Q(target_path="")),
                name="redirect_has_one_target",
                violation_error_message="Choose a target page or type a target address, not both.",
            ),
        ]

    def __str__(self):
        return f"{self.old_path} → {self.target_url}"

    @property
    def target_url(self):
        if self.target_page_id:
            return self.target_page.get_absolute_url()
        return self.target_path

    def clean(self):
        """Refuse addresses off this site, addresses a page owns, and redirect loops."""
        self.old_path = self.old_path.strip()
        self.target_path = self.target_path.strip()
        errors = {}
        if not _is_site_path(self.old_path) or "?" in self.old_path or "#" in self.old_path:
            errors["old_path"] = ValidationError(
                "Type the old address as a path on this site, starting with '/', "
                "e.g. /learn/price/ (no domain, query or #anchor).",
                code="not_a_site_path",
            )
        else:
            self.old_path = site_address(self.old_path)
            first_segment = self.old_path.strip("/").split("/")[0]
            if self.old_path == "/" or first_segment in reserved_slugs():
                errors["old_path"] = ValidationError(
                    "This address belongs to the site itself and cannot be redirected.",
                    code="reserved_path",
                )
            elif Page.objects.filter(path=self.old_path.strip("/")).exists():
                errors["old_path"] = ValidationError(
                    "A page lives at this address, and a page always wins over a redirect. "
                    "Move or delete that page first.",
                    code="page_exists",
                )
        if bool(self.target_page_id) == bool(self.target_path):
            errors["target_page"] = ValidationError(
                "Choose a target page or type a target address (one of the two).",
                code="one_target",
            )
        elif self.target_path and not _is_site_path(self.target_path):
            errors["target_path"] = ValidationError(
                "Type an address on this site, starting with '/', e.g. /learn/cost/.",
                code="not_a_site_path",
            )
        if not errors:
            self._refuse_loops()
        if errors:
            raise ValidationError(errors)

    def _refuse_loops(self):
        seen = {self.old_path}
        step = self
        for _ in range(self.MAX_CHAIN):
            address = site_address(step.target_url)
            if address in seen:
                raise ValidationError(
                    "This redirect would send visitors in a circle back to %(address)s. "
                    "Choose a different target.",
                    code="redirect_loop",
                    params={"address": address},
                )
            if step.target_page_id or Page.objects.filter(path=address.strip("/")).exists():
                return
            seen.add(address)
            step = (
                Redirect.objects.exclude(pk=self.pk).filter(old_path=address).first()
                if address != "/"
                else None
            )
            if step is None:
                return
        raise ValidationError(
            "This redirect leads through more than %(max)s others. Point it at the final page.",
            code="redirect_chain_too_long",
            params={"max": self.MAX_CHAIN},
        )


def _site_address_answers(href):
    """True when a visitor following ``href`` (a path on this site) finds something."""
    address = site_address(href)
    try:
        match = resolve(address)
    except Resolver404:
        return False
    if match.url_name == "home" or match.url_name != "detail":
        return True
    path = match.kwargs["path"]
    return (
        Page.objects.published().filter(path=path).exists()
        or Redirect.objects.destination_for(address) is not None
    )


def _is_site_path(value):
    """True for an address on this site: '/…', never '//host' or 'scheme:'."""
    return (
        value.startswith("/")
        and not value.startswith("//")
        and "\\" not in value
        and url_has_allowed_host_and_scheme(value, allowed_hosts=None)
    )


# The starter content's crisis page; new settings point at it when it exists.
DEFAULT_CRISIS_PAGE_PATH = "crisis-resources"


class SiteSettings(models.Model):
    """Site-wide wording editors change without a release: one row, pk 1.

    Read per request through the cached page tree (pages/tree.py), whose key
    includes this row's ``updated_at``, so a save is seen by every app server at
    once and costs visitors no extra query.
    """

    SINGLETON_PK = 1

    show_crisis_line = models.BooleanField(
        "show the crisis line",
        default=True,
        help_text="A short line at the top of every page and by the feedback form pointing "
        "people in crisis to help. Untick to hide it everywhere.",
    )
    crisis_text = models.CharField(
        max_length=300,
        default="In crisis or thinking about suicide? In the US, call or text 988 "
        "(Suicide & Crisis Lifeline), any time.",
        help_text="Keep it short and calm, with the number to call or text.",
    )
    crisis_link_text = models.CharField(
        "crisis link text",
        max_length=100,
        default="More crisis resources",
        help_text="The words of the link to the crisis page.",
    )
    crisis_page = models.ForeignKey(
        Page,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The page the crisis line links to. Leave empty for the text alone.",
    )
    require_review = models.BooleanField(
        "publishing needs medical sign-off",
        default=True,
        help_text="While ticked, an editor's change to a page reaches visitors only after "
        "a medical reviewer approves it. Superusers may still publish directly.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    edit_version = models.PositiveIntegerField(default=0, editable=False)
    edited_at = models.DateTimeField(null=True, editable=False)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = "site settings"
        verbose_name_plural = "site settings"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="site_settings_single_row"),
        ]

    def __str__(self):
        return "Site settings"

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON_PK  # there is only ever the one row
        self.edit_version += 1
        normalise_line_endings(self)
        super().save(*args, **kwargs)

    def clean(self):
        if self.crisis_page_id and not Page.objects.published().filter(pk=self.crisis_page_id):
            raise ValidationError(
                {
                    "crisis_page": ValidationError(
                        "Visitors cannot see this page (it is a draft, scheduled, or under a "
                        "hidden page). Publish it first, or choose another.",
                        code="crisis_page_hidden",
                    )
                }
            )

    @classmethod
    def load(cls):
        """The settings row, created with the defaults (and the starter crisis page) if missing."""
        settings, _ = cls.objects.get_or_create(
            pk=cls.SINGLETON_PK,
            # A callable: the page is looked up only when the row is created.
            defaults={
                "crisis_page": lambda: Page.objects.filter(path=DEFAULT_CRISIS_PAGE_PATH).first()
            },
        )
        return settings


class PageAutosave(models.Model):
    """An editor's unsaved form input for one page, kept as they type.

    Never shown to visitors and never applied to the page by itself: the editor is
    offered it back when they open the page again. ``seen_at`` also says who has
    the page open now. A row without a page is a new page, or one since deleted.
    """

    shown_to_visitors = False  # saving one changes nothing visitors see (pages/frontend_cache.py)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.SET_NULL, related_name="autosaves"
    )
    page_title = models.CharField(max_length=200, blank=True)
    new_page = models.BooleanField(
        default=False, help_text="Typed into the form for a new page (not yet saved)."
    )
    data = models.JSONField(default=dict, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-saved_at"]
        verbose_name = "unsaved change"
        verbose_name_plural = "unsaved changes"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "page"],
                condition=Q(page__isnull=False),
                name="one_autosave_per_page",
            ),
        ]

    def __str__(self):
        return f"{self.user} on {self.page_title or 'a new page'}"


class PageReviewEvent(models.Model):
    """One step of a page's sign-off: submitted, approved, changes requested, published."""

    shown_to_visitors = False  # saving one changes nothing visitors see (pages/frontend_cache.py)

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        APPROVED = "approved", "Approved and published"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        PUBLISHED = "published", "Published directly"
        DISCARDED = "discarded", "Draft discarded"

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="review_events")
    action = models.CharField(max_length=20, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    user_name = models.CharField(max_length=200, help_text="As shown then, kept if the user goes.")
    comment = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)
    revision = models.ForeignKey(
        "reversion.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "review step"
        verbose_name_plural = "review steps"

    def __str__(self):
        return f"{self.get_action_display()} by {self.user_name}"


class ReviewerProfile(models.Model):
    """How a medical reviewer is named to visitors on the pages they approve."""

    shown_to_visitors = False  # saving one changes nothing visitors see (pages/frontend_cache.py)

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile"
    )
    name_and_credentials = models.CharField(
        max_length=200,
        help_text="Shown to visitors as “Medically reviewed by …”, "
        "e.g. 'Dr Jane Doe, MD, psychiatrist'.",
    )

    class Meta:
        ordering = ["name_and_credentials"]
        verbose_name = "medical reviewer"
        verbose_name_plural = "medical reviewers"

    def __str__(self):
        return self.name_and_credentials


class ImageQuerySet(models.QuerySet):
    def pictures(self, pks):
        """{pk: Picture} for the given images, with their renditions, in two queries."""
        found = self.filter(pk__in=pks).prefetch_related("renditions")
        pictures = {}
        for image in found:
            if not image.renditions.all() and image.width:
                # Made at upload; only a figure moved into the library by the migration
                # gets them here, on its first showing.
                image.make_renditions()
                image = self.prefetch_related("renditions").get(pk=image.pk)
            pictures[image.pk] = image.picture()
        return pictures


class Image(models.Model):
    """A picture in the library, usable as a page's figure or inside a page's text."""

    file = models.ImageField(
        upload_to="images/",
        width_field="width",
        height_field="height",
        help_text="JPEG, PNG, WebP, AVIF or GIF, at most 10 MB and 40 million pixels. "
        "Location and camera details are removed.",
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    alt_text = models.CharField(
        "alt text",
        max_length=250,
        blank=True,
        help_text="What the picture shows, for people who cannot see it, e.g. 'A nurse "
        "adjusting an infusion pump beside a reclining chair'.",
    )
    is_decorative = models.BooleanField(
        "decorative",
        default=False,
        help_text="Tick only if the picture adds nothing to the words around it; "
        "screen readers then skip it.",
    )
    caption = models.CharField(
        max_length=300, blank=True, help_text="Shown under the picture when it is a page's figure."
    )
    credit = models.CharField(
        "credit or licence",
        max_length=200,
        blank=True,
        help_text="Who made it and on what terms, e.g. 'Photo: J. Doe, CC BY 4.0'.",
    )
    uploaded_by = models.ForeignKey(
        "auth.User",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = "image"
        verbose_name_plural = "images"

    def __str__(self):
        return self.alt_text or f"Decorative picture {self.pk}" if self.pk else "New picture"

    def clean(self):
        self.alt_text = self.alt_text.strip()
        if not self.alt_text and not self.is_decorative:
            raise ValidationError(
                {
                    "alt_text": ValidationError(
                        "Describe the picture for people who cannot see it, or tick "
                        "“decorative” if it adds nothing to the text.",
                        code="alt_text_required",
                    )
                }
            )

    @property
    def alt(self):
        return "" if self.is_decorative else self.alt_text

    def delete(self, *args, **kwargs):
        """Delete the image, and its files once the deletion is committed."""
        names = [self.file.name, *self.renditions.values_list("file", flat=True)]
        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
        return result

    def pages_using(self):
        """Pages showing this image, as their figure or in their text."""
        return Page.objects.filter(
            Q(figure=self) | Q(body__contains=f'data-file="{self.pk}"')
        ).order_by("path")

    def make_renditions(self):
        """Make the missing renditions (once per width and format); returns them all."""
        from .images import fallback_format, make_rendition, rendition_widths, store

        existing = {(r.width, r.format): r for r in self.renditions.all()}
        self.file.open("rb")
        try:
            source = self.file.read()
        finally:
            self.file.close()
        fallback = fallback_format(
            self.file.name.rsplit(".", 1)[-1].lower(), self.has_alpha(source)
        )
        for width in rendition_widths(self.width):
            for extension in ("webp", fallback):
                if (width, extension) in existing:
                    continue
                content, (made_width, made_height) = make_rendition(source, width, extension)
                stem = self.file.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
                name = store(f"renditions/{stem}-{width}.{extension}", content)
                existing[width, extension] = Rendition.objects.create(
                    image=self, width=made_width, height=made_height, format=extension, file=name
                )
        return list(existing.values())

    @staticmethod
    def has_alpha(source):
        from PIL import Image as PillowImage

        with PillowImage.open(io.BytesIO(source)) as image:
            return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info

    def picture(self):
        """The image as a Picture (srcsets of its renditions), from prefetched renditions."""
        from .images import Picture, srcset

        renditions = sorted(self.renditions.all(), key=lambda r: r.width)
        webp = [r for r in renditions if r.format == "webp"]
        other = [r for r in renditions if r.format != "webp"]
        if not other:
            return None
        middle = next((r for r in other if r.width >= 800), other[-1])
        return Picture(
            alt=self.alt,
            width=self.width,
            height=self.height,
            src=middle.url,
            srcset=srcset(other),
            webp_srcset=srcset(webp),
            share_src=other[-1].url,
            caption=self.caption,
            credit=self.credit,
        )


class Rendition(models.Model):
    """One resized copy of an image, in one format; made once, never per request."""

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    format = models.CharField(max_length=8)
    file = models.CharField(max_length=300, help_text="Its name on the default storage.")

    class Meta:
        ordering = ["image", "width", "format"]
        verbose_name = "rendition"
        verbose_name_plural = "renditions"
        constraints = [
            models.UniqueConstraint(fields=["image", "width", "format"], name="one_rendition_each")
        ]

    def __str__(self):
        return f"{self.file} ({self.width}×{self.height})"

    @property
    def url(self):
        return default_storage.url(self.file)
