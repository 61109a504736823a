"""Root URLconf. The pages catch-all is mounted last so every other URL wins."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from .health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
if settings.SERVE_MEDIA:
    # Editors' uploaded figures, in development only: in production nginx serves
    # MEDIA_ROOT (deploy/nginx.conf), or the bucket does (AWS_STORAGE_BUCKET_NAME).
    urlpatterns.append(
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    )
urlpatterns += [
    path("feedback/", include("feedback.urls")),
    path("", include("pages.urls")),
]

handler404 = "pages.views.page_not_found"
handler500 = "pages.views.server_error"
