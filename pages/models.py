from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Concat, Now, Substr
from django.db.models.lookups import StartsWith
from django.urls import reverse
from django.utils import timezone

from .markdown import render_markdown
from .reserved import reserved_slugs


class PageQuerySet(models.QuerySet):
    def live_q(self):
        """The page's own switch: published, and its publish time (if any) has come."""
        # Python's clock rather than the database's, so tests can move it.
        return Q(status=Page.Status.PUBLISHED) & (
            Q(publish_at__isnull=True) | Q(publish_at__lte=timezone.now())
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
    body = models.TextField(
        help_text="Written in Markdown: ## for headings, blank lines between paragraphs, "
        "[text](/learn/cost/) for links. Raw HTML is removed."
    )
    body_html = models.TextField(editable=False, default="")
    figure = models.ImageField(
        upload_to="figures/", blank=True, help_text="Optional picture shown under the title."
    )
    figure_alt = models.CharField(
        "figure alt text",
        max_length=250,
        blank=True,
        help_text="Required with a figure: what the picture shows, for people who cannot see it.",
    )
    figure_caption = models.CharField(max_length=300, blank=True)
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
        help_text="Optional: a published page stays hidden until this time.",
    )
    accepts_feedback = models.BooleanField(
        default=True, help_text="Untick to close the critique form at the foot of this page."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = "page"
        verbose_name_plural = "pages"
        constraints = [
            models.UniqueConstraint(
                fields=["is_home"], condition=Q(is_home=True), name="one_home_page"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Derive the path and the rendered body; keep descendants' paths in step."""
        old_path = None
        if self.pk:
            old_path = Page.objects.filter(pk=self.pk).values_list("path", flat=True).first()
        self.path = self.build_path()
        self.body_html = render_markdown(self.body)
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                Page.objects.filter(path__startswith=f"{old_path}/").update(
                    path=Concat(Value(self.path), Substr("path", len(old_path) + 1)),
                    updated_at=Now(),
                )

    def get_absolute_url(self):
        if self.is_home:
            return reverse("pages:home")
        return reverse("pages:detail", kwargs={"path": self.path})

    @property
    def depth(self):
        return self.path.count("/")

    def ancestor_paths(self):
        """Paths of the ancestors, top first, read off this page's own path."""
        parts = self.path.split("/")
        return ["/".join(parts[:i]) for i in range(1, len(parts))]

    def build_path(self):
        return f"{self.parent.path}/{self.slug}" if self.parent_id else self.slug

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
        if self.figure and not self.figure_alt.strip():
            errors["figure_alt"] = ValidationError(
                "Describe the figure for people who cannot see it.", code="figure_alt_required"
            )
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
