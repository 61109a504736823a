from django.db import migrations

# Roles and their permissions are declared in pages/roles.py and applied after every
# migrate; this migration used to grant some itself and is kept so existing databases
# migrate in the same order.


class Migration(migrations.Migration):
    dependencies = [("pages", "0004_fill_search_fields")]

    operations = []
