from django.db import migrations

# Roles and their permissions are declared in pages/roles.py and applied after every
# migrate; this migration used to grant some itself and is kept so existing databases
# migrate in the same order.


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = []
