from django.urls import path

from . import views

app_name = "pages"

urlpatterns = [
    path("", views.page_detail, name="home"),
    # The catch-all: must stay last here, and pages.urls must be mounted last.
    path("<path:path>/", views.page_detail, name="detail"),
]
