from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = ["add_page", "change_page", "delete_page", "view_page"]


def create_editors_group(apps, schema_editor):
    """Editors may add, change and delete pages, and nothing else."""
    # Permissions are normally created after migrate; make sure ours exist now.
    app_config = apps.get_app_config("pages")
    app_config.models_module = True  # the migration stub has none; create_permissions needs it
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="pages", codename__in=EDITOR_PERMISSIONS)
    )


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
