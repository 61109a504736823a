from django.core.management.base import BaseCommand

from pages.frontend_cache import purge


class Command(BaseCommand):
    help = (
        "Make every shared cache in FRONTEND_CACHES (Varnish, a CDN) forget every page: "
        "after a deploy or a database restore."
    )

    def handle(self, *args, **options):
        purge()
        self.stdout.write("Asked every configured shared cache to forget every page.")
