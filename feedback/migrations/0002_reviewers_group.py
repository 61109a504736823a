from django.contrib.auth.management import create_permissions
from django.db import migrations

REVIEWER_PERMISSIONS = ["view_feedback", "change_feedback"]


def create_reviewers_group(apps, schema_editor):
    """Feedback reviewers may read feedback and set its status and note: no adding, no deleting."""
    # Permissions are normally created after migrate; make sure ours exist now.
    app_config = apps.get_app_config("feedback")
    app_config.models_module = True  # the migration stub has none; create_permissions needs it
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Feedback reviewers")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="feedback", codename__in=REVIEWER_PERMISSIONS
        )
    )


def remove_reviewers_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Feedback reviewers").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_reviewers_group, remove_reviewers_group)]
