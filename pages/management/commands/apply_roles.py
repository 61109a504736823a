from django.core.management.base import BaseCommand

from pages.roles import ROLES, apply_roles


class Command(BaseCommand):
    help = "Give each staff group exactly the permissions declared in pages/roles.py."

    def handle(self, *args, **options):
        missing = apply_roles()
        for name, role in ROLES.items():
            self.stdout.write(f"{name}: {len(role['permissions'])} permissions")
        if missing:
            self.stderr.write(f"Not found (app not migrated?): {', '.join(missing)}")
