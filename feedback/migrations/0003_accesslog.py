import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0002_reviewers_group"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AccessLog",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("username", models.CharField(max_length=150)),
                (
                    "action",
                    models.CharField(
                        choices=[("viewed", "Viewed"), ("exported", "Exported")], max_length=10
                    ),
                ),
                (
                    "at",
                    models.DateTimeField(
                        db_index=True, default=django.utils.timezone.now, verbose_name="when"
                    ),
                ),
                ("feedback_ids", models.JSONField(default=list, verbose_name="feedback ids")),
                ("count", models.PositiveIntegerField(default=0, verbose_name="records")),
                (
                    "user",
                    models.ForeignKey(
                        help_text="Empty if the account has since been deleted; the username is kept.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "feedback access",
                "verbose_name_plural": "feedback access log",
                "ordering": ["-at", "-pk"],
                "default_permissions": ("view",),
            },
        ),
    ]
