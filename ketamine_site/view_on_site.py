"""The admin's "view on site" redirect, for objects this user may see.

Django's own (``/admin/r/<content type>/<id>/``) sends any staff member to any
object's address, so staff without page permissions could learn where drafts
will be published. This one answers 404 unless the user may view or change that
kind of object, or visitors can see the object anyway.
"""

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404


def visible_to_visitors(model, obj):
    """True when the model says what is public (``objects.published()``) and obj is."""
    manager = getattr(model, "objects", None)
    published = getattr(manager, "published", None)
    return published is not None and published().filter(pk=obj.pk).exists()


def view_on_site(request, content_type_id, object_id):
    """Redirect to the object's address, or 404 if this user may not know it."""
    try:
        content_type = ContentType.objects.get(pk=content_type_id)
        model = content_type.model_class()
        obj = content_type.get_object_for_this_type(pk=object_id)
    except (ObjectDoesNotExist, ValueError, ValidationError) as error:
        raise Http404("No such object.") from error
    label = f"{content_type.app_label}.%s_{content_type.model}"
    if not (
        request.user.has_perm(label % "view")
        or request.user.has_perm(label % "change")
        or visible_to_visitors(model, obj)
    ):
        raise Http404("No such object.")
    return shortcut(request, content_type_id, object_id)
