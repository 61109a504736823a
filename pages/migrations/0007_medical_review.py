"""Medical review dates on pages, and the sources each page cites."""

import django.core.validators
import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

import pages.models

SOURCE_PERMISSIONS = ["add_source", "change_source", "delete_source", "view_source"]


def let_editors_manage_sources(apps, schema_editor):
    """Sources are edited on the page form, so editors need the same rights over them."""
    app_config = apps.get_app_config("pages")
    app_config.models_module = True  # the migration stub has none; create_permissions needs it
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="pages", codename__in=SOURCE_PERMISSIONS)
    )


def remove_source_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(*group.permissions.filter(codename__in=SOURCE_PERMISSIONS))


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
        migrations.RunPython(let_editors_manage_sources, remove_source_permissions),
    ]
