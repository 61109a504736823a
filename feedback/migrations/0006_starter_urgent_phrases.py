from django.contrib.auth.management import create_permissions
from django.db import migrations

# Words people use when they are thinking of suicide or self-harm. Whole-word
# matching means each form a person might write is its own entry ("cut myself",
# "cutting myself"); reviewers add, untick or refine entries in the admin.
STARTER_PHRASES = [
    "suicide",
    "suicidal",
    "kill myself",
    "killing myself",
    "end my life",
    "ending my life",
    "take my own life",
    "taking my own life",
    "want to die",
    "wanna die",
    "wish I was dead",
    "wish I were dead",
    "better off dead",
    "better off without me",
    "no reason to live",
    "don't want to live",
    "do not want to live",
    "end it all",
    "self harm",
    "selfharm",
    "self harming",
    "hurt myself",
    "hurting myself",
    "cut myself",
    "cutting myself",
    "overdose",
    "unalive",
]

REVIEWER_PERMISSIONS = ["view_urgentphrase", "add_urgentphrase", "change_urgentphrase"]


def add_starter_phrases(apps, schema_editor):
    UrgentPhrase = apps.get_model("feedback", "UrgentPhrase")
    for phrase in STARTER_PHRASES:
        UrgentPhrase.objects.get_or_create(phrase=phrase, defaults={"notes": "Starter list."})


def let_reviewers_edit_phrases(apps, schema_editor):
    """Reviewers, who read what visitors write, keep the list up to date; they untick, not delete."""
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


def remove_reviewer_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Feedback reviewers"):
        group.permissions.remove(*group.permissions.filter(codename__in=REVIEWER_PERMISSIONS))


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0005_urgent_and_revisions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(add_starter_phrases, migrations.RunPython.noop),
        migrations.RunPython(let_reviewers_edit_phrases, remove_reviewer_permissions),
    ]
