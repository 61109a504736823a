from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Pages"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import csrf
        from .tree import content_changed

        # Cached pages hand every new visitor a CSRF token; see csrf.py for why.
        csrf.install()

        post_save.connect(content_changed, dispatch_uid="pages-generation-save")
        post_delete.connect(content_changed, dispatch_uid="pages-generation-delete")
