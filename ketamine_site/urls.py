"""Root URLconf. The pages catch-all is mounted last so every other URL wins."""

from django.conf import settings
from django.contrib import admin
from django.http import Http404
from django.urls import include, path, re_path
from django.views.static import serve

from .health import healthz
from .view_on_site import view_on_site


def serve_media(request, path, document_root):
    """An uploaded file; 404 for a name the file system cannot even look up (too long)."""
    try:
        return serve(request, path, document_root=document_root)
    except OSError as error:
        raise Http404("No such file.") from error


urlpatterns = [
    # Ahead of the admin's own "r/" address, which it replaces (the admin's links,
    # reversed as "admin:view_on_site", resolve to the same path and land here).
    path(
        "admin/r/<path:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
    ),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
if settings.SERVE_MEDIA:
    # Editors' uploaded figures, in development only: in production nginx serves
    # MEDIA_ROOT (deploy/nginx.conf), or the bucket does (AWS_STORAGE_BUCKET_NAME).
    urlpatterns.append(
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            serve_media,
            {"document_root": settings.MEDIA_ROOT},
            name="media",
        )
    )
urlpatterns += [
    path("feedback/", include("feedback.urls")),
    path("", include("pages.urls")),
]

handler404 = "pages.views.page_not_found"
handler500 = "pages.views.server_error"
