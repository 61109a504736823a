import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import reversion
from django.core.management.base import BaseCommand
from django.db import transaction

from pages.models import DEFAULT_CRISIS_PAGE_PATH, Page, SiteSettings, Source
from pages.richtext import link_to_pages, markdown_to_html

# One file per page, named by its path with dots for slashes (learn.cost.md is
# /learn/cost/): TOML front matter between "+++" lines for the fields that differ
# from the Page defaults (and its sources), then the body in Markdown.
STARTER_DIR = Path(__file__).resolve().parents[2] / "starter"


@dataclass
class StarterPage:
    """One starter file, read: where the page lives, its fields, sources and body."""

    path: str
    fields: dict
    body_markdown: str
    sources: list = field(default_factory=list)


def read_starter_file(file):
    """The page a starter file describes; raises ValueError if it has no front matter."""
    text = file.read_text(encoding="utf-8")
    opening, front, body = text.split("+++\n", 2) if text.startswith("+++\n") else ("", "", "")
    if opening or not front:
        raise ValueError(f"{file.name}: expected front matter between '+++' lines first.")
    fields = tomllib.loads(front)
    sources = fields.pop("sources", [])
    return StarterPage(file.stem.replace(".", "/"), fields, body, sources)


def starter_pages():
    """Every starter page, parents before their children."""
    pages = [read_starter_file(file) for file in sorted(STARTER_DIR.glob("*.md"))]
    return sorted(pages, key=lambda page: page.path.count("/"))


class Command(BaseCommand):
    help = (
        "Create the starter pages that do not exist yet. Pages already at a starter "
        "path are left exactly as editors have them, so running this again changes nothing."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        # Each page created here starts its history, so editors can compare and
        # revert to the text as first loaded.
        with reversion.create_revision():
            reversion.set_comment("Loaded from the starter content.")
            created, kept = self.load()
        self.link_crisis_page(created)
        self.stdout.write(
            f"Starter content: {len(created)} page(s) created, {kept} already present."
        )

    def link_crisis_page(self, created):
        """Point the crisis line at the starter crisis page, if this run created it.

        Only then: an editor who has chosen another page, or none, keeps their choice.
        """
        if DEFAULT_CRISIS_PAGE_PATH not in created:
            return
        settings = SiteSettings.load()
        if settings.crisis_page_id is None:
            settings.crisis_page = Page.objects.get(path=DEFAULT_CRISIS_PAGE_PATH)
            settings.save()

    def load(self):
        """Create the missing starter pages; return the created paths and the count kept."""
        created, kept = [], 0
        specs = starter_pages()
        for spec in specs:
            parent_path, _, slug = spec.path.rpartition("/")
            if Page.objects.filter(path=spec.path).exists():
                kept += 1
                continue
            page = Page(
                slug=slug,
                parent=Page.objects.get(path=parent_path) if parent_path else None,
                status=Page.Status.PUBLISHED,
                body=markdown_to_html(spec.body_markdown),
                **spec.fields,
            )
            if page.is_home and Page.objects.filter(is_home=True).exists():
                page.is_home = False
            page.full_clean()
            page.save()
            # Sources come only with a page created here, never onto an editor's page.
            for position, source in enumerate(spec.sources):
                Source.objects.create(page=page, position=position, **source)
            created.append(spec.path)
        self.link_created_pages(created)
        return created, kept

    def link_created_pages(self, created):
        """Make the new pages' links to each other follow the pages when they move.

        Done once all exist: a page may link to one created after it.
        """
        pk_by_path = dict(Page.objects.values_list("path", "pk"))
        home = Page.objects.filter(is_home=True).values_list("pk", flat=True).first()
        for page in Page.objects.filter(path__in=created):
            linked = link_to_pages(page.body, lambda p: pk_by_path.get(p) if p else home)
            if linked != page.body:
                page.body = linked
                page.save()
