from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Pages"

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save, pre_save

        from .frontend_cache import content_changed, page_about_to_change
        from .roles import apply_roles_after_migrate

        # Every change in this app invalidates, once committed, what it shows on:
        # the app's page cache and the shared caches in front (pages/frontend_cache.py).
        pre_save.connect(page_about_to_change, dispatch_uid="pages-before-save")
        post_save.connect(content_changed, dispatch_uid="pages-generation-save")
        post_delete.connect(content_changed, dispatch_uid="pages-generation-delete")
        # After every app's migration (not just this one's), so permissions of apps
        # migrated later are granted too: pages/roles.py is the one table of roles.
        post_migrate.connect(apply_roles_after_migrate, dispatch_uid="pages-apply-roles")
