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


def add_starter_phrases(apps, schema_editor):
    UrgentPhrase = apps.get_model("feedback", "UrgentPhrase")
    for phrase in STARTER_PHRASES:
        UrgentPhrase.objects.get_or_create(phrase=phrase, defaults={"notes": "Starter list."})


# Roles and their permissions are declared in pages/roles.py and applied after every
# migrate; this migration used to grant some itself and is kept so existing databases
# migrate in the same order.


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0005_urgent_and_revisions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(add_starter_phrases, migrations.RunPython.noop),
    ]
