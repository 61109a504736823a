"""Medical review dates on pages, and the sources each page cites."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

import pages.models

# Roles and their permissions are declared in pages/roles.py and applied after every
# migrate; this migration used to grant some itself and is kept so existing databases
# migrate in the same order.


class Migration(migrations.Migration):
    dependencies = [("pages", "0006_site_settings")]

    operations = [
        migrations.AddField(
            model_name="page",
            name="last_reviewed_on",
            field=models.DateField(
                blank=True,
                help_text="When they last checked it. Leave empty if the page has never been reviewed.",
                null=True,
                verbose_name="last reviewed on",
            ),
        ),
        migrations.AddField(
            model_name="page",
            name="next_review_due",
            field=models.DateField(
                blank=True,
                help_text="When the page should be checked again. The review report lists it once this date has passed.",
                null=True,
                verbose_name="next review due",
            ),
        ),
        migrations.AddField(
            model_name="page",
            name="reviewed_by",
            field=models.CharField(
                blank=True,
                help_text="Name and credentials of the clinician who checked this page, e.g. 'Dr Jane Doe, MD, psychiatrist'. Shown to visitors with the review date.",
                max_length=200,
                verbose_name="medically reviewed by",
            ),
        ),
        migrations.CreateModel(
            name="Source",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "title",
                    models.CharField(
                        help_text="The title of the article, book or web page.", max_length=300
                    ),
                ),
                (
                    "publisher",
                    models.CharField(
                        help_text="e.g. 'Biological Psychiatry' or 'National Institute of Mental Health'.",
                        max_length=200,
                        verbose_name="publisher or journal",
                    ),
                ),
                (
                    "year",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="Year of publication, e.g. 2000. Leave empty if it has none.",
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(1800),
                            django.core.validators.MaxValueValidator(
                                pages.models.latest_source_year
                            ),
                        ],
                    ),
                ),
                (
                    "url",
                    models.URLField(
                        blank=True,
                        help_text="Optional address where readers can find it, starting with https://.",
                        max_length=500,
                        validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                        verbose_name="link",
                    ),
                ),
                (
                    "position",
                    models.PositiveIntegerField(
                        default=0, help_text="Order in the list: lower numbers come first."
                    ),
                ),
                (
                    "page",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sources",
                        to="pages.page",
                    ),
                ),
            ],
            options={
                "verbose_name": "source",
                "verbose_name_plural": "sources",
                "ordering": ["position", "pk"],
            },
        ),
    ]
