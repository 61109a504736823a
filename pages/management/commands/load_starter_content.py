import reversion
from django.core.management.base import BaseCommand
from django.db import transaction

from pages.models import DEFAULT_CRISIS_PAGE_PATH, Page, SiteSettings, Source
from pages.starter_content import PAGES


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
        for spec in PAGES:
            parent_path, _, slug = spec["path"].rpartition("/")
            if Page.objects.filter(path=spec["path"]).exists():
                kept += 1
                continue
            fields = {k: v for k, v in spec.items() if k not in ("path", "sources")}
            page = Page(
                slug=slug,
                parent=Page.objects.get(path=parent_path) if parent_path else None,
                status=Page.Status.PUBLISHED,
                **fields,
            )
            if page.is_home and Page.objects.filter(is_home=True).exists():
                page.is_home = False
            page.full_clean()
            page.save()
            # Sources come only with a page created here, never onto an editor's page.
            for position, source in enumerate(spec.get("sources", [])):
                Source.objects.create(page=page, position=position, **source)
            created.append(spec["path"])
        return created, kept
