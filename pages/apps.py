from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Pages"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import Page
        from .tree import page_changed

        post_save.connect(page_changed, sender=Page, dispatch_uid="pages-generation-save")
        post_delete.connect(page_changed, sender=Page, dispatch_uid="pages-generation-delete")
