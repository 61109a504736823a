from django.contrib.auth.management import create_permissions
from django.db import migrations

REDIRECT_PERMISSIONS = ["add_redirect", "change_redirect", "delete_redirect", "view_redirect"]


def let_editors_manage_redirects(apps, schema_editor):
    """Editors keep old addresses working, so they may manage redirects too."""
    app_config = apps.get_app_config("pages")
    app_config.models_module = True  # the migration stub has none; create_permissions needs it
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="pages", codename__in=REDIRECT_PERMISSIONS
        )
    )


def remove_redirect_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(*group.permissions.filter(codename__in=REDIRECT_PERMISSIONS))


class Migration(migrations.Migration):
    dependencies = [("pages", "0004_fill_search_fields")]

    operations = [
        migrations.RunPython(let_editors_manage_redirects, remove_redirect_permissions),
    ]
