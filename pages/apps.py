from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Pages"

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save

        from . import csrf
        from .roles import apply_roles_after_migrate
        from .tree import content_changed

        # Cached pages hand every new visitor a CSRF token; see csrf.py for why.
        csrf.install()

        post_save.connect(content_changed, dispatch_uid="pages-generation-save")
        post_delete.connect(content_changed, dispatch_uid="pages-generation-delete")
        # After every app's migration (not just this one's), so permissions of apps
        # migrated later are granted too: pages/roles.py is the one table of roles.
        post_migrate.connect(apply_roles_after_migrate, dispatch_uid="pages-apply-roles")
