from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Visitor feedback"

    def ready(self):
        # Every process must be able to fill in a cached page's timestamp, even one
        # that never rendered the form itself (the page came from the shared cache).
        from pages import pagecache

        from .forms import fresh_token

        pagecache.register_per_request("feedback_token", fresh_token)
