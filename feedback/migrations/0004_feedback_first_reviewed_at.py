"""When feedback first left New, for the insight page's time to review."""

from django.db import migrations, models
from django.db.models import F


def fill_from_last_review(apps, schema_editor):
    """Feedback reviewed before this field existed: its last review time is the best we know."""
    Feedback = apps.get_model("feedback", "Feedback")
    Feedback.objects.exclude(status="new").filter(reviewed_at__isnull=False).update(
        first_reviewed_at=F("reviewed_at")
    )


class Migration(migrations.Migration):
    dependencies = [("feedback", "0003_accesslog")]

    operations = [
        migrations.AddField(
            model_name="feedback",
            name="first_reviewed_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When the status first changed from New: the end of its wait for review.",
                null=True,
                verbose_name="first reviewed",
            ),
        ),
        migrations.RunPython(fill_from_last_review, migrations.RunPython.noop),
    ]
